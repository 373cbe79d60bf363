package org.walden.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The file-system operations Walden's durable state goes through, as an interface so tests can put
 * a fault-injecting or crash-simulating layer underneath ({@code FaultyFileIo}, {@code
 * CrashSimulatingFileIo} in the tests). Production uses {@link NioFileIo}.
 *
 * <p>Implementations must be thread-safe. None of these methods retries on failure: a failed {@code
 * force} in particular is reported to the caller, which decides (for WAL: stop the server).
 */
public interface FileIo {

  /** Opens a file channel; the options are those of {@link FileChannel#open}. */
  FileChannel open(Path path, OpenOption... options) throws IOException;

  /** Atomically renames {@code from} to {@code to}, replacing {@code to} if it exists. */
  void rename(Path from, Path to) throws IOException;

  /** Creates a hard link {@code link} to {@code existing}; fails if {@code link} exists. */
  void link(Path existing, Path link) throws IOException;

  /** Deletes a file; returns false if it did not exist. */
  boolean delete(Path path) throws IOException;

  /** Forces a directory's entries (creations, renames, deletions in it) to disk. */
  void syncDirectory(Path dir) throws IOException;

  boolean exists(Path path);

  boolean isDirectory(Path path);

  /** Creates a directory and any missing parents (not durably: see {@link DurableFiles}). */
  void createDirectories(Path dir) throws IOException;

  /** The names of the entries of a directory, in no particular order. */
  List<String> list(Path dir) throws IOException;

  long size(Path path) throws IOException;

  /** The number of hard links to a file (1 where the file system cannot tell). */
  default int linkCount(Path path) throws IOException {
    return 1;
  }

  /** The production implementation. */
  static FileIo nio() {
    return NioFileIo.INSTANCE;
  }
}
