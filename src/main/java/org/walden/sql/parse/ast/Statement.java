package org.walden.sql.parse.ast;

/**
 * One parsed SQL statement: the root of the immutable syntax tree the parser hands to the executor.
 *
 * <p>Every implementation is a record, so trees compare by value (tests rely on it) and can be
 * shared between sessions (a prepared statement keeps its tree). Optional parts are {@code null}
 * and say so in their component's javadoc; lists are never null and never mutable.
 */
public sealed interface Statement
    permits SelectStmt,
        InsertStmt,
        UpdateStmt,
        DeleteStmt,
        CreateTableStmt,
        DropTableStmt,
        TruncateStmt,
        AlterTableStmt,
        CreateRoleStmt,
        AlterRoleStmt,
        DropRoleStmt,
        AlterSystemStmt,
        VacuumStmt,
        TransactionStmt,
        SetStmt,
        ShowStmt,
        ResetStmt,
        CopyStmt,
        EmptyStmt {

  /**
   * The kind of CommandComplete tag this statement produces when it succeeds, known without
   * executing it (the row count of INSERT/UPDATE/DELETE/SELECT/COPY is added by the executor).
   */
  CommandTag commandTag();
}
