package org.walden.sql.parse.ast;

/** {@code RESET name}; {@code RESET ALL} has name {@code all}. */
public record ResetStmt(String name) implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.RESET;
  }
}
