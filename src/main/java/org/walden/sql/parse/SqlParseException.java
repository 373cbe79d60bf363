package org.walden.sql.parse;

/**
 * A statement could not be parsed: a client error carrying what PostgreSQL's ErrorResponse needs —
 * SQLSTATE, primary message, an optional hint, and the cursor position.
 *
 * <p>The position is 1-based and counted in characters (Unicode code points) of the whole query
 * string handed to the parser, as PostgreSQL reports it, even when the failing statement is the
 * second of several. The usual SQLSTATEs are {@code 42601} (syntax error), {@code 0A000} (feature
 * not supported), {@code 54001} (statement nested too deeply) and {@code 22025}/{@code 42P02} for
 * bad escapes and parameter numbers.
 *
 * <p>No stack trace is captured: the exception is an expected answer to client input (a fuzzer or a
 * misbehaving client may trigger it millions of times), and the trace would only show the parser.
 */
public final class SqlParseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public static final String SYNTAX_ERROR = "42601";
  public static final String FEATURE_NOT_SUPPORTED = "0A000";
  public static final String STATEMENT_TOO_COMPLEX = "54001";
  public static final String INVALID_ESCAPE_SEQUENCE = "22025";
  public static final String UNDEFINED_PARAMETER = "42P02";
  public static final String INVALID_TABLE_DEFINITION = "42P16";

  private final String sqlState;
  private final int position;
  private final String hint;

  public SqlParseException(String sqlState, String message, int position, String hint) {
    super(message, null, false, false);
    this.sqlState = sqlState;
    this.position = position;
    this.hint = hint;
  }

  /** The five-character SQLSTATE. */
  public String sqlState() {
    return sqlState;
  }

  /** 1-based character position in the query string, or 0 if none applies. */
  public int position() {
    return position;
  }

  /** A hint for the client, or null. */
  public String hint() {
    return hint;
  }

  @Override
  public String toString() {
    return "SqlParseException[" + sqlState + " at " + position + "]: " + getMessage();
  }
}
