package org.walden.storage;

/**
 * A client-facing error raised by the storage layer, carrying PostgreSQL's error fields: the
 * SQLSTATE, a short primary message, and an optional detail and hint. The wire layer turns it into
 * an {@code ErrorResponse} unchanged; the transaction that raised it is still open and the caller
 * decides (normally: roll back).
 */
public final class StorageException extends RuntimeException {

  private final String sqlState;
  private final String detail;
  private final String hint;

  public StorageException(String sqlState, String message) {
    this(sqlState, message, null, null);
  }

  public StorageException(String sqlState, String message, String detail) {
    this(sqlState, message, detail, null);
  }

  public StorageException(String sqlState, String message, String detail, String hint) {
    super(message, null, false, false);
    this.sqlState = sqlState;
    this.detail = detail;
    this.hint = hint;
  }

  /** The five-character SQLSTATE (see {@link SqlState}). */
  public String sqlState() {
    return sqlState;
  }

  /** The detail line, or null. */
  public String detail() {
    return detail;
  }

  /** The hint line, or null. */
  public String hint() {
    return hint;
  }

  @Override
  public String toString() {
    return "StorageException["
        + sqlState
        + "] "
        + getMessage()
        + (detail == null ? "" : " (" + detail + ")");
  }
}
