package org.walden.sql.parse.ast;

/**
 * Transaction control: BEGIN, START TRANSACTION, COMMIT (also END), ROLLBACK (also ABORT) and SET
 * TRANSACTION. [NOT] DEFERRABLE is accepted and dropped.
 *
 * @param isolation the ISOLATION LEVEL given, or null
 * @param access READ ONLY / READ WRITE, or {@link AccessMode#DEFAULT}
 */
public record TransactionStmt(Kind kind, IsolationLevel isolation, AccessMode access)
    implements Statement {

  public static TransactionStmt of(Kind kind) {
    return new TransactionStmt(kind, null, AccessMode.DEFAULT);
  }

  @Override
  public CommandTag commandTag() {
    return switch (kind) {
      case BEGIN -> CommandTag.BEGIN;
      case START_TRANSACTION -> CommandTag.START_TRANSACTION;
      case COMMIT -> CommandTag.COMMIT;
      case ROLLBACK -> CommandTag.ROLLBACK;
      case SET_TRANSACTION -> CommandTag.SET;
    };
  }

  /** Which transaction command. */
  public enum Kind {
    BEGIN,
    START_TRANSACTION,
    COMMIT,
    ROLLBACK,
    SET_TRANSACTION
  }

  /** The isolation levels, with PostgreSQL's spelling for {@code transaction_isolation}. */
  public enum IsolationLevel {
    READ_UNCOMMITTED("read uncommitted"),
    READ_COMMITTED("read committed"),
    REPEATABLE_READ("repeatable read"),
    SERIALIZABLE("serializable");

    private final String pgName;

    IsolationLevel(String pgName) {
      this.pgName = pgName;
    }

    /** The value PostgreSQL shows for {@code transaction_isolation}. */
    public String pgName() {
      return pgName;
    }
  }

  /** READ ONLY, READ WRITE, or not said. */
  public enum AccessMode {
    DEFAULT,
    READ_ONLY,
    READ_WRITE
  }
}
