package org.walden.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server process found through a data directory's {@code postmaster.pid}, as {@code walden stop}
 * and {@code walden status} see it from another process.
 *
 * <p>Stopping: the wanted mode is written to {@code postmaster.stopmode}, then the process gets
 * SIGTERM; the server's signal handler reads the mode (smart if the file is absent, as a plain
 * {@code kill} gives). A file is used because the JVM reserves the signals PostgreSQL uses for
 * the other modes (SIGQUIT for thread dumps, SIGUSR2 internally).
 */
public record RunningServer(Path dataDir, long pid) {

  public static final String STOP_MODE_FILE = "postmaster.stopmode";

  /**
   * The server running on {@code dataDir}, if any: the pid file exists, its process is alive, and
   * the file is locked (a stale file left by a crash is not locked; a live pid there may be an
   * unrelated process that reused the number).
   */
  public static Optional<RunningServer> find(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    String text;
    try {
      text = Files.readString(pidFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String first = text.lines().findFirst().orElse("").strip();
    long pid;
    try {
      pid = Long.parseLong(first);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty() || !ph.get().isAlive() || !isLocked(pidFile)) {
      return Optional.empty();
    }
    return Optional.of(new RunningServer(dataDir, pid));
  }

  private static boolean isLocked(Path pidFile) {
    try (FileChannel ch = FileChannel.open(pidFile, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // held by this very JVM (embedded server in tests)
    } catch (IOException e) {
      return true; // cannot tell; assume the server is there rather than act on a live one
    }
  }

  /** Asks the server to stop in {@code mode} and waits up to {@code timeout} for it to exit. */
  public boolean stop(ShutdownMode mode, Duration timeout) throws IOException, InterruptedException {
    Files.writeString(
        dataDir.resolve(STOP_MODE_FILE), mode.name().toLowerCase(Locale.ROOT) + "\n");
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty()) {
      return true;
    }
    ph.get().destroy(); // SIGTERM
    try {
      ph.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !ph.get().isAlive();
    }
  }

  /** Reads and removes the stop-mode file; smart if there is none (a plain SIGTERM). */
  public static ShutdownMode takeRequestedMode(Path dataDir) {
    Path f = dataDir.resolve(STOP_MODE_FILE);
    try {
      String s = Files.readString(f, StandardCharsets.UTF_8).strip();
      Files.deleteIfExists(f);
      return ShutdownMode.parse(s);
    } catch (IOException | IllegalArgumentException e) {
      return ShutdownMode.SMART;
    }
  }
}
