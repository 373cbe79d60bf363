package org.walden.storage.type;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for building WAL record bodies, catalog entries and snapshot
 * blocks. Reusable: {@link #clear()} keeps the array, so a hot path (one per session or per writer
 * thread) allocates nothing once warmed up. Not thread-safe.
 */
public final class ByteSink {

  private byte[] buf;
  private int len;

  public ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public ByteSink clear() {
    len = 0;
    return this;
  }

  public int length() {
    return len;
  }

  public byte[] array() {
    return buf;
  }

  /** A buffer over the bytes written so far (shares the array; valid until the next write). */
  public ByteBuffer view() {
    return ByteBuffer.wrap(buf, 0, len);
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  public ByteSink putByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
    return this;
  }

  public ByteSink putBoolean(boolean b) {
    return putByte(b ? 1 : 0);
  }

  public ByteSink putInt(int v) {
    ensure(4);
    buf[len] = (byte) (v >>> 24);
    buf[len + 1] = (byte) (v >>> 16);
    buf[len + 2] = (byte) (v >>> 8);
    buf[len + 3] = (byte) v;
    len += 4;
    return this;
  }

  public ByteSink putLong(long v) {
    putInt((int) (v >>> 32));
    return putInt((int) v);
  }

  public ByteSink putBytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  public ByteSink putBytes(byte[] b) {
    return putBytes(b, 0, b.length);
  }

  /** An int length, then the bytes; null is length -1. */
  public ByteSink putLengthPrefixed(byte[] b) {
    if (b == null) {
      return putInt(-1);
    }
    putInt(b.length);
    return putBytes(b);
  }

  /** A UTF-8 string with an int length prefix; null is length -1. */
  public ByteSink putString(String s) {
    return putLengthPrefixed(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads what {@link #putLengthPrefixed} wrote. */
  public static byte[] getLengthPrefixed(ByteBuffer in) {
    int n = in.getInt();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException(
          "length " + n + " exceeds the " + in.remaining() + " bytes left");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  /** Reads what {@link #putString} wrote. */
  public static String getString(ByteBuffer in) {
    byte[] b = getLengthPrefixed(in);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
