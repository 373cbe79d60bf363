package org.walden.sql.parse.ast;

import java.util.List;

/** {@code ALTER TABLE [IF EXISTS] [ONLY] name action, …}. */
public record AlterTableStmt(QualifiedName name, boolean ifExists, List<Action> actions)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.ALTER_TABLE;
  }

  /** The supported ALTER TABLE actions. */
  public sealed interface Action {}

  /** {@code ADD [CONSTRAINT name] PRIMARY KEY (columns)}. */
  public record AddPrimaryKey(List<String> columns) implements Action {}

  /** {@code ADD [COLUMN] [IF NOT EXISTS] column-definition}. */
  public record AddColumn(ColumnDef column, boolean ifNotExists) implements Action {}

  /** {@code DROP [COLUMN] [IF EXISTS] column [CASCADE | RESTRICT]}. */
  public record DropColumn(String column, boolean ifExists, boolean cascade) implements Action {}
}
