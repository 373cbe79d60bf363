package org.walden.replication;

/**
 * An error the walsender reports to its client as PostgreSQL does: an SQLSTATE, a message, and
 * whether it is FATAL (the connection ends) or an ERROR. {@link #connectionUnusable} means the
 * error struck while the client-reader thread still owned the connection's input: the session sends
 * the error and then closes, since it cannot safely read from the connection again.
 */
public final class WalSenderException extends Exception {
  private final String sqlState;
  private final boolean fatal;
  private final boolean connectionUnusable;

  public WalSenderException(String sqlState, String message, boolean fatal) {
    this(sqlState, message, fatal, false);
  }

  private WalSenderException(
      String sqlState, String message, boolean fatal, boolean connectionUnusable) {
    super(message, null, false, false);
    this.sqlState = sqlState;
    this.fatal = fatal;
    this.connectionUnusable = connectionUnusable;
  }

  public static WalSenderException error(String sqlState, String message) {
    return new WalSenderException(sqlState, message, false);
  }

  public static WalSenderException fatal(String sqlState, String message) {
    return new WalSenderException(sqlState, message, true);
  }

  WalSenderException unusableConnection() {
    return new WalSenderException(sqlState, getMessage(), fatal, true);
  }

  public String sqlState() {
    return sqlState;
  }

  public boolean isFatal() {
    return fatal;
  }

  public boolean connectionUnusable() {
    return connectionUnusable;
  }
}
