package org.walden.sql.parse.ast;

/**
 * One ORDER BY key.
 *
 * @param descending true for DESC
 * @param nulls where NULLs go; {@link NullsOrder#DEFAULT} means PostgreSQL's default (last for ASC,
 *     first for DESC)
 */
public record OrderItem(Expr expr, boolean descending, NullsOrder nulls) {

  /** {@code NULLS FIRST}, {@code NULLS LAST} or not said. */
  public enum NullsOrder {
    DEFAULT,
    FIRST,
    LAST
  }
}
