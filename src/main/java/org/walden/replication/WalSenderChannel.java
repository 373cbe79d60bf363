package org.walden.replication;

import java.io.IOException;

/**
 * The walsender's view of its connection during COPY BOTH, independent of the wire protocol
 * classes: the session implements it over its message writer and the client half of the copy.
 *
 * <p><b>Threads.</b> The sending methods are called only by the walsender's own thread (the session
 * thread). {@link #receive} is called only by the walsender's client-reader thread, one call at a
 * time, and never again once it has returned null or thrown; the session thread reads the
 * connection again only after that.
 */
public interface WalSenderChannel {

  /** Queues one CopyData message (may write out if the buffer is large). */
  void sendCopyData(byte[] data, int offset, int length) throws IOException;

  /** Writes out everything queued; blocks while the client's receive window is full. */
  void flush() throws IOException;

  /** Queues CopyDone (the server's half of the copy ends). */
  void sendCopyDone() throws IOException;

  /** Queues CommandComplete with {@code tag}. */
  void sendCommandComplete(String tag) throws IOException;

  /**
   * Blocks for the client's next CopyData payload; null once the client has sent CopyDone.
   *
   * @throws IOException if the connection ends (end of stream, reset, closed under the read)
   * @throws RuntimeException for a protocol violation the session reports itself
   */
  byte[] receive() throws IOException;
}
