package org.walden.storage.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.walden.fs.DurableFiles;

/**
 * Reads and writes a data directory's control file, {@code global/control}.
 *
 * <p>Writes replace the whole file through {@link DurableFiles#atomicReplace} (temp file, force,
 * rename, force directory), so after a crash the file holds the previous or the new content, never
 * a mix; PostgreSQL instead relies on a sector-sized in-place write. Reads return an explicit
 * {@link ControlFileReadResult}; I/O errors other than a missing file are thrown.
 *
 * <p>Writers (start-up, the checkpointer, recovery updating the minimum recovery point) are
 * serialized on this instance, PostgreSQL's {@code ControlFileLock}: two concurrent replaces would
 * share one temporary file. The node owns one instance per data directory; the in-memory copy of
 * the latest {@link ControlData} is the caller's to keep.
 */
public final class ControlFileStore {

  /** Where the file lives, relative to the data directory. */
  public static final String RELATIVE_PATH = "global/control";

  private final DurableFiles durable;
  private final Path file;

  public ControlFileStore(Path dataDirectory, DurableFiles durable) {
    this.durable = durable;
    this.file = dataDirectory.resolve(RELATIVE_PATH).toAbsolutePath().normalize();
  }

  public Path file() {
    return file;
  }

  /** Reads and checks the file. */
  public ControlFileReadResult read() throws IOException {
    byte[] bytes;
    try (FileChannel ch = durable.io().open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > ControlFileFormat.MAX_FILE_BYTES) {
        return new ControlFileReadResult.Corrupt(
            file, "file is " + size + " bytes long, longer than any control file");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      int n = DurableFiles.readFully(ch, buf, 0);
      bytes = n == size ? buf.array() : java.util.Arrays.copyOf(buf.array(), n);
    } catch (NoSuchFileException e) {
      return new ControlFileReadResult.Missing(file);
    }
    return ControlFileFormat.decode(file, bytes);
  }

  /** Replaces the file durably with {@code data}; creates {@code global/} if needed. */
  public synchronized void write(ControlData data) throws IOException {
    byte[] bytes = ControlFileFormat.encode(data);
    durable.durableMkdirs(file.getParent());
    durable.atomicReplace(file, bytes);
  }
}
