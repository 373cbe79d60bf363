package org.walden.sql.parse.ast;

import java.util.List;

/** {@code DROP TABLE [IF EXISTS] a, b [CASCADE | RESTRICT]}. */
public record DropTableStmt(List<QualifiedName> names, boolean ifExists, boolean cascade)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.DROP_TABLE;
  }
}
