package org.walden.wire;

import java.util.Objects;

/**
 * A client-facing error or notice, in PostgreSQL's shape: severity, SQLSTATE, a short primary
 * message, and optional detail, hint and cursor position (1-based, in characters of the query text;
 * 0 = none).
 *
 * <p>Immutable. Rendered onto the wire by {@link org.walden.wire.codec.MessageWriter#errorResponse}
 * / {@code noticeResponse} with the fields {@code S V C M D H P}. Messages follow PostgreSQL's
 * style guide: primary message lower-case, no trailing period; detail and hint full sentences.
 */
public record PgError(
    Severity severity, String sqlState, String message, String detail, String hint, int position) {

  public PgError {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    if (sqlState == null || sqlState.length() != 5) {
      throw new IllegalArgumentException("SQLSTATE must have five characters: " + sqlState);
    }
    if (position < 0) {
      throw new IllegalArgumentException("position must be >= 0: " + position);
    }
  }

  public static PgError error(String sqlState, String message) {
    return new PgError(Severity.ERROR, sqlState, message, null, null, 0);
  }

  public static PgError fatal(String sqlState, String message) {
    return new PgError(Severity.FATAL, sqlState, message, null, null, 0);
  }

  public static PgError notice(String sqlState, String message) {
    return new PgError(Severity.NOTICE, sqlState, message, null, null, 0);
  }

  public PgError withDetail(String newDetail) {
    return new PgError(severity, sqlState, message, newDetail, hint, position);
  }

  public PgError withHint(String newHint) {
    return new PgError(severity, sqlState, message, detail, newHint, position);
  }

  public PgError withPosition(int newPosition) {
    return new PgError(severity, sqlState, message, detail, hint, newPosition);
  }

  public PgError withSeverity(Severity newSeverity) {
    return new PgError(newSeverity, sqlState, message, detail, hint, position);
  }

  /** An exception carrying this error, for throwing across the SPI. */
  public PgException toException() {
    return new PgException(this);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(severity).append(' ').append(sqlState).append(": ").append(message);
    if (detail != null) {
      sb.append(" DETAIL: ").append(detail);
    }
    if (hint != null) {
      sb.append(" HINT: ").append(hint);
    }
    return sb.toString();
  }
}
