package org.walden.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The data directory's {@code postmaster.pid}: the guarantee that at most one server runs on a data
 * directory, and the note that tells {@code walden status} and {@code walden stop} which process
 * that is.
 *
 * <h2>How exclusion works</h2>
 *
 * <p>PostgreSQL decides whether a lock file is stale by probing the recorded pid with {@code
 * kill(pid, 0)}, which is fooled by pid reuse. Walden holds an OS file lock ({@link
 * FileChannel#tryLock}, {@code fcntl} on Linux) on the file for the whole life of the server, so
 * the kernel drops it when the process dies however it dies. Hence:
 *
 * <ul>
 *   <li>the lock is held: another live server owns the directory, and start-up fails with
 *       PostgreSQL's message and hint naming its pid;
 *   <li>the lock is free but the file has content: a crashed server's leftover; its content is
 *       simply overwritten (under the lock).
 * </ul>
 *
 * <p>Two traps of POSIX record locks shape the code. First, the lock belongs to the inode, so the
 * file is never replaced by rename ({@link DurableFiles#atomicReplace}) or deleted while a server
 * may lock it: a new inode under the name would be unlocked and let a second server in. Content
 * updates ({@link #setStatus}) are written in place through the locked channel, and at {@link
 * #close} the file is emptied, not deleted; an empty {@code postmaster.pid} means "no server".
 * Second, closing <em>any</em> descriptor of the file releases all of the process's locks on it
 * (the JDK uses classic {@code fcntl} locks). So the process that holds the lock must never open
 * the file again: a JVM-wide registry of held directories answers same-process {@link #acquire} and
 * {@link #read} calls without touching the file, and a base backup must skip the file (as
 * PostgreSQL's does).
 *
 * <h2>Content</h2>
 *
 * <p>PostgreSQL's line layout: pid, data directory, start time (epoch seconds), port, socket
 * directory (empty), listen address, shared-memory key (empty), status ({@code starting}, {@code
 * stopping}, {@code ready }, {@code standby }). Readers must tolerate a torn or empty file: a
 * status update truncates and rewrites it.
 *
 * <p>Lifecycle: acquired at start-up before anything else touches the data directory; closed last
 * at shutdown. Thread-safe: {@link #setStatus} and {@link #close} are synchronized on the instance.
 */
public final class PidLock implements AutoCloseable {

  public static final String FILE_NAME = "postmaster.pid";

  /** The server's state as the status line shows it (PostgreSQL's {@code PM_STATUS_*}). */
  public enum Status {
    STARTING("starting"),
    STOPPING("stopping"),
    READY("ready   "),
    STANDBY("standby ");

    private final String text;

    Status(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    static Optional<Status> parse(String line) {
      for (Status s : values()) {
        if (s.text.trim().equals(line.trim())) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /** The content of a lock file. */
  public record Content(
      long pid,
      Path dataDirectory,
      Instant startTime,
      int port,
      String listenAddress,
      Status status) {

    String render() {
      return pid
          + "\n"
          + dataDirectory
          + "\n"
          + startTime.getEpochSecond()
          + "\n"
          + port
          + "\n"
          + "\n" // Unix socket directory: Walden listens on TCP only
          + listenAddress
          + "\n"
          + "\n" // shared memory key: none
          + status.text()
          + "\n";
    }

    /** Parses a lock file; empty if it is torn, empty or not a lock file. */
    static Optional<Content> parse(String text) {
      List<String> lines = text.lines().toList();
      if (lines.size() < 8) {
        return Optional.empty();
      }
      try {
        Optional<Status> status = Status.parse(lines.get(7));
        if (status.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(
            new Content(
                Long.parseLong(lines.get(0).trim()),
                Path.of(lines.get(1)),
                Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim())),
                Integer.parseInt(lines.get(3).trim()),
                lines.get(5),
                status.get()));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }

    /** True if a process with the recorded pid exists (it may not be a Walden server). */
    public boolean processAlive() {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  /**
   * Data directories (real paths) locked by this JVM. Guarded by {@code PidLock.class}: acquire and
   * close run under it, so a directory is never locked twice by one process.
   */
  private static final java.util.Map<Path, PidLock> HELD = new java.util.HashMap<>();

  private final Path directory;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final boolean replacedStale;

  /** Guarded by {@code this}. */
  private Content content;

  /** Guarded by {@code this}. */
  private boolean closed;

  private PidLock(
      Path directory,
      Path file,
      FileChannel channel,
      FileLock lock,
      Content content,
      boolean replacedStale) {
    this.directory = directory;
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.content = content;
    this.replacedStale = replacedStale;
  }

  /**
   * Locks {@code dataDirectory} for this process and writes the lock file with status {@code
   * starting}.
   *
   * @throws DataDirectoryLockedException if a live server holds the lock
   * @throws IOException if the file cannot be created or written
   */
  public static PidLock acquire(
      FileIo io, Path dataDirectory, int port, String listenAddress, Clock clock)
      throws IOException {
    Path dir = dataDirectory.toRealPath();
    synchronized (PidLock.class) {
      PidLock mine = HELD.get(dir);
      if (mine != null) {
        throw lockedError(dir, Optional.of(mine.content()));
      }
      Path file = dir.resolve(FILE_NAME);
      FileChannel ch =
          io.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        // This JVM locks the same file under another name (a bind mount?). Closing `ch` would
        // drop that lock (see the class comment), so the descriptor is deliberately left open.
        throw lockedError(dir, Optional.empty());
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      if (lock == null) {
        // Another process holds it. Reading and closing our own descriptor is harmless: we
        // hold no lock on this file.
        try (ch) {
          throw lockedError(dir, readContent(ch));
        }
      }
      boolean stale = ch.size() > 0;
      Content c =
          new Content(
              ProcessHandle.current().pid(),
              dir,
              Instant.ofEpochSecond(clock.instant().getEpochSecond()),
              port,
              listenAddress,
              Status.STARTING);
      try {
        writeInPlace(ch, c);
      } catch (IOException e) {
        ch.close(); // also releases the lock
        throw e;
      }
      PidLock held = new PidLock(dir, file, ch, lock, c, stale);
      HELD.put(dir, held);
      return held;
    }
  }

  /** Reads the lock file of {@code dataDirectory}, if it exists and is complete. */
  public static Optional<Content> read(FileIo io, Path dataDirectory) throws IOException {
    Path dir;
    try {
      dir = dataDirectory.toRealPath();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    synchronized (PidLock.class) {
      PidLock mine = HELD.get(dir);
      if (mine != null) {
        // Never open the file we hold: closing it would release our lock.
        return Optional.of(mine.content());
      }
    }
    Path file = dir.resolve(FILE_NAME);
    try (FileChannel ch = io.open(file, StandardOpenOption.READ)) {
      return readContent(ch);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** True if a stale lock file of a crashed server was found and overwritten. */
  public boolean replacedStaleFile() {
    return replacedStale;
  }

  public Path dataDirectory() {
    return directory;
  }

  public synchronized Content content() {
    return content;
  }

  /** Records the server's state in the status line (read by {@code walden status}). */
  public synchronized void setStatus(Status status) throws IOException {
    if (closed) {
      throw new IllegalStateException("lock on " + file + " already released");
    }
    Content next =
        new Content(
            content.pid(),
            content.dataDirectory(),
            content.startTime(),
            content.port(),
            content.listenAddress(),
            status);
    writeInPlace(channel, next);
    content = next;
  }

  /**
   * Empties the lock file and releases the lock; idempotent. The file is emptied rather than
   * deleted so that its inode, which starters lock, never changes (see the class comment).
   */
  @Override
  public void close() throws IOException {
    synchronized (PidLock.class) {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        HELD.remove(directory, this);
        try {
          channel.truncate(0);
          channel.force(true);
        } finally {
          try {
            lock.release();
          } finally {
            channel.close();
          }
        }
      }
    }
  }

  private static void writeInPlace(FileChannel ch, Content c) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(c.render().getBytes(StandardCharsets.UTF_8));
    ch.truncate(0);
    DurableFiles.writeFully(ch, buf, 0);
    ch.force(true);
  }

  private static Optional<Content> readContent(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0 || size > 64 * 1024) {
      return Optional.empty();
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    DurableFiles.readFully(ch, buf, 0);
    buf.flip();
    return Content.parse(StandardCharsets.UTF_8.decode(buf).toString());
  }

  private static DataDirectoryLockedException lockedError(Path dir, Optional<Content> holder) {
    String message = "lock file \"" + FILE_NAME + "\" already exists";
    if (holder.isEmpty()) {
      return new DataDirectoryLockedException(
          message,
          "Another walden server is starting in data directory \"" + dir + "\".",
          OptionalLong.empty());
    }
    long pid = holder.get().pid();
    return new DataDirectoryLockedException(
        message,
        "Is another walden server (PID " + pid + ") running in data directory \"" + dir + "\"?",
        OptionalLong.of(pid));
  }
}
