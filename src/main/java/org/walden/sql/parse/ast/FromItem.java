package org.walden.sql.parse.ast;

/** The single item of a FROM clause (joins and several items are rejected by the parser). */
public sealed interface FromItem {

  /**
   * A table.
   *
   * @param alias the correlation name, or null
   */
  record Table(QualifiedName name, String alias) implements FromItem {}

  /**
   * A set-returning function in FROM, such as {@code generate_series(1, 10) AS g}.
   *
   * @param alias the correlation name, or null
   */
  record Function(Expr.FuncCall call, String alias) implements FromItem {}
}
