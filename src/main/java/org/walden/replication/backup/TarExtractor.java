package org.walden.replication.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unpacks a ustar stream into a directory as its bytes arrive in arbitrary pieces ({@code walden
 * basebackup}'s plain format): directories and regular files only, names checked to stay inside the
 * target. Not thread-safe; one per archive.
 */
final class TarExtractor {

  private final Path root;
  private final byte[] header = new byte[TarWriter.BLOCK];
  private int headerFill;
  private OutputStream file;
  private long remaining;
  private long padding;
  private boolean ended;

  TarExtractor(Path root) {
    this.root = root;
  }

  void feed(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (remaining > 0) {
        int n = (int) Math.min(len, remaining);
        file.write(b, off, n);
        remaining -= n;
        off += n;
        len -= n;
        if (remaining == 0) {
          file.close();
          file = null;
        }
      } else if (padding > 0) {
        int n = (int) Math.min(len, padding);
        padding -= n;
        off += n;
        len -= n;
      } else {
        int n = Math.min(len, header.length - headerFill);
        System.arraycopy(b, off, header, headerFill, n);
        headerFill += n;
        off += n;
        len -= n;
        if (headerFill == header.length) {
          headerFill = 0;
          member();
        }
      }
    }
  }

  private void member() throws IOException {
    if (ended) {
      return;
    }
    int nameLen = 0;
    while (nameLen < 100 && header[nameLen] != 0) {
      nameLen++;
    }
    if (nameLen == 0) {
      ended = true; // the first zero block ends the archive
      return;
    }
    String name = new String(header, 0, nameLen, StandardCharsets.UTF_8);
    long size = octal(124, 12);
    char type = (char) header[156];
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || name.startsWith("/")) {
      throw new IOException("tar member \"" + name + "\" is outside the target directory");
    }
    if (type == '5') {
      Files.createDirectories(p);
    } else if (type == '0' || type == 0) {
      Files.createDirectories(p.getParent());
      file = Files.newOutputStream(p);
      remaining = size;
      padding = (TarWriter.BLOCK - size % TarWriter.BLOCK) % TarWriter.BLOCK;
      if (size == 0) {
        file.close();
        file = null;
      }
    } else {
      throw new IOException("unsupported tar member type '" + type + "' for \"" + name + "\"");
    }
  }

  private long octal(int at, int width) {
    if ((header[at] & 0x80) != 0) {
      long v = 0;
      for (int i = 1; i < width; i++) {
        v = (v << 8) | (header[at + i] & 0xFF);
      }
      return v;
    }
    long v = 0;
    for (int i = at; i < at + width; i++) {
      byte c = header[i];
      if (c >= '0' && c <= '7') {
        v = v * 8 + (c - '0');
      } else if (c != ' ' && c != 0) {
        break;
      }
    }
    return v;
  }

  void finish() throws IOException {
    if (file != null) {
      file.close();
      throw new IOException("tar archive ended inside a file");
    }
  }
}
