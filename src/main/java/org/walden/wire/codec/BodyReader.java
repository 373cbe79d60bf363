package org.walden.wire.codec;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over one message body (a slice {@code [offset, end)} of a byte array).
 * Every read checks the remaining length first and raises {@link ProtocolViolation} on overrun, so
 * a decoder built on it cannot read past its own message, whatever the input.
 *
 * <p>Not thread-safe; lives for the decoding of one message.
 */
public final class BodyReader {
  private final byte[] buf;
  private final int end;
  private int pos;

  public BodyReader(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new IllegalArgumentException("slice out of range: " + offset + "+" + length);
    }
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  public int remaining() {
    return end - pos;
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw new ProtocolViolation("insufficient data left in message");
    }
  }

  public int int8() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public short int16() {
    need(2);
    short v = (short) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
    pos += 2;
    return v;
  }

  /** An Int16 that the protocol uses as a count; negative counts are malformed. */
  public int count16() {
    int n = int16();
    if (n < 0) {
      throw new ProtocolViolation("invalid message format", "negative count " + n);
    }
    return n;
  }

  public int int32() {
    need(4);
    int v =
        ((buf[pos] & 0xFF) << 24)
            | ((buf[pos + 1] & 0xFF) << 16)
            | ((buf[pos + 2] & 0xFF) << 8)
            | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  public byte[] bytes(int n) {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** A NUL-terminated string (the terminator is consumed, not returned), decoded as UTF-8. */
  public String cstring() {
    int nul = -1;
    for (int i = pos; i < end; i++) {
      if (buf[i] == 0) {
        nul = i;
        break;
      }
    }
    if (nul < 0) {
      throw new ProtocolViolation("invalid string in message");
    }
    String s = new String(buf, pos, nul - pos, StandardCharsets.UTF_8);
    pos = nul + 1;
    return s;
  }

  /** Everything left, copied out. */
  public byte[] rest() {
    return bytes(remaining());
  }

  /** Asserts the whole body was consumed: trailing garbage is malformed too. */
  public void expectEnd() {
    if (pos != end) {
      throw new ProtocolViolation("invalid message format", (end - pos) + " unexpected bytes");
    }
  }
}
