package org.walden.replication.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.ArchiveMode;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.WalFailedException;
import org.walden.wal.WalInserter;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.WalWriter;
import org.walden.wal.Xid;

/**
 * The WAL archiver (PostgreSQL's pgarch): runs {@code archive_command} for every file with a {@code
 * .ready} status, oldest first, and marks it {@code .done} when the command exits 0.
 *
 * <h2>Threads</h2>
 *
 * One thread, "walden-archiver", started by {@link #start} and ended by {@link #stop} (archive what
 * is ready, bounded, then exit) or {@link #stopNow} (immediate shutdown). {@link #segmentCompleted}
 * is the WAL writer's segment listener: it runs on the flushing thread, only records the name and
 * signals. The retention rule calls {@link #oldestNeeded} from the checkpointer. {@link #stats} may
 * be read from any thread.
 *
 * <h2>Shared state</h2>
 *
 * <ul>
 *   <li>{@code unarchived}: every segment known complete and not yet archived (noted by the
 *       listener, found {@code .ready} at start, or given a {@code .ready} by the start scan).
 *       Added to by the listener and {@link #start}, removed from by the archiver thread after
 *       {@code markDone}. Its first element is what {@link #oldestNeeded} keeps, so a segment is
 *       protected from removal from the moment it completes, before its {@code .ready} exists.
 *   <li>{@code noted}: segments the listener reported whose {@code .ready} the archiver thread has
 *       still to create (creating it durably is too slow for the flushing thread).
 *   <li>{@code lock}/{@code wake}: the archiver waits here (timed: at most {@code roundDelay}),
 *       woken by the listener, {@link #wake} and {@link #stop}.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * A failing command is retried {@code triesPerRound} times {@code retryDelay} apart (PostgreSQL: 3,
 * 1 s), then the archiver waits until woken or {@code roundDelay} (60 s) and starts over with the
 * oldest file; the {@code .ready} file and its segment stay. A command killed by a signal or
 * failing with status above 125 is what makes PostgreSQL's archiver exit and be restarted; here it
 * is logged as such and treated as a failure. An I/O error on the status directory is logged and
 * retried in the next round.
 */
