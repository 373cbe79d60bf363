package org.walden.sql.parse.ast;

import java.util.List;

/** {@code DROP ROLE|USER [IF EXISTS] name, …}. */
public record DropRoleStmt(List<String> names, boolean ifExists) implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.DROP_ROLE;
  }
}
