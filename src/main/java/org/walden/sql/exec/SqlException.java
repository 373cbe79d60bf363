package org.walden.sql.exec;

/**
 * A client error raised while preparing or executing a statement, in PostgreSQL's terms: SQLSTATE,
 * a short message, optional detail and hint, and an optional 1-based position in the statement text
 * (0 = none). The session layer turns it into an ErrorResponse.
 */
public final class SqlException extends RuntimeException {

  private final String sqlState;
  private final String detail;
  private final String hint;
  private final int position;

  public SqlException(String sqlState, String message) {
    this(sqlState, message, null, null, 0);
  }

  public SqlException(String sqlState, String message, String detail, String hint, int position) {
    super(message, null, false, false);
    this.sqlState = sqlState;
    this.detail = detail;
    this.hint = hint;
    this.position = position;
  }

  public String sqlState() {
    return sqlState;
  }

  public String detail() {
    return detail;
  }

  public String hint() {
    return hint;
  }

  public int position() {
    return position;
  }
}