public final class Archiver implements WalRetention.Holder, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Archiver.class);

  /** The delays and bounds of archiving; {@link #POSTGRES} is PostgreSQL's, tests shorten them. */
  public record Timing(
      Duration retryDelay,
      int triesPerRound,
      Duration roundDelay,
      Duration commandLimit,
      Duration shutdownBound) {

    public static final Timing POSTGRES =
        new Timing(
            Duration.ofSeconds(1),
            3,
            Duration.ofSeconds(60),
            Duration.ofDays(365),
            Duration.ofSeconds(60));
  }

  private static final Comparator<WalSegmentName> WAL_ORDER =
      Comparator.comparingLong(WalSegmentName::segNo)
          .thenComparingInt((WalSegmentName n) -> n.timeline().value());

  private final Path dataDir;
  private final WalSegmentFiles segments;
  private final ArchiveStatusDir status;
  private final Supplier<String> archiveCommand;
  private final Supplier<Lsn> completeBefore;
  private final Clock clock;
  private final Timing timing;
  private final ArchiverStats stats;

  private final ConcurrentSkipListSet<WalSegmentName> unarchived =
      new ConcurrentSkipListSet<>(WAL_ORDER);
  private final ConcurrentLinkedQueue<WalSegmentName> noted = new ConcurrentLinkedQueue<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean woken; // guarded by lock
  private volatile boolean stopping;
  private volatile boolean abandoned; // immediate shutdown: no final pass

  // archive_timeout: null inserter = not on this node (a standby)
  private WalInserter switcher;
  private Supplier<Duration> archiveTimeout = () -> Duration.ZERO;
  private volatile long lastSwitchNanos = System.nanoTime();
  private volatile long quietAt; // insert positions at or before this hold no unswitched WAL

  private boolean warnedNoCommand; // archiver thread only
  private Thread thread;

  /**
   * @param dataDir the data directory: the command's working directory, {@code %p} is relative to
   *     it
   * @param completeBefore segments wholly before this position's segment are complete (a primary:
   *     the WAL writer's flushed position); used once, by the start scan
   */
  public Archiver(
      Path dataDir,
      WalSegmentFiles segments,
      ArchiveStatusDir status,
      Supplier<String> archiveCommand,
      Supplier<Lsn> completeBefore,
      Clock clock,
      Timing timing) {
    this.dataDir = dataDir;
    this.segments = segments;
    this.status = status;
    this.archiveCommand = archiveCommand;
    this.completeBefore = completeBefore;
    this.clock = clock;
    this.timing = timing;
    this.stats = new ArchiverStats(clock.instant());
  }

  /** Whether an archiver runs on a node in this mode (PostgreSQL's XLogArchivingActive/Always). */
  public static boolean shouldRun(ArchiveMode mode, boolean inRecovery) {
    return mode == ArchiveMode.ALWAYS || (mode == ArchiveMode.ON && !inRecovery);
  }

  /**
   * Wires this archiver to a primary's WAL writer: registers the segment listener and, with {@code
   * archive_timeout}, lets the archiver force segment switches. Call before {@link #start}.
   */
  public void attach(WalWriter wal, Supplier<Duration> archiveTimeout) {
    wal.addSegmentListener(this::segmentCompleted);
    this.switcher = wal;
    this.archiveTimeout = archiveTimeout;
    WalSegmentSize size = segments.segmentSize();
    this.quietAt = size.segmentStart(wal.insertPosition()).value();
  }

  // ---------------------------------------------------------------- called by other threads

  /**
   * The segment listener: {@code segment} is complete and forced. Runs on the WAL flushing thread
   * under its write lock, so it only records the name and signals.
   */
  public void segmentCompleted(WalSegmentName segment) {
    unarchived.add(segment);
    noted.add(segment);
    lastSwitchNanos = System.nanoTime();
    long next = segment.segmentSize().startOf(segment.segNo() + 1).value();
    if (Long.compareUnsigned(next, quietAt) > 0) {
      quietAt = next;
    }
    wake();
  }

  /**
   * A file from elsewhere is about to be marked {@code .ready} by its installer ({@code
   * archive_mode = always} on a standby: a segment the walreceiver completed or restore fetched):
   * hold it (segments only) and wake. Call it before creating the {@code .ready} file, so that the
   * segment is never unheld while unarchived. A walreceiver may instead call {@link
   * #segmentCompleted}, which also creates the {@code .ready} file for it.
   */
  public void noteReady(String fileName) {
    WalSegmentName.parse(fileName, segments.segmentSize()).ifPresent(unarchived::add);
    wake();
  }

  /** Asks the archiver to look at {@code archive_status} now (a new {@code .ready} file). */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** The retention holder ("archiver"): the start of the oldest segment not yet archived. */
  @Override
  public Optional<Lsn> oldestNeeded() {
    try {
      return Optional.of(unarchived.first().startLsn());
    } catch (java.util.NoSuchElementException e) {
      return Optional.empty();
    }
  }

  public ArchiverStats stats() {
    return stats;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Finds the work left from before (every {@code .ready} file; a {@code .ready} created for each
   * complete segment that has no status file at all, as PostgreSQL does when archiving is on) and
   * starts the thread. The scan runs here, on the caller's thread, so that by the time the caller
   * lets the checkpointer remove WAL every unarchived segment is held.
   */
  public synchronized void start() throws IOException {
    long completeBelow = segments.segmentSize().segmentOf(completeBefore.get());
    for (String name : status.ready()) {
      WalSegmentName.parse(name, segments.segmentSize()).ifPresent(unarchived::add);
    }
    for (WalSegmentName s : segments.list()) {
      if (s.segNo() < completeBelow && !status.hasStatus(s.fileName())) {
        unarchived.add(s);
        status.markReady(s.fileName());
      }
    }
    thread = Thread.ofPlatform().name("walden-archiver").daemon().start(this::run);
  }

  /**
   * Stops the archiver as PostgreSQL's does at shutdown: archive what is ready (each file with its
   * usual retries), then exit. Bounded by {@code shutdownBound}: past it the command in flight is
   * killed. Call after the shutdown checkpoint. Idempotent.
   */
  public void stop() {
    stopping = true;
    wake();
    join(timing.shutdownBound());
  }

  /** Immediate shutdown: kill the command in flight, archive nothing more. */
  public void stopNow() {
    abandoned = true;
    stopping = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    join(Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    stop();
  }

  private void join(Duration bound) {
    Thread t = thread;
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      if (!t.join(bound)) {
        log.warn("archiver did not finish within {} ms; stopping it", bound.toMillis());
        t.interrupt();
      }
      if (!t.join(Duration.ofSeconds(10))) {
        log.warn("archiver thread did not stop");
      }
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- the archiver thread

  private void run() {
    while (!abandoned) {
      boolean last = stopping; // seen before the pass: a pass started after stop is the final one
      consumeWake(); // a wake from now on, during the pass, makes another pass (as a latch)
      try {
        createNotedReadyFiles();
        maybeForceSwitch();
        copyLoop();
        if (last) {
          return;
        }
        awaitWork();
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        log.error("archiver: {}", e.toString(), e);
        if (last) {
          return;
        }
        try {
          awaitWork();
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Creates {@code .ready} for the segments the listener reported (XLogArchiveNotify). */
  private void createNotedReadyFiles() throws IOException {
    WalSegmentName s;
    while ((s = noted.peek()) != null) {
      if (status.isDone(s.fileName())) {
        unarchived.remove(s); // archived already (a walreceiver or restore marked it)
      } else {
        status.markReady(s.fileName());
      }
      noted.poll();
    }
  }

  /**
   * Archives every {@code .ready} file, oldest first, until none is left or one fails {@code
   * triesPerRound} times (PostgreSQL's pgarch_ArchiverCopyLoop).
   */
  private void copyLoop() throws IOException, InterruptedException {
    String command = archiveCommand.get();
    if (command == null || command.isBlank()) {
      if (!warnedNoCommand && !status.ready().isEmpty()) {
        log.warn("archive_mode enabled, yet archive_command is not set");
        warnedNoCommand = true;
      }
      return;
    }
    warnedNoCommand = false;
    while (true) {
      // One listing serves a batch (PostgreSQL 15 does the same): re-listing the directory for
      // every file would make a long backlog quadratic. A history file that appears meanwhile
      // waits for the end of the batch.
      List<String> ready = status.ready();
      if (ready.isEmpty()) {
        return;
      }
      for (String name : ready.subList(0, Math.min(BATCH, ready.size()))) {
        if (!status.isReady(name)) {
          continue; // removed with its segment meanwhile
        }
        if (!segments.durable().io().exists(segments.dir().resolve(name))) {
          log.warn("removing orphan archive status file \"{}\"", name + ".ready");
          status.remove(name);
          WalSegmentName.parse(name, segments.segmentSize()).ifPresent(unarchived::remove);
          continue;
        }
        if (!archiveWithRetries(name, command)) {
          log.warn(
              "archiving write-ahead log file \"{}\" failed too many times, will try again later",
              name);
          return;
        }
      }
    }
  }

  /** Files archived per listing of {@code archive_status}. */
  private static final int BATCH = 64;

  private boolean archiveWithRetries(String name, String template)
      throws IOException, InterruptedException {
    String path = dataDir.relativize(segments.dir().resolve(name)).toString();
    String command = ShellCommand.substitute(template, Map.of('p', path, 'f', name));
    for (int tries = 1; ; tries++) {
      log.debug("executing archive command \"{}\"", command);
      ShellCommand.Outcome o = ShellCommand.run(command, dataDir, timing.commandLimit());
      if (o.succeeded()) {
        status.markDone(name);
        WalSegmentName.parse(name, segments.segmentSize()).ifPresent(unarchived::remove);
        stats.archived(name, clock.instant());
        log.debug("archived write-ahead log file \"{}\"", name);
        return true;
      }
      stats.failed(name, clock.instant());
      logFailure(o, command);
      if (tries >= timing.triesPerRound()) {
        return false;
      }
      pause(timing.retryDelay());
    }
  }

  /** PostgreSQL's messages (shell_archive.c); a signal is what would make its archiver exit. */
  private static void logFailure(ShellCommand.Outcome o, String command) {
    String detail = "\nDETAIL:  The failed archive command was: " + command;
    if (o.timedOut()) {
      log.error("archive command did not finish in time and was killed{}", detail);
    } else if (o.signal() > 0) {
      log.error(
          "archive command was terminated by signal {}: {}{}",
          o.signal(),
          ShellCommand.signalName(o.signal()),
          detail);
    } else {
      log.warn("archive command failed with exit code {}{}", o.exitCode(), detail);
    }
  }

  /** Waits {@code d} on the condition (a stop cuts it short; nothing else). */
  private void pause(Duration d) throws InterruptedException {
    long deadline = System.nanoTime() + d.toNanos();
    lock.lock();
    try {
      long left;
      while (!stopping && (left = deadline - System.nanoTime()) > 0) {
        wake.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private void consumeWake() {
    lock.lock();
    try {
      woken = false;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until woken, stopped, {@code roundDelay} has passed, or archive_timeout is due. */
  private void awaitWork() throws InterruptedException {
    long deadline = System.nanoTime() + timing.roundDelay().toNanos();
    long timeout = archiveTimeoutNanos();
    if (timeout > 0) {
      deadline = Math.min(deadline, lastSwitchNanos + timeout);
    }
    lock.lock();
    try {
      long left;
      while (!woken && !stopping && (left = deadline - System.nanoTime()) > 0) {
        wake.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private long archiveTimeoutNanos() {
    if (switcher == null) {
      return 0;
    }
    Duration d = archiveTimeout.get();
    return d == null || d.isNegative() ? 0 : d.toNanos();
  }

  /**
   * {@code archive_timeout} (PostgreSQL's CheckArchiveTimeout, done in its checkpointer): when the
   * current segment has held WAL for that long, end it with a SWITCH record so it is archived.
   */
  private void maybeForceSwitch() {
    long timeout = archiveTimeoutNanos();
    if (timeout <= 0 || stopping || System.nanoTime() - lastSwitchNanos < timeout) {
      return;
    }
    Lsn insert = switcher.insertPosition();
    if (Long.compareUnsigned(insert.value(), quietAt) <= 0) {
      lastSwitchNanos = System.nanoTime(); // nothing new since the last switch
      return;
    }
    try {
      WalInserter.InsertedRecord r =
          switcher.insert(RecordKind.SWITCH, Xid.INVALID, ByteBuffer.allocate(0));
      if (Long.compareUnsigned(r.end().value(), quietAt) > 0) {
        quietAt = r.end().value();
      }
      lastSwitchNanos = System.nanoTime();
      log.debug(
          "write-ahead log switch forced (archive_timeout={})",
          TimeUnit.NANOSECONDS.toSeconds(timeout));
    } catch (WalFailedException e) {
      log.debug("could not force a WAL switch: {}", e.getMessage());
      lastSwitchNanos = System.nanoTime();
    }
  }
}
