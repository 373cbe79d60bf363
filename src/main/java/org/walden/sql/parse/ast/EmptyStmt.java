package org.walden.sql.parse.ast;

/**
 * An empty query (only whitespace, comments or semicolons). Only {@code SqlParser.parse} returns
 * it; {@code parseAll} leaves empty statements out.
 */
public record EmptyStmt() implements Statement {

  public static final EmptyStmt INSTANCE = new EmptyStmt();

  @Override
  public CommandTag commandTag() {
    return CommandTag.EMPTY;
  }
}
