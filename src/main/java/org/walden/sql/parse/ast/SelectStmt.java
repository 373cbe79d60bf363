package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code SELECT targets [FROM item] [WHERE] [GROUP BY] [HAVING] [ORDER BY] [LIMIT] [OFFSET]}.
 *
 * @param from the single FROM item, or null for a SELECT without FROM
 * @param where the WHERE condition, or null
 * @param having the HAVING condition, or null
 * @param limit the LIMIT count, or null for none / LIMIT ALL
 * @param offset the OFFSET count, or null
 */
public record SelectStmt(
    List<SelectItem> targets,
    FromItem from,
    Expr where,
    List<Expr> groupBy,
    Expr having,
    List<OrderItem> orderBy,
    Expr limit,
    Expr offset)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.SELECT;
  }
}
