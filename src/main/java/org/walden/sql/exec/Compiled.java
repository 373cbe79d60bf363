package org.walden.sql.exec;

import org.walden.storage.type.ColumnType;

/**
 * The result of compiling one expression: its evaluator, its type, and what RowDescription says of
 * it when it is an output column.
 *
 * @param unknown true for an untyped string literal, NULL or a parameter of unspecified type, whose
 *     type the context may still decide (PostgreSQL's {@code unknown})
 * @param name the output column name PostgreSQL would give ({@code ?column?} for expressions)
 * @param tableOid the source table for a plain column reference, else 0
 * @param attnum the source column number (1-based) for a plain column reference, else 0
 * @param constant true if the value depends on no row (literals, parameters, stable functions)
 */
record Compiled(
    Eval eval,
    ColumnType type,
    boolean unknown,
    String name,
    int tableOid,
    int attnum,
    boolean constant) {

  static final String NO_NAME = "?column?";

  static Compiled of(Eval e, ColumnType type, String name, boolean constant) {
    return new Compiled(e, type, false, name, 0, 0, constant);
  }

  Compiled named(String n) {
    return new Compiled(eval, type, unknown, n, tableOid, attnum, constant);
  }

  ResultColumn resultColumn(String alias) {
    return new ResultColumn(
        alias != null ? alias : name,
        tableOid,
        (short) attnum,
        type.oid(),
        (short) type.typlen(),
        type.typmod());
  }
}
