package org.walden.sql.parse.ast;

/**
 * A column in CREATE TABLE or ALTER TABLE ADD COLUMN. A column-level PRIMARY KEY is reported in the
 * table's primary key list, not here; the NOT NULL that a primary key implies is left to the
 * executor.
 *
 * @param notNull true if {@code NOT NULL} was written (a later explicit {@code NULL} clears it)
 * @param defaultValue the DEFAULT expression, or null
 */
public record ColumnDef(String name, TypeName type, boolean notNull, Expr defaultValue) {}
