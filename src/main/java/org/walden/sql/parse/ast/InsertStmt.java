package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code INSERT INTO table [(columns)] VALUES … | SELECT … | DEFAULT VALUES [ON CONFLICT …]
 * [RETURNING …]}. Exactly one of {@code values} and {@code select} is given; DEFAULT VALUES is one
 * empty row with no columns.
 *
 * @param columns the explicit column list, empty when none was written
 * @param values the VALUES rows, or null when the source is a SELECT
 * @param select the source query, or null when the source is VALUES
 * @param onConflict the ON CONFLICT clause, or null
 * @param returning the RETURNING list, empty when absent
 */
public record InsertStmt(
    QualifiedName table,
    List<String> columns,
    List<List<Expr>> values,
    SelectStmt select,
    OnConflict onConflict,
    List<SelectItem> returning)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.INSERT;
  }

  /**
   * {@code ON CONFLICT [(columns)] DO NOTHING} or {@code ON CONFLICT (columns) DO UPDATE SET …
   * [WHERE …]}.
   *
   * @param columns the conflict target, empty when not written (allowed only with DO NOTHING)
   * @param doUpdate false for DO NOTHING
   * @param set the assignments of DO UPDATE, empty for DO NOTHING
   * @param where the DO UPDATE ... WHERE condition, or null
   */
  public record OnConflict(
      List<String> columns, boolean doUpdate, List<Assignment> set, Expr where) {}
}
