package org.walden.replication.receiver;

/** The peer sent something the protocol does not allow; the connection cannot continue. */
public final class ProtocolViolationException extends RuntimeException {
  public ProtocolViolationException(String message) {
    super(message);
  }
}
