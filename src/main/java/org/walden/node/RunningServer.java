package org.walden.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.walden.fs.FileIo;
import org.walden.fs.PidLock;

/**
 * A server process found through a data directory's {@code postmaster.pid}, as {@code walden stop}
 * and {@code walden status} see it from another process.
 *
 * <p>Stopping: the wanted mode is written to {@code postmaster.stopmode}, then the process gets
 * SIGTERM; the server's signal handler reads the mode (smart if the file is absent, as a plain
 * {@code kill} gives). A file is used because the JVM reserves the signals PostgreSQL uses for the
 * other modes (SIGQUIT for thread dumps, SIGUSR2 internally).
 */
public record RunningServer(Path dataDir, long pid) {

  public static final String STOP_MODE_FILE = "postmaster.stopmode";

  /**
   * The server running on {@code dataDir}, if any: its pid file names a live process. A stale file
   * left by a crash names a dead one. (The file is read through {@link PidLock#read}, never opened
   * here directly: closing any descriptor of it would drop the lock of a server running in this
   * very JVM.)
   */
  public static Optional<RunningServer> find(Path dataDir) throws IOException {
    Optional<PidLock.Content> c = PidLock.read(FileIo.nio(), dataDir);
    if (c.isEmpty() || !c.get().processAlive()) {
      return Optional.empty();
    }
    return Optional.of(new RunningServer(dataDir, c.get().pid()));
  }

  /** Asks the server to stop in {@code mode} and waits up to {@code timeout} for it to exit. */
  public boolean stop(ShutdownMode mode, Duration timeout)
      throws IOException, InterruptedException {
    Files.writeString(dataDir.resolve(STOP_MODE_FILE), mode.name().toLowerCase(Locale.ROOT) + "\n");
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

  /**
   * Asks a standby to promote: writes the {@code promote} file it watches for (written under a
   * temporary name and renamed, so the server never sees it half-written), then waits up to {@code
   * timeout} until {@code standby.signal} is gone (the server removes it on the way to accepting
   * writes) and the pid file says it is ready. A zero timeout does not wait.
   */
  public boolean promote(Duration timeout) throws IOException, InterruptedException {
    Path tmp = dataDir.resolve(PromoteSignal.FILE + ".tmp");
    Files.writeString(tmp, "");
    Files.move(tmp, dataDir.resolve(PromoteSignal.FILE), StandardCopyOption.ATOMIC_MOVE);
    long deadline = System.nanoTime() + timeout.toNanos();
    // another process: no condition to wait on, so look again every 100 ms (pg_ctl does too)
    while (true) {
      Optional<PidLock.Content> c = PidLock.read(FileIo.nio(), dataDir);
      if (!Files.exists(dataDir.resolve("standby.signal"))
          && c.isPresent()
          && c.get().status() == PidLock.Status.READY) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return timeout.isZero();
      }
      Thread.sleep(100);
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
