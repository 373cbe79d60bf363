package org.walden.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.Config;
import org.walden.config.ConfigException;
import org.walden.config.ConfigSources;
import org.walden.config.ReloadResult;
import org.walden.config.Settings;
import org.walden.fs.DataDirectoryLockedException;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.fs.PidLock;
import org.walden.server.PgServer;
import org.walden.storage.checkpoint.CheckpointSettings;
import org.walden.storage.checkpoint.Checkpointer;
import org.walden.storage.control.ControlData;
import org.walden.storage.control.ControlFileStore;
import org.walden.storage.control.DbState;
import org.walden.storage.txn.TransactionManager;
import org.walden.wal.CheckpointRecord;
import org.walden.wal.Lsn;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalWriter;
import org.walden.wire.auth.HbaParseException;

/**
 * One Walden server on one data directory: PostgreSQL's postmaster, as an object. It owns the
 * lifecycle — startup (lock, settings, control file, crash recovery), running (WAL writer,
 * checkpointer, the table store), shutdown (in PostgreSQL's three modes) — and composes the
 * subsystems; it holds no database logic of its own.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #start} returns a running node or throws {@link StartupException} having changed nothing
 * that matters (a crash recovery that fails leaves the WAL and control file as they were). {@link
 * #shutdown} (or {@link #requestShutdown} from a signal handler) ends it; {@link #awaitTermination}
 * blocks until then. A WAL failure (a failed write or fsync) stops the node at once,
 * immediate-style: nothing more is acknowledged, and the next start recovers from the WAL.
 *
 * <h2>Threads</h2>
 *
 * Starts the WAL writer's threads, the checkpointer, and — once recovery is done — the client
 * listener ({@link PgServer}: {@code listen_addresses}, {@code port}, {@code max_connections},
 * {@code hba.conf}, roles from the catalog). The shutdown thread ("walden-shutdown") runs a
 * requested shutdown so that signal handlers return at once; it stops the listener first (smart:
 * after the clients have left; fast and immediate: closing their connections).
 *
 * <h2>Embedded use</h2>
 *
 * {@link #transactions()} is the table store: begin, read, write, commit, from any thread. {@link
 * #checkpoint()} forces a checkpoint. {@link #close()} is a fast shutdown.
 */
