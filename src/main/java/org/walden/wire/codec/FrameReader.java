package org.walden.wire.codec;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from a blocking input stream: the untyped startup packets ({@code Int32 length,
 * body}) and, after startup, typed messages ({@code Byte1 type, Int32 length, body}). The length
 * counts itself but not the type byte.
 *
 * <p>Lengths are checked before anything is allocated: a length below 4 or above the limit for the
 * message type is a {@link ProtocolViolation}. The limits are PostgreSQL's: 1 GiB − 1 for the
 * messages that carry user data ({@code Q P B F d c f}), 65535 for password/SASL responses and
 * 10000 for everything else, so a garbage type/length pair cannot make the server allocate much.
 *
 * <p>The body is read into a reusable buffer that stays valid until the next read; decoders copy
 * out what they keep. The buffer grows by doubling as bytes arrive, never to a claimed length up
 * front. A buffer grown by one huge message is dropped again on the next read so an idle session
 * does not pin it.
 *
 * <p>End of stream before the first byte of a frame is a clean end ({@link #readMessage} returns
 * false); end of stream inside a frame raises {@link TruncatedMessageException}.
 *
 * <p>Not thread-safe: owned by the session thread that reads the socket.
 */
public final class FrameReader {
  /** PostgreSQL's {@code PQ_LARGE_MESSAGE_LIMIT}: MaxAllocSize − 1, just under 1 GiB. */
  public static final int LARGE_MESSAGE_LIMIT = 0x3FFF_FFFF - 1;

  /** PostgreSQL's {@code PQ_SMALL_MESSAGE_LIMIT}, for messages that carry no user data. */
  public static final int SMALL_MESSAGE_LIMIT = 10_000;

  /** PostgreSQL's {@code PG_MAX_AUTH_TOKEN_LENGTH}, for PasswordMessage and SASL responses. */
  public static final int AUTH_MESSAGE_LIMIT = 65_535;

  /** PostgreSQL's {@code MAX_STARTUP_PACKET_LENGTH}. */
  public static final int MAX_STARTUP_PACKET_LENGTH = 10_000;

  private static final int INITIAL_BUFFER = 8 * 1024;
  private static final int RETAINED_BUFFER_MAX = 1024 * 1024;

  private final InputStream in;
  private final ReadPhaseListener phase;
  private byte[] buf = new byte[INITIAL_BUFFER];
  private int type = -1;
  private int bodyLength;

  public FrameReader(InputStream in, ReadPhaseListener phase) {
    this.in = in;
    this.phase = phase;
  }

  public FrameReader(InputStream in) {
    this(in, ReadPhaseListener.NONE);
  }

  /** The largest body accepted for a message of this type. */
  public static int maxBodyLength(int type) {
    return switch (type) {
      case 'Q', 'P', 'B', 'F', 'd', 'c', 'f' -> LARGE_MESSAGE_LIMIT;
      case 'p' -> AUTH_MESSAGE_LIMIT;
      default -> SMALL_MESSAGE_LIMIT;
    };
  }

  /**
   * Reads one startup-phase packet. Returns its body length (the packet length minus 4), or −1 if
   * the stream ended before any byte arrived (a port probe; PostgreSQL closes silently).
   *
   * @throws ProtocolViolation if the length is outside {@code [8, MAX_STARTUP_PACKET_LENGTH]}
   */
  public int readStartupPacket() throws IOException {
    int first = in.read();
    if (first < 0) {
      return -1;
    }
    phase.messageStarted();
    int length = (first << 24) | readInt24();
    // the body must at least hold the Int32 protocol code
    if (length < 8 || length > MAX_STARTUP_PACKET_LENGTH) {
      throw new ProtocolViolation("invalid length of startup packet", "length " + length);
    }
    readBody(length - 4);
    phase.messageFinished();
    type = 0;
    return bodyLength;
  }

  /**
   * Reads one typed message. Returns false on a clean end of stream (no byte of a new frame).
   *
   * @throws ProtocolViolation on an impossible length
   * @throws TruncatedMessageException if the stream ends inside the frame
   */
  public boolean readMessage() throws IOException {
    int t = in.read();
    if (t < 0) {
      type = -1;
      return false;
    }
    phase.messageStarted();
    int b0 = in.read();
    if (b0 < 0) {
      throw new TruncatedMessageException("connection ended inside a message header");
    }
    int length = (b0 << 24) | readInt24();
    if (length < 4) {
      throw new ProtocolViolation(
          "invalid message length", "message type 0x%02X has length %d".formatted(t, length));
    }
    int max = maxBodyLength(t);
    if (length - 4 > max) {
      throw new ProtocolViolation(
          "invalid message length",
          "message type 0x%02X has length %d, more than %d".formatted(t, length, max + 4));
    }
    readBody(length - 4);
    type = t;
    phase.messageFinished();
    return true;
  }

  private int readInt24() throws IOException {
    int b1 = in.read();
    int b2 = in.read();
    int b3 = in.read();
    if ((b1 | b2 | b3) < 0) {
      throw new TruncatedMessageException("connection ended inside a message length");
    }
    return (b1 << 16) | (b2 << 8) | b3;
  }

  private void readBody(int n) throws IOException {
    if (buf.length > RETAINED_BUFFER_MAX && n <= INITIAL_BUFFER) {
      buf = new byte[INITIAL_BUFFER];
    }
    int off = 0;
    while (off < n) {
      if (off == buf.length) {
        // grow only as bytes actually arrive: a lying length costs the liar, not the server
        buf = java.util.Arrays.copyOf(buf, (int) Math.min(n, (long) buf.length * 2));
      }
      int r = in.read(buf, off, Math.min(n, buf.length) - off);
      if (r < 0) {
        throw new TruncatedMessageException(
            "connection ended after %d of %d message bytes".formatted(off, n));
      }
      off += r;
    }
    bodyLength = n;
  }

  /** The type byte of the last message read (0 for a startup packet). */
  public int type() {
    return type;
  }

  /** The backing buffer of the last body; valid until the next read. */
  public byte[] buffer() {
    return buf;
  }

  public int bodyLength() {
    return bodyLength;
  }

  /** A bounds-checked cursor over the last body. */
  public BodyReader body() {
    return new BodyReader(buf, 0, bodyLength);
  }
}
