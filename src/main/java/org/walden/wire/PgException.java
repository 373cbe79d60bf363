package org.walden.wire;

import java.util.Objects;

/**
 * The client-facing error channel: thrown by the wire layer and by the SQL layer behind the {@link
 * org.walden.wire.session.QueryHandler} SPI to report a {@link PgError} to the client. The session
 * renders it as ErrorResponse; a {@link Severity#FATAL} error also ends the session.
 *
 * <p>Internal bugs are not PgExceptions: they are ordinary unchecked exceptions, which the session
 * reports as {@code XX000} and logs with their stack trace.
 */
public class PgException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final PgError error;

  public PgException(PgError error) {
    super(Objects.requireNonNull(error, "error").toString(), null, false, false);
    this.error = error;
  }

  public PgException(PgError error, Throwable cause) {
    super(Objects.requireNonNull(error, "error").toString(), cause, false, false);
    this.error = error;
  }

  public PgError error() {
    return error;
  }
}
