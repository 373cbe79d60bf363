package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code CREATE ROLE|USER name [WITH] option…}.
 *
 * @param user true if written CREATE USER, which defaults to LOGIN where CREATE ROLE defaults to
 *     NOLOGIN
 */
public record CreateRoleStmt(String name, boolean user, List<RoleOption> options)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.CREATE_ROLE;
  }
}
