package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code UPDATE table [[AS] alias] SET col = expr, … [WHERE …] [RETURNING …]}.
 *
 * @param alias the correlation name, or null
 * @param where the WHERE condition, or null
 * @param returning the RETURNING list, empty when absent
 */
public record UpdateStmt(
    QualifiedName table, String alias, List<Assignment> set, Expr where, List<SelectItem> returning)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.UPDATE;
  }
}
