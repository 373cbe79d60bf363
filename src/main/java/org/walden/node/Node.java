package org.walden.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
import org.walden.config.SyncStandbyNames;
import org.walden.fs.DataDirectoryLockedException;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.fs.PidLock;
import org.walden.recovery.RecoveryException;
import org.walden.recovery.Replay;
import org.walden.recovery.StandbyRecovery;
import org.walden.recovery.TimelineFollower;
import org.walden.recovery.WalArchive;
import org.walden.replication.WalSenderServices;
import org.walden.replication.WalSenderTable;
import org.walden.replication.archive.ArchiveStatusDir;
import org.walden.replication.archive.Archiver;
import org.walden.replication.slot.ReplicationSlots;
import org.walden.replication.slot.SlotRetention;
import org.walden.server.PgServer;
import org.walden.storage.checkpoint.CheckpointSettings;
import org.walden.storage.checkpoint.Checkpointer;
import org.walden.storage.control.ControlData;
import org.walden.storage.control.ControlFileStore;
import org.walden.storage.control.DbState;
import org.walden.storage.txn.TransactionManager;
import org.walden.wal.CheckpointRecord;
import org.walden.wal.Lsn;
import org.walden.wal.LsnWatermark;
import org.walden.wal.TimelineId;
import org.walden.wal.WalIdentity;
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
 * Starts the WAL writer's threads, the archiver (with {@code archive_mode}; before the
 * checkpointer, so no unarchived segment is removed; stopped after the shutdown checkpoint), the
 * checkpointer, and — once recovery is done — the client listener ({@link PgServer}: {@code
 * listen_addresses}, {@code port}, {@code max_connections}, {@code hba.conf}, roles from the
 * catalog). The shutdown thread ("walden-shutdown") runs a requested shutdown so that signal
 * handlers return at once; it stops the listener first (smart: after the clients have left; fast
 * and immediate: closing their connections).
 *
 * <h2>Embedded use</h2>
 *
 * {@link #transactions()} is the table store: begin, read, write, commit, from any thread. {@link
 * #checkpoint()} forces a checkpoint. {@link #close()} is a fast shutdown.
 *
 * <p>This file is past 800 lines because it is the postmaster's state machine: the primary and
 * standby lifecycles, the promotion that turns one into the other in-process, and the shutdown
 * order all mutate the same few volatile fields (wal, checkpointer, standby, walsenders), and
 * splitting them would scatter that ordering. The parts that do not touch those fields live in
 * their own classes (Startup, Standby, Promotion, NodeSlots, NodeServerStatus, NodeBackupSource).
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
  private final WalIdentity identity;

  /** The WAL writer; null on a standby. Set once more by a promotion (recovery thread). */
  private volatile WalWriter wal;

  private final TransactionManager store;

  /**
   * Null on a standby (restartpoints are not implemented: a standby keeps its WAL). Set by a
   * promotion.
   */
  private volatile Checkpointer checkpointer;

  /** Null on a primary; cleared by a promotion once the node accepts writes. */
  private volatile Standby standby;

  /** Watches for {@code promote} / {@code promote_trigger_file}; null unless a standby runs. */
  private volatile PromoteSignal promoteSignal;

  /** A standby's redo state and starting checkpoint, for promotion; null on a primary. */
  private final Promotion promotion;

  private volatile Config config;

  /** The client listener; null until running. Written by start, read by shutdown and reload. */
  private volatile PgServer server;

  /** What walsenders need; null until running. Written by start, read by shutdown. */
  private volatile WalSenderServices walSenders;

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
    this.identity = wal.identity();
    this.store = store;
    this.standby = null;
    this.promotion = null;
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

  /** A standby: recovery replays into {@code store} from {@code replay}'s position on. */
  Node(
      DataDirectory dir,
      DurableFiles durable,
      PidLock pidLock,
      ControlFileStore controlStore,
      Clock clock,
      Config config,
      ControlData control,
      WalSegmentFiles segments,
      WalIdentity identity,
      TransactionManager store,
      Replay replay,
      Lsn redo,
      org.walden.storage.redo.Redo redoState,
      String snapshotFile,
      TimelineFollower timelines)
      throws IOException {
    this.dir = dir;
    this.durable = durable;
    this.pidLock = pidLock;
    this.controlStore = controlStore;
    this.clock = clock;
    this.config = config;
    this.control = control;
    this.segments = segments;
    this.identity = identity;
    this.retention = new WalRetention();
    this.wal = null;
    this.checkpointer = null;
    this.store = store;
    ArchiveStatusDir status = ArchiveStatusDir.open(segments);
    // the walreceiver reports recovery's position and recovery drives the walreceiver: the
    // reference breaks that construction cycle
    java.util.concurrent.atomic.AtomicReference<StandbyRecovery> recoveryRef =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.function.Supplier<Lsn> replayed =
        () -> {
          StandbyRecovery r = recoveryRef.get();
          return r == null ? Lsn.INVALID : r.replayedUpto().get();
        };
    StandbySources.Receiver stream =
        StandbySources.stream(
            () -> this.config,
            segments,
            identity.systemId(),
            replayed,
            seg -> {
              // archive_mode = always: the standby archives what it received; otherwise the
              // segment is "done" at once (PostgreSQL's XLogArchiveForceDone)
              Archiver a = archiver;
              if (a != null) {
                a.segmentCompleted(seg);
                return;
              }
              try {
                status.markDone(seg.fileName());
              } catch (IOException e) {
                log.warn("could not mark {} as archived: {}", seg.fileName(), e.toString());
              }
            },
            clock);
    if (Archiver.shouldRun(config.get(Settings.ARCHIVE_MODE), true)) {
      this.archiver =
          new Archiver(
              dir.root(),
              segments,
              status,
              () -> this.config.get(Settings.ARCHIVE_COMMAND),
              replayed,
              clock,
              Archiver.Timing.POSTGRES);
    }
    WalArchive archive =
        StandbySources.archive(
            dir,
            segments,
            () -> this.config,
            redo,
            control.timeline(),
            archiver == null ? null : archiver::noteReady);
    timelines.useArchive(archive);
    Promotion promote = new Promotion(redoState, redo, snapshotFile, archive);
    this.promotion = promote;
    StandbyRecovery recovery =
        new StandbyRecovery(
            replay,
            identity.segmentSize(),
            timelines,
            archive,
            stream,
            () ->
                Settings.WAL_RETRIEVE_RETRY_INTERVAL.toDuration(
                    this.config.get(Settings.WAL_RETRIEVE_RETRY_INTERVAL)),
            this::onRecoveryFailure,
            (end, lastStart, history) -> promote.finish(this, end, lastStart, history));
    recoveryRef.set(recovery);
    this.standby = new Standby(recovery, stream, archive, store, config);
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
    // before anything can remove WAL: the checkpointer starts below
    slots = NodeSlots.open(dir, durable, config, () -> config, retention, wal, identity);
    if (standby != null) {
      if (archiver != null) {
        try {
          archiver.start();
        } catch (IOException e) {
          throw new StartupException(
              "could not start the archiver: " + e.getMessage(), "Check pg_wal/archive_status.", e);
        }
      }
      standby.start();
      try {
        promoteSignal =
            new PromoteSignal(
                dir.root(),
                () -> config,
                () -> {
                  try {
                    promote(false, Duration.ZERO);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        promoteSignal.start();
      } catch (IOException e) {
        log.warn("cannot watch for promote signal files: {}", e.toString());
      }
    } else {
      wal.onFailure(this::onWalFailure);
      startArchiver();
      checkpointer.start();
    }
    try {
      walSenders = walSenderServices();
      server =
          PgServer.start(
              () -> config,
              store,
              dir.hba(),
              new NodeServerStatus(this, store, durable),
              walSenders);
    } catch (IOException | HbaParseException e) {
      shutdown(ShutdownMode.FAST);
      throw new StartupException(
          "could not start the client listener: " + e.getMessage(),
          "Check listen_addresses, port and hba.conf.",
          e);
    }
    try {
      pidLock.setStatus(standby != null ? PidLock.Status.STANDBY : PidLock.Status.READY);
    } catch (IOException e) {
      log.warn("could not update lock file: {}", e.toString());
    }
    log.info(
        standby != null
            ? "database system is ready to accept read-only connections"
            : "database system is ready to accept connections");
  }

  // ------------------------------------------------------------------------------ slots

  /** The replication slots; null until running. Written by start, read by everyone after. */
  private volatile NodeSlots slots;

  /** The replication slots ({@code pg_replication_slots}); null before running. */
  public ReplicationSlots slots() {
    NodeSlots s = slots;
    return s == null ? null : s.table();
  }

  /** The slots' WAL availability (wal_status, safe_wal_size); empty on a standby. */
  public Optional<SlotRetention> slotRetention() {
    NodeSlots s = slots;
    return s == null ? Optional.empty() : s.availability();
  }

  // ------------------------------------------------------------------------------ walsenders

  /**
   * The walsenders' table and send limit: a watermark kept at the WAL writer's flushed position by
   * a flush listener (registered before the first read, so no flush is missed).
   */
  private WalSenderServices walSenderServices() {
    LsnWatermark flushed;
    if (standby != null) {
      // a standby sends what it has replayed (all of it is in its pg_wal, forced)
      flushed = standby.recovery().replayedUpto();
    } else {
      flushed = new LsnWatermark("walsender send limit", Lsn.INVALID);
      wal.addFlushListener(flushed::advanceIfAhead);
      flushed.advanceIfAhead(wal.flushedUpto());
    }
    WalSenderTable table = new WalSenderTable(config.get(Settings.MAX_WAL_SENDERS));
    if (standby == null) {
      // cascading walsenders of a standby never count as synchronous (PostgreSQL's am_cascading)
      table.syncRep().configure(syncStandbyNames(config));
    }
    return new WalSenderServices(
        table,
        segments,
        identity,
        this::currentTimeline,
        flushed,
        () -> config,
        clock,
        slots.table(),
        () -> controlData().redoLsn(), // a slot reserving WAL starts at the last redo point
        standby != null
            ? null
            : new NodeBackupSource(dir, segments, retention, wal, checkpointer, clock));
  }

  /**
   * After the shutdown checkpoint: lets every walsender send WAL up to the final flush position and
   * see it confirmed (bounded by {@code wal_sender_timeout}, or a minute if that is 0), then ends
   * them with {@code COPY 0}.
   */
  private void finishWalSenders() throws InterruptedException {
    WalSenderServices w = walSenders;
    if (w == null) {
      return;
    }
    Duration patience =
        Settings.WAL_SENDER_TIMEOUT.toDuration(config.get(Settings.WAL_SENDER_TIMEOUT));
    w.table().finishAll(wal.flushedUpto(), patience.isZero() ? Duration.ofMinutes(1) : patience);
    // (a standby's walsenders are closed with the listener: nothing new is replayed then)
  }

  /**
   * pg_cancel_backend / pg_terminate_backend of a client session.
   *
   * @return false if no session has that pid
   */
  boolean signalBackend(int pid, boolean terminate) {
    PgServer s = server;
    if (s == null) {
      return false;
    }
    return terminate ? s.sessions().terminate(pid) : s.sessions().cancel(pid);
  }

  /**
   * The timeline WAL is written on (a primary) or replayed on (a standby, which may follow a new
   * one).
   */
  public TimelineId currentTimeline() {
    WalWriter w = wal;
    if (w != null) {
      return w.timeline();
    }
    Standby sb = standby;
    return sb != null ? sb.recovery().timeline() : controlData().timeline();
  }

  /** The walsenders' services (table for {@code pg_stat_replication}); null before running. */
  public WalSenderServices walSenders() {
    return walSenders;
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

  /** The WAL writer; null on a standby. */
  public WalWriter wal() {
    return wal;
  }

  /** Is this node a standby (in recovery, fed by the archive and the stream)? */
  public boolean isStandby() {
    return standby != null;
  }

  public WalIdentity identity() {
    return identity;
  }

  public WalSegmentFiles segments() {
    return segments;
  }

  /** On a standby, its replay pause state (pg_wal_replay_pause / resume); empty on a primary. */
  public Optional<org.walden.recovery.RecoveryPause> replayPause() {
    return standby == null ? Optional.empty() : Optional.of(standby.recovery().pause());
  }

  /**
   * On a standby, the end of the last replayed record; empty on a primary or before the first.
   * After a promotion it stays where recovery ended, as PostgreSQL's pg_last_wal_replay_lsn().
   */
  public Optional<Lsn> lastReplayedLsn() {
    Standby sb = standby;
    if (sb == null) {
      return Optional.ofNullable(replayEndAtPromotion);
    }
    return sb.replayedUpto();
  }

  /** Where recovery ended, once promoted; null before (written once by installPrimary). */
  private volatile Lsn replayEndAtPromotion;

  /**
   * On a standby, the start of the last replayed record; empty on a primary or before the first.
   */
  public Optional<Lsn> lastReplayedRecordStart() {
    if (standby == null) {
      return Optional.empty();
    }
    Lsn l = standby.recovery().lastRecordStart();
    return l.isValid() ? Optional.of(l) : Optional.empty();
  }

  /** On a standby, the end of the WAL its walreceiver has flushed; empty if none. */
  public Optional<Lsn> lastReceivedLsn() {
    if (standby == null) {
      return Optional.empty();
    }
    Lsn l = standby.stream().flushedUpto();
    return l.isValid() ? Optional.of(l) : Optional.empty();
  }

  /** On a standby, its walreceiver's status; empty on a primary. */
  public Optional<org.walden.replication.receiver.WalReceiverStatus> walReceiverStatus() {
    if (standby == null || !(standby.stream() instanceof StandbySources.Receiver r)) {
      return Optional.empty();
    }
    return Optional.of(r.receiver().status());
  }

  /** On a standby, the replay watermark (waits for "replayed at least X"); null on a primary. */
  public LsnWatermark replayWatermark() {
    return standby == null ? null : standby.recovery().replayedUpto();
  }

  /** Commit time of the last replayed commit (µs since 2000-01-01), if any. */
  public Optional<Long> lastReplayedCommitMicros() {
    if (standby == null) {
      return Optional.empty();
    }
    long t = standby.recovery().lastCommitMicros();
    return t == Long.MIN_VALUE ? Optional.empty() : Optional.of(t);
  }

  public WalRetention retention() {
    return retention;
  }

  public synchronized ControlData controlData() {
    return control;
  }

  /** Runs a checkpoint now and waits for it; returns its record's position. */
  public Lsn checkpoint() throws IOException, InterruptedException {
    if (checkpointer == null) {
      throw new IOException(
          "cannot run a checkpoint on a standby: restartpoints are not implemented yet");
    }
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
    if (standby != null) {
      standby.reload(config);
    }
    WalSenderServices w = walSenders;
    if (w != null && standby == null) {
      w.table().syncRep().configure(syncStandbyNames(config));
    }
  }

  /**
   * The parsed {@code synchronous_standby_names}; the check hook already accepted the value. With
   * {@code max_wal_senders = 0} nothing can ever confirm, and PostgreSQL's {@code SyncRepRequested}
   * then does not wait at all: neither does Walden.
   */
  private static SyncStandbyNames syncStandbyNames(Config c) {
    if (c.get(Settings.MAX_WAL_SENDERS) == 0) {
      return SyncStandbyNames.NONE;
    }
    try {
      return SyncStandbyNames.parse(
          Settings.SYNCHRONOUS_STANDBY_NAMES.name(), c.get(Settings.SYNCHRONOUS_STANDBY_NAMES));
    } catch (ConfigException e) {
      throw new IllegalStateException("accepted synchronous_standby_names did not parse", e);
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

  // ------------------------------------------------------------------------------ promotion

  /**
   * Asks a standby to end recovery and become a primary ({@code pg_promote}, {@code walden
   * promote}, {@code promote_trigger_file}). With {@code wait}, blocks up to {@code timeout} and
   * returns whether the node now accepts writes; without, returns true at once. On a primary: true.
   */
  public boolean promote(boolean wait, Duration timeout) throws InterruptedException {
    Standby sb = standby;
    if (sb == null) {
      return true;
    }
    sb.recovery().requestPromotion();
    return !wait || promotion.await(timeout);
  }

  /**
   * The rest of a promotion, on the recovery thread, once {@link Promotion} has opened {@code w} on
   * the new timeline: end-of-recovery record (forced), {@code standby.signal} removed durably,
   * control file in production, checkpointer and archiver on the writer, then writes allowed and
   * walsenders serving the new timeline. No checkpoint is run now (see below).
   */
  void installPrimary(
      WalWriter w, Lsn ckptRedo, String snapshot, String historyFile, TimelineId oldTli)
      throws IOException, InterruptedException {
    Standby sb = standby;
    sb.replayedUpto().ifPresent(l -> replayEndAtPromotion = l);
    w.onFailure(this::onWalFailure);
    store.attachWal(w);
    java.nio.ByteBuffer body =
        java.nio.ByteBuffer.allocate(8).putInt(w.timeline().value()).putInt(oldTli.value()).flip();
    // not waited for: the first commit's flush covers it (the history file, already durable, is
    // what must precede any WAL of the new timeline)
    org.walden.wal.WalInserter.InsertedRecord eor =
        w.insert(org.walden.wal.RecordKind.END_OF_RECOVERY, org.walden.wal.Xid.INVALID, body);
    w.requestFlush(eor.end());
    Startup.registerWalKeepSize(retention, () -> config, w);
    Checkpointer cp =
        new Checkpointer(
            new StoreSnapshots(store, durable),
            w,
            segments,
            retention,
            dir.base(),
            this::checkpointSettings,
            this::checkpointed,
            clock,
            ckptRedo,
            snapshot);
    this.checkpointer = cp;
    this.wal = w; // the new timeline is visible to walsenders before the send limit moves on
    WalSenderServices ws = walSenders;
    if (ws != null) {
      // the send limit (the replay position until now) follows the writer's flushes
      w.addFlushListener(ws.flushed()::advanceIfAhead);
      ws.flushed().advanceIfAhead(w.flushedUpto());
      // a primary's walsenders count for synchronous replication (a standby's never did)
      ws.table().syncRep().configure(syncStandbyNames(config));
    }
    store.setInRecovery(false); // writes are allowed from here on
    // After the first writes, not before: a crash in between restarts the node as a standby on
    // the new timeline with every acknowledged commit in its WAL (promote it again) — no loss,
    // and two fsyncs fewer on the way to the first write.
    durable.durableDelete(dir.standbySignal());
    synchronized (this) {
      control = control.withState(DbState.IN_PRODUCTION, clock.instant());
      controlStore.write(control);
    }
    this.standby = null;
    sb.stopAfterPromotion();
    closeQuietly(promoteSignal);
    installArchiver(w, historyFile);
    cp.start();
    // PostgreSQL 15 requests a spread (non-immediate) checkpoint here; Walden's checkpointer runs
    // a request at full speed, which would compete with the first commits' fsyncs, so the next
    // timed or WAL-volume checkpoint does it (until then a crash recovers along the history)
    w.requestPreallocation();
    try {
      pidLock.setStatus(PidLock.Status.READY);
    } catch (IOException e) {
      log.warn("could not update lock file: {}", e.toString());
    }
    log.info("database system is ready to accept connections");
  }

  /** After promotion: archive the writer's segments (and the new history file). */
  private void installArchiver(WalWriter w, String historyFile) {
    try {
      Archiver a = archiver;
      if (a == null) {
        archiver =
            Archiving.startIfEnabled(
                dir, () -> config, segments, w, retention, clock, shuttingDown::get);
      } else {
        // archive_mode = always: the standby's archiver goes on, now fed by the writer
        a.attach(
            w, () -> Settings.ARCHIVE_TIMEOUT.toDuration(config.get(Settings.ARCHIVE_TIMEOUT)));
        retention.register(Archiving.HOLDER, a);
      }
      Archiver now = archiver;
      if (now != null) {
        ArchiveStatusDir.open(segments).markReady(historyFile);
        now.wake();
      }
    } catch (IOException e) {
      log.error("could not start archiving after promotion: {}", e.toString());
    }
  }

  // ------------------------------------------------------------------------------ archiver

  /** The archiver; null when {@code archive_mode} is off. Set by start, read by shutdown. */
  private volatile Archiver archiver;

  /** The archiver, if {@code archive_mode} runs one here ({@code pg_stat_archiver} reads it). */
  public java.util.Optional<Archiver> archiver() {
    return java.util.Optional.ofNullable(archiver);
  }

  /** Before the checkpointer starts: no segment is removed before the archiver holds it. */
  private void startArchiver() throws StartupException {
    try {
      archiver =
          Archiving.startIfEnabled(
              dir, () -> config, segments, wal, retention, clock, shuttingDown::get);
    } catch (IOException e) {
      shutdown(ShutdownMode.FAST);
      throw new StartupException(
          "could not start the archiver: " + e.getMessage(),
          "Check that \"" + dir.archiveStatus() + "\" is writable.",
          e);
    }
  }

  /**
   * After the shutdown checkpoint and the WAL writer are done: archive what is ready, then stop
   * (immediate: stop at once).
   */
  private void stopArchiver(boolean immediate) {
    Archiver a = archiver;
    if (a != null) {
      if (immediate) {
        a.stopNow();
      } else {
        a.stop();
      }
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
    // (each session rolls back what it had open) before the shutdown checkpoint; walsender
    // connections stay open until they have sent that checkpoint (finishWalSenders)
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
    if (standby != null) {
      shutdownStandby(mode);
      return;
    }
    try {
      if (mode == ShutdownMode.IMMEDIATE || wal.failed()) {
        checkpointer.close();
        closeQuietly(wal);
        stopArchiver(true);
      } else {
        synchronized (this) {
          control = control.withState(DbState.SHUTTING_DOWN, clock.instant());
          controlStore.write(control);
        }
        checkpointer.shutdownCheckpoint();
        finishWalSenders();
        if (s != null) {
          s.close(); // walsender connections last, as PostgreSQL's postmaster does
        }
        wal.close();
        stopArchiver(false);
        log.info("database system is shut down");
      }
    } catch (Exception e) {
      log.error(
          "shutdown checkpoint failed: {}; the next start will run crash recovery", e.toString());
      exitCode = 1;
      checkpointer.close();
      closeQuietly(wal);
      stopArchiver(false);
    } finally {
      closeQuietly(s);
      closeQuietly(pidLock);
      terminated.countDown();
    }
  }

  /** A standby's shutdown: sessions are gone; stop replay and the walreceiver. */
  private void shutdownStandby(ShutdownMode mode) {
    closeQuietly(promoteSignal);
    try {
      standby.stop();
      if (mode != ShutdownMode.IMMEDIATE && slots != null) {
        slots.table().saveAll(); // no checkpoints here write them
      }
      stopArchiver(mode == ShutdownMode.IMMEDIATE || recoveryFailed);
      if (mode != ShutdownMode.IMMEDIATE && !recoveryFailed) {
        synchronized (this) {
          control = control.withState(DbState.SHUT_DOWN_IN_RECOVERY, clock.instant());
          controlStore.write(control);
        }
      }
      log.info("database system is shut down");
    } catch (IOException e) {
      log.error("could not write control file at shutdown: {}", e.toString());
      exitCode = 1;
    } finally {
      closeQuietly(server);
      closeQuietly(pidLock);
      terminated.countDown();
    }
  }

  private volatile boolean recoveryFailed;

  private void onRecoveryFailure(RecoveryException e) {
    recoveryFailed = true;
    exitCode = 1;
    requestShutdown(ShutdownMode.IMMEDIATE);
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
