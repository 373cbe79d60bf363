package org.walden.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of one version of a simulated file (the live view, or what a crash would leave): a
 * growable array with a length. Not thread-safe; {@link CrashSimulatingFileIo} guards every
 * instance with its own monitor.
 *
 * <p>Invariant: every byte at or past {@code length} is zero, so growing the file (a write past the
 * end, or unwritten blocks after a crash) reads as zeros without a fill.
 */
final class SimulatedContent {

  /** Keeps positions within what a Java array can index, with headroom for growth. */
  private static final long MAX_LENGTH = Integer.MAX_VALUE - 16;

  private byte[] bytes;
  private int length;

  SimulatedContent(byte[] initial) {
    this.bytes = initial.clone();
    this.length = initial.length;
  }

  int length() {
    return length;
  }

  /** Reads at {@code pos} into {@code dst}; -1 at or past the end, as {@code FileChannel} does. */
  int read(long pos, ByteBuffer dst) {
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (pos >= length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), length - pos);
    dst.put(bytes, (int) pos, n);
    return n;
  }

  /** Writes all of {@code src} at {@code pos}; a gap past the old end reads as zeros. */
  int write(long pos, ByteBuffer src) throws IOException {
    int n = src.remaining();
    if (n == 0) {
      return 0; // an empty write past the end does not extend the file, as with pwrite(2)
    }
    long end = pos + n;
    ensureCapacity(end);
    src.get(bytes, (int) pos, n);
    length = (int) Math.max(length, end);
    return n;
  }

  /** Extends the content to {@code newLength} with zeros; no-op if it is already that long. */
  void growTo(long newLength) throws IOException {
    if (newLength > length) {
      ensureCapacity(newLength);
      length = (int) newLength;
    }
  }

  /** Shrinks to {@code newLength}; no-op if already no longer. */
  void truncate(long newLength) {
    if (newLength < length) {
      Arrays.fill(bytes, (int) newLength, length, (byte) 0);
      length = (int) newLength;
    }
  }

  byte[] toArray() {
    return Arrays.copyOf(bytes, length);
  }

  private void ensureCapacity(long needed) throws IOException {
    if (needed > MAX_LENGTH) {
      throw new IOException("File too large (simulated file limit is " + MAX_LENGTH + " bytes)");
    }
    if (needed > bytes.length) {
      long grown = Math.max(needed, Math.min(MAX_LENGTH, Math.max(64L, 2L * bytes.length)));
      bytes = Arrays.copyOf(bytes, (int) grown);
    }
  }
}
