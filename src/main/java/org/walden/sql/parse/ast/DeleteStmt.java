package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code DELETE FROM table [[AS] alias] [WHERE …] [RETURNING …]}.
 *
 * @param alias the correlation name, or null
 * @param where the WHERE condition, or null
 * @param returning the RETURNING list, empty when absent
 */
public record DeleteStmt(QualifiedName table, String alias, Expr where, List<SelectItem> returning)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.DELETE;
  }
}
