package org.walden.wire;

/**
 * The severity of an {@link PgError}, as PostgreSQL names it in the {@code V} (non-localized) field
 * of ErrorResponse and NoticeResponse.
 *
 * <p>{@link #ERROR} aborts the current statement; {@link #FATAL} ends the session; {@link #PANIC}
 * is never sent by Walden's wire layer but is listed so values from elsewhere round-trip. The rest
 * are notice levels, sent as NoticeResponse and never interrupting the statement.
 */
public enum Severity {
  DEBUG,
  LOG,
  INFO,
  NOTICE,
  WARNING,
  ERROR,
  FATAL,
  PANIC;

  /** True for the levels sent as ErrorResponse ({@code E}); the others go out as NoticeResponse. */
  public boolean isError() {
    return compareTo(ERROR) >= 0;
  }
}
