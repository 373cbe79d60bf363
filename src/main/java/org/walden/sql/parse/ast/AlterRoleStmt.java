package org.walden.sql.parse.ast;

import java.util.List;

/** {@code ALTER ROLE|USER name [WITH] option…}. */
public record AlterRoleStmt(String name, List<RoleOption> options) implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.ALTER_ROLE;
  }
}
