package org.walden.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one audited place where Walden makes file-system changes durable (PostgreSQL's {@code
 * fsync_fname}, {@code durable_rename}, {@code durable_link_or_rename}). Every file whose old
 * content must survive a crash is replaced through {@link #atomicReplace}; every rename that must
 * survive goes through {@link #durableRename}.
 *
 * <p>Why the sequences are as long as they are: {@code rename(2)} is atomic but not durable. After
 * a crash the directory may still show the old name, and on file systems that reorder metadata the
 * new name may point at a file whose data never reached the disk. So: force the source file (its
 * data is on disk before the name changes), rename, force the file again under its new name, and
 * force the directory (the new entry is on disk). A crash between any two steps leaves either the
 * complete old file or the complete new one under the target name, never a mix.
 *
 * <p>No method retries a failed {@code force}: after a failed fsync the kernel may have dropped the
 * dirty pages, so a retry could "succeed" without the data ever reaching the disk (PostgreSQL's
 * fsync-gate lesson). Failures surface as {@link IOException} and the caller decides; for WAL that
 * means stopping the server.
 *
 * <p>Stateless and thread-safe apart from the {@link FileIo} it is given.
 */
public final class DurableFiles {

  private final FileIo io;

  public DurableFiles(FileIo io) {
    this.io = io;
  }

  public FileIo io() {
    return io;
  }

  /** Forces a file's data and metadata to disk. */
  public void fsyncFile(Path file) throws IOException {
    try (FileChannel ch = io.open(file, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Forces a directory's entries to disk. */
  public void fsyncDirectory(Path dir) throws IOException {
    io.syncDirectory(dir);
  }

  /**
   * Renames {@code from} to {@code to} durably, replacing {@code to}: force {@code from}, rename,
   * force {@code to}, force the directory of {@code to} (and of {@code from} if it differs).
   */
  public void durableRename(Path from, Path to) throws IOException {
    fsyncFile(from);
    io.rename(from, to);
    fsyncFile(to);
    Path toDir = parentOf(to);
    fsyncDirectory(toDir);
    Path fromDir = parentOf(from);
    if (!fromDir.equals(toDir)) {
      fsyncDirectory(fromDir);
    }
  }

  /**
   * Moves {@code from} to {@code to} durably but never replaces an existing {@code to}: link the
   * new name, then remove the old one, then force the directory (PostgreSQL's {@code
   * durable_link_or_rename}). Fails with {@link java.nio.file.FileAlreadyExistsException} if {@code
   * to} exists. Falls back to a rename where hard links are not supported, after checking that
   * {@code to} is absent.
   */
  public void durableLinkOrRename(Path from, Path to) throws IOException {
    fsyncFile(from);
    try {
      io.link(from, to);
      io.delete(from);
    } catch (UnsupportedOperationException e) {
      if (io.exists(to)) {
        throw new java.nio.file.FileAlreadyExistsException(to.toString());
      }
      io.rename(from, to);
    }
    fsyncFile(to);
    fsyncDirectory(parentOf(to));
  }

  /**
   * Replaces the content of {@code target} atomically and durably: write a temporary file beside
   * it, force it, then {@link #durableRename} it over the target. Readers see the old or the new
   * content, and so does recovery after a crash at any step.
   */
  public void atomicReplace(Path target, ByteBuffer content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    io.delete(tmp);
    try (FileChannel ch = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writeFully(ch, content, 0);
      ch.force(true);
    }
    durableRename(tmp, target);
  }

  public void atomicReplace(Path target, byte[] content) throws IOException {
    atomicReplace(target, ByteBuffer.wrap(content));
  }

  /** Creates an empty file durably (for signal files such as {@code standby.signal}). */
  public void durableCreate(Path file) throws IOException {
    try (FileChannel ch = io.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    fsyncDirectory(parentOf(file));
  }

  /** Deletes a file and forces its directory, so the deletion survives a crash. */
  public boolean durableDelete(Path file) throws IOException {
    boolean existed = io.delete(file);
    if (existed) {
      fsyncDirectory(parentOf(file));
    }
    return existed;
  }

  /**
   * Creates a directory and any missing parents, then forces every directory it created and the
   * existing one it created them in.
   *
   * <p>Forcing only the new directory and its parent is not enough when several levels are created:
   * the entry of the topmost new directory lives in the existing ancestor, and until that is forced
   * a crash loses the whole new path. The forces run deepest first, so the existing ancestor goes
   * last and a crash leaves either no trace of the new path or all of it.
   */
  public void durableMkdirs(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    if (io.isDirectory(abs)) {
      return;
    }
    List<Path> created = new ArrayList<>();
    Path existing = abs;
    while (existing != null && !io.isDirectory(existing)) {
      created.add(existing); // deepest first
      existing = existing.getParent();
    }
    io.createDirectories(abs);
    for (Path p : created) {
      fsyncDirectory(p);
    }
    if (existing != null) {
      fsyncDirectory(existing);
    }
  }

  /** Writes all of {@code buf} at {@code position}, looping over short writes. */
  public static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  /** Reads until {@code buf} is full or end of file; returns the bytes read. */
  public static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    int total = 0;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static Path parentOf(Path p) {
    Path parent = p.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("no parent directory for " + p);
    }
    return parent;
  }
}
