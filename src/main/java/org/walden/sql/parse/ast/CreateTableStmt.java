package org.walden.sql.parse.ast;

import java.util.List;

/**
 * {@code CREATE TABLE [IF NOT EXISTS] name (columns…, [PRIMARY KEY (…)]) [WITH (…)]}. Storage
 * parameters in WITH are accepted and dropped.
 *
 * @param primaryKey the primary key columns, from either a column-level PRIMARY KEY or the table
 *     constraint; empty if the table has none
 */
public record CreateTableStmt(
    QualifiedName name, boolean ifNotExists, List<ColumnDef> columns, List<String> primaryKey)
    implements Statement {

  @Override
  public CommandTag commandTag() {
    return CommandTag.CREATE_TABLE;
  }
}