public final class Node implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final DataDirectory dir;
  private final DurableFiles durable;
  private final PidLock pidLock;
  private final ControlFileStore controlStore;
  private final Clock clock;
  private final WalSegmentFiles segments;
  private final WalRetention retention;
  private final WalWriter wal;
  private final TransactionManager store;
  private final Checkpointer checkpointer;

  private volatile Config config;

  /** The client listener; null until running. Written by start, read by shutdown and reload. */
  private volatile PgServer server;

  /** How long a smart shutdown waits for clients to leave (PostgreSQL waits forever). */
  private static final Duration SMART_SHUTDOWN_PATIENCE = Duration.ofDays(365);

  private ControlData control; // guarded by this

  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private volatile int exitCode;

  Node(
      DataDirectory dir,
      DurableFiles durable,
      PidLock pidLock,
      ControlFileStore controlStore,
      Clock clock,
      Config config,
      ControlData control,
      WalSegmentFiles segments,
      WalRetention retention,
      WalWriter wal,
      TransactionManager store,
      Lsn lastRedo,
      String lastSnapshot) {
    this.dir = dir;
    this.durable = durable;
    this.pidLock = pidLock;
    this.controlStore = controlStore;
    this.clock = clock;
    this.config = config;
    this.control = control;
    this.segments = segments;
    this.retention = retention;
    this.wal = wal;
    this.store = store;
    this.checkpointer =
        new Checkpointer(
            new StoreSnapshots(store, durable),
            wal,
            segments,
            retention,
            dir.base(),
            this::checkpointSettings,
            this::checkpointed,
            clock,
            lastRedo,
            lastSnapshot);
  }

  // ------------------------------------------------------------------------------ init / start

  /** Creates a data directory ({@code walden init}). */
  public static void init(InitOptions options) throws IOException, StartupException {
    Initializer.init(options, new DurableFiles(FileIo.nio()), Clock.systemUTC());
  }

  /** Starts a server on {@code dir} with {@code -c} overrides; returns once it accepts work. */
  public static Node start(DataDirectory dir, Map<String, String> overrides)
      throws StartupException {
    return start(dir, overrides, FileIo.nio(), Clock.systemUTC());
  }

  /** As {@link #start(DataDirectory, Map)} with an injected file layer and clock (tests). */
  public static Node start(DataDirectory dir, Map<String, String> overrides, FileIo io, Clock clock)
      throws StartupException {
    try {
      dir.validate();
    } catch (DataDirectoryException e) {
      throw new StartupException(e.getMessage(), e.hint(), e);
    }
    Config config;
    try {
      config = Config.load(ConfigSources.forDataDirectory(dir.root(), overrides));
    } catch (ConfigException e) {
      throw new StartupException(e.describe(), e.hint(), e);
    }
    PidLock lock;
    try {
      lock =
          PidLock.acquire(
              io,
              dir.root(),
              config.get(Settings.PORT),
              config.get(Settings.LISTEN_ADDRESSES),
              clock);
    } catch (DataDirectoryLockedException e) {
      throw new StartupException(e.getMessage(), e.hint(), e);
    } catch (IOException e) {
      throw new StartupException(
          "could not create lock file \"" + dir.pidFile() + "\": " + e.getMessage(),
          "Check that the data directory is writable.",
          e);
    }
    try {
      Node node = Startup.run(dir, config, lock, new DurableFiles(io), clock);
      node.startRunning();
      return node;
    } catch (StartupException | RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  private void startRunning() throws StartupException {
    wal.onFailure(this::onWalFailure);
    checkpointer.start();
    try {
      server =
          PgServer.start(
              () -> config, store, dir.hba(), new NodeServerStatus(this, wal, store, durable));
    } catch (IOException | HbaParseException e) {
      shutdown(ShutdownMode.FAST);
      throw new StartupException(
          "could not start the client listener: " + e.getMessage(),
          "Check listen_addresses, port and hba.conf.",
          e);
    }
    try {
      pidLock.setStatus(PidLock.Status.READY);
    } catch (IOException e) {
      log.warn("could not update lock file: {}", e.toString());
    }
    log.info("database system is ready to accept connections");
  }

  // ------------------------------------------------------------------------------ running

  /** The table store: the embedded API for transactions. */
  public TransactionManager transactions() {
    return store;
  }

  public Config config() {
    return config;
  }

  /** The port clients connect to (the bound one, also when {@code port} asked for any). */
  public int port() {
    return server.port();
  }

  public DataDirectory dataDirectory() {
    return dir;
  }

  public WalWriter wal() {
    return wal;
  }

  public WalRetention retention() {
    return retention;
  }

  public synchronized ControlData controlData() {
    return control;
  }

  /** Runs a checkpoint now and waits for it; returns its record's position. */
  public Lsn checkpoint() throws IOException, InterruptedException {
    try {
      return checkpointer.requestCheckpoint().get();
    } catch (ExecutionException e) {
      throw new IOException("checkpoint failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Re-reads the configuration files (SIGHUP, {@code pg_reload_conf()}). */
  public void reload() {
    ReloadResult r = config.reload();
    for (String line : r.logMessages(config)) {
      log.info(line);
    }
    config = r.config();
    PgServer s = server;
    if (s != null) {
      s.reloadHba();
    }
  }

  private CheckpointSettings checkpointSettings() {
    Config c = config;
    return new CheckpointSettings(
        Settings.CHECKPOINT_TIMEOUT.toDuration(c.get(Settings.CHECKPOINT_TIMEOUT)),
        Settings.MAX_WAL_SIZE.toBytes(c.get(Settings.MAX_WAL_SIZE)),
        Settings.MIN_WAL_SIZE.toBytes(c.get(Settings.MIN_WAL_SIZE)),
        c.get(Settings.CHECKPOINT_COMPLETION_TARGET));
  }

  /** Points the control file at a completed checkpoint (checkpointer thread). */
  private void checkpointed(Lsn at, CheckpointRecord rec, boolean shutdown) throws IOException {
    synchronized (this) {
      ControlData next =
          control
              .withCheckpoint(at, rec.redo(), rec.timeline(), rec.snapshotFile(), clock.instant())
              .withState(shutdown ? DbState.SHUT_DOWN : DbState.IN_PRODUCTION, clock.instant());
      controlStore.write(next);
      control = next;
    }
  }

  // ------------------------------------------------------------------------------ shutdown

  /** Starts a shutdown without waiting (safe from a signal handler). */
  public void requestShutdown(ShutdownMode mode) {
    Thread.ofPlatform().name("walden-shutdown").start(() -> shutdown(mode));
  }

  /**
   * Shuts down and waits until done. SMART and FAST: the open transactions of the embedded API are
   * the caller's to end, so both write the shutdown checkpoint once the store is quiet; IMMEDIATE:
   * flush nothing more than the WAL writer already has, write no checkpoint.
   */
  public void shutdown(ShutdownMode mode) {
    if (!shuttingDown.compareAndSet(false, true)) {
      awaitTermination();
      return;
    }
    log.info("received {} shutdown request", mode.name().toLowerCase(java.util.Locale.ROOT));
    // clients first: smart waits for them to leave, fast and immediate close their connections
    // (each session rolls back what it had open) before the shutdown checkpoint
    PgServer s = server;
    if (s != null) {
      if (mode == ShutdownMode.SMART) {
        s.stopSmart(SMART_SHUTDOWN_PATIENCE);
      } else {
        s.stopFast();
      }
    }
    try {
      if (pidLock != null) {
        pidLock.setStatus(PidLock.Status.STOPPING);
      }
    } catch (IOException e) {
      log.warn("could not update lock file: {}", e.toString());
    }
    try {
      if (mode == ShutdownMode.IMMEDIATE || wal.failed()) {
        checkpointer.close();
        closeQuietly(wal);
      } else {
        synchronized (this) {
          control = control.withState(DbState.SHUTTING_DOWN, clock.instant());
          controlStore.write(control);
        }
        checkpointer.shutdownCheckpoint();
        wal.close();
        log.info("database system is shut down");
      }
    } catch (Exception e) {
      log.error(
          "shutdown checkpoint failed: {}; the next start will run crash recovery", e.toString());
      exitCode = 1;
      checkpointer.close();
      closeQuietly(wal);
    } finally {
      closeQuietly(pidLock);
      terminated.countDown();
    }
  }

  private void onWalFailure() {
    exitCode = 2;
    log.error(
        "FATAL: the write-ahead log failed; stopping the server. The next start runs crash"
            + " recovery.");
    requestShutdown(ShutdownMode.IMMEDIATE);
  }

  /** Blocks until the node has shut down. */
  public void awaitTermination() {
    boolean interrupted = false;
    while (true) {
      try {
        terminated.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /** 0 after a clean shutdown, 1 if the shutdown checkpoint failed, 2 after a WAL failure. */
  public int exitCode() {
    return exitCode;
  }

  /** Fast shutdown. */
  @Override
  public void close() {
    shutdown(ShutdownMode.FAST);
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("error while closing {}: {}", c.getClass().getSimpleName(), e.toString());
    }
  }

  static void mkdir700(Path p) throws IOException {
    Files.createDirectories(p);
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not POSIX
    }
  }

  static Duration writerDelay(Config c) {
    return Settings.WAL_WRITER_DELAY.toDuration(c.get(Settings.WAL_WRITER_DELAY));
  }
}
