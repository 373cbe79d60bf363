package org.walden.wire.codec;

import java.io.EOFException;

/**
 * The connection ended in the middle of a message: the client vanished (or was killed) after
 * starting a frame. Not a protocol error to report, since nobody is left to read the report; the
 * session ends quietly.
 */
public final class TruncatedMessageException extends EOFException {
  private static final long serialVersionUID = 1L;

  public TruncatedMessageException(String message) {
    super(message);
  }
}
