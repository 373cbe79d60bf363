package org.walden.sql.parse.ast;

/** One entry of a SELECT list or a RETURNING list. */
public sealed interface SelectItem {

  /**
   * {@code *} or {@code t.*}.
   *
   * @param table the qualifier of {@code t.*}, or null for a bare {@code *}
   */
  record Star(String table) implements SelectItem {}

  /**
   * An expression with an optional output name.
   *
   * @param alias the name given with {@code AS} (or as a bare label), or null
   */
  record Column(Expr expr, String alias) implements SelectItem {}
}
