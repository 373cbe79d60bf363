package org.walden.sql.exec;

/**
 * One column of a result, as RowDescription describes it: name, source table OID and attribute
 * number (0 for computed columns), type OID, typlen and typmod.
 */
public record ResultColumn(
    String name, int tableOid, short attnum, int typeOid, short typlen, int typmod) {}
