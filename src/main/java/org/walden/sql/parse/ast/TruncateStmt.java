package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code TRUNCATE [TABLE] [ONLY] a, b [RESTART IDENTITY | CONTINUE IDENTITY] [CASCADE | RESTRICT]};
 * the identity and cascade options are accepted and dropped (no sequences, no foreign keys).
 */
public record TruncateStmt(List<QualifiedName> names) implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.TRUNCATE_TABLE;
  }
}
