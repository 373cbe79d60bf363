package org.walden.replication.slot;

/**
 * A slot operation refused with PostgreSQL's SQLSTATE, message, detail and hint (slot.c's
 * ereports). The replication session and the SQL functions pass it on as an ERROR.
 */
public final class SlotException extends Exception {
  private final String sqlState;
  private final String detail;
  private final String hint;

  SlotException(String sqlState, String message, String detail, String hint) {
    super(message);
    this.sqlState = sqlState;
    this.detail = detail;
    this.hint = hint;
  }

  SlotException(String sqlState, String message) {
    this(sqlState, message, null, null);
  }

  public String sqlState() {
    return sqlState;
  }

  /** Null if none. */
  public String detail() {
    return detail;
  }

  /** Null if none. */
  public String hint() {
    return hint;
  }

  static SlotException missing(String name) {
    return new SlotException("42704", "replication slot \"" + name + "\" does not exist");
  }

  static SlotException active(String name, int pid) {
    return new SlotException("55006", "replication slot \"" + name + "\" is active for PID " + pid);
  }
}
