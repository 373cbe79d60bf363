package org.walden.replication.receiver;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A buffered socket input stream that loses nothing when a read times out: each {@link #read} makes
 * at most one call to the socket, and only when its buffer is empty, so a {@link
 * java.net.SocketTimeoutException} always leaves every byte already taken from the socket in the
 * buffer or counted by the caller.
 *
 * <p>Why not {@link java.io.BufferedInputStream}: its {@code read(byte[], int, int)} copies what is
 * buffered and then, if {@code available()} is positive, reads the socket again inside the same
 * call. When that second read throws (seen on virtual threads with a short {@code SO_TIMEOUT}, even
 * with bytes available), the bytes it already copied into the caller's array are gone from the
 * buffer but were never reported — the frame reader then resumes a few bytes late and the
 * replication stream is misframed (a CopyData whose first byte is WAL, not {@code 'w'}).
 *
 * <p>Not thread-safe: owned by the walreceiver's thread.
 */
final class TimeoutSafeInputStream extends InputStream {
  private final InputStream in;
  private final byte[] buf;
  private int pos; // next byte to hand out; guarded by: owner thread only
  private int limit; // end of buffered bytes

  TimeoutSafeInputStream(InputStream in, int bufferSize) {
    this.in = Objects.requireNonNull(in);
    this.buf = new byte[bufferSize];
  }

  @Override
  public int read() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (pos < limit) {
      int n = Math.min(len, limit - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
    if (len >= buf.length) {
      // large reads skip the copy; one socket call, whose result is returned as is
      return in.read(b, off, len);
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  /** One socket read into the empty buffer; false at end of stream. */
  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  @Override
  public int available() throws IOException {
    return (limit - pos) + in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
