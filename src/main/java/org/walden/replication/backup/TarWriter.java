package org.walden.replication.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX ustar archive to a {@link ByteSink} (pg-protocol-facts §5.2): 512-byte headers
 * with octal fields, a checksum {@code tar} accepts, members padded to 512 bytes, two zero blocks
 * at the end. Directory names get a trailing {@code /}. Sizes beyond the 11 octal digits use the
 * base-256 form. Names longer than 99 bytes are refused (Walden's directory has none).
 *
 * <p>Not thread-safe: one per archive, on the backup's thread.
 */
final class TarWriter {

  /** Where archive bytes go. */
  interface ByteSink {
    void write(byte[] b, int off, int len) throws IOException;
  }

  static final int BLOCK = 512;
  private static final byte[] ZEROS = new byte[BLOCK];

  private final ByteSink out;
  private long pendingPadding;

  TarWriter(ByteSink out) {
    this.out = out;
  }

  void directory(String name, long mtimeSeconds) throws IOException {
    header(name.endsWith("/") ? name : name + "/", 0700, 0, mtimeSeconds, '5');
  }

  /** Starts a regular file of exactly {@code size} bytes; follow with {@link #data} calls. */
  void beginFile(String name, long size, long mtimeSeconds) throws IOException {
    header(name, 0600, size, mtimeSeconds, '0');
    pendingPadding = (BLOCK - size % BLOCK) % BLOCK;
  }

  void data(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  /** Pads the current file to a block boundary. */
  void endFile() throws IOException {
    if (pendingPadding > 0) {
      out.write(ZEROS, 0, (int) pendingPadding);
      pendingPadding = 0;
    }
  }

  void file(String name, byte[] content, long mtimeSeconds) throws IOException {
    beginFile(name, content.length, mtimeSeconds);
    data(content, 0, content.length);
    endFile();
  }

  /** The two zero blocks that end the archive. */
  void finish() throws IOException {
    out.write(ZEROS, 0, BLOCK);
    out.write(ZEROS, 0, BLOCK);
  }

  private void header(String name, int mode, long size, long mtime, char type) throws IOException {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 99) {
      throw new IOException("file name too long for a tar header: " + name);
    }
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (size >= 077777777777L) {
      // base-256: leading 0x80, then the value big-endian in the remaining bytes
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[124 + 11 - i] = (byte) (size >>> (8 * i));
      }
    } else {
      octal(h, 124, 12, size);
    }
    octal(h, 136, 12, mtime);
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    put(h, 265, "postgres");
    put(h, 297, "postgres");
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    // six octal digits, NUL, space (the classic form tar writes)
    String s = String.format("%06o", sum);
    put(h, 148, s);
    h[154] = 0;
    h[155] = ' ';
    out.write(h, 0, BLOCK);
  }

  /** Zero-padded octal digits and a trailing space filling {@code width} bytes. */
  private static void octal(byte[] h, int at, int width, long value) {
    String s = Long.toOctalString(value);
    int digits = width - 1;
    StringBuilder b = new StringBuilder();
    for (int i = s.length(); i < digits; i++) {
      b.append('0');
    }
    b.append(s).append(' ');
    put(h, at, b.toString());
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }
}
