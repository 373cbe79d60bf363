package org.walden.replication.backup;

/**
 * A base backup failed or was refused, with PostgreSQL's SQLSTATE; the replication session sends it
 * as an ErrorResponse. Thrown on the session thread that runs the backup.
 */
public final class BaseBackupException extends Exception {
  private final String sqlState;

  public BaseBackupException(String sqlState, String message) {
    super(message);
    this.sqlState = sqlState;
  }

  public BaseBackupException(String sqlState, String message, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
