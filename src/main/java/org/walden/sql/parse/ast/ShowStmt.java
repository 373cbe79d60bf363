package org.walden.sql.parse.ast;

/**
 * {@code SHOW name}; {@code SHOW ALL} has name {@code all}, SHOW TIME ZONE {@code timezone}, SHOW
 * TRANSACTION ISOLATION LEVEL {@code transaction_isolation}.
 */
public record ShowStmt(String name) implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.SHOW;
  }
}
