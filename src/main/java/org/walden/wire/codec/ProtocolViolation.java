package org.walden.wire.codec;

import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.Severity;
import org.walden.wire.SqlState;

/**
 * The frontend broke the framing or the layout of a message (SQLSTATE {@code 08P01}
 * protocol_violation). Raised by {@link FrameReader}, {@link BodyReader} and {@link
 * FrontendMessages}; every malformed input ends in this exception and never in an {@code
 * IndexOutOfBoundsException} or similar.
 *
 * <p>Always {@link Severity#FATAL}: once the byte stream cannot be trusted the session cannot
 * resynchronize, so it sends the ErrorResponse and closes the connection.
 */
public final class ProtocolViolation extends PgException {
  private static final long serialVersionUID = 1L;

  public ProtocolViolation(String message) {
    super(PgError.fatal(SqlState.PROTOCOL_VIOLATION, message));
  }

  public ProtocolViolation(String message, String detail) {
    super(PgError.fatal(SqlState.PROTOCOL_VIOLATION, message).withDetail(detail));
  }
}
