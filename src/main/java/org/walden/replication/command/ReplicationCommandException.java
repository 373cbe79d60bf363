package org.walden.replication.command;

/**
 * A replication command that does not parse: the SQLSTATE and message PostgreSQL's replication
 * scanner and grammar report ({@code 42601} "syntax error", "unterminated quoted string", "invalid
 * timeline 0", …). The session turns it into an ErrorResponse of severity ERROR.
 */
public final class ReplicationCommandException extends Exception {
  public static final String SYNTAX_ERROR = "42601";

  private final String sqlState;

  public ReplicationCommandException(String sqlState, String message) {
    super(message, null, false, false);
    this.sqlState = sqlState;
  }

  static ReplicationCommandException syntax(String message) {
    return new ReplicationCommandException(SYNTAX_ERROR, message);
  }

  public String sqlState() {
    return sqlState;
  }
}
