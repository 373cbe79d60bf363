package org.walden.recovery;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.storage.record.StorageRecords;
import org.walden.wal.Lsn;
import org.walden.wal.LsnWatermark;
import org.walden.wal.RecordKind;
import org.walden.wal.TimelineId;
import org.walden.wal.WalRecord;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/**
 * A standby's startup process: replays WAL for as long as the server is a standby, getting it from
 * wherever it can — PostgreSQL's {@code WaitForWALToBecomeAvailable}. The sources, in order:
 *
 * <ol>
 *   <li><b>pg_wal</b>: whatever is already there (cloned, restored or streamed before a restart) is
 *       replayed first, with no read limit.
 *   <li><b>archive</b>: when replay reaches the end of what pg_wal holds, {@code restore_command}
 *       is asked for the segment replay needs; a restored segment replaces any partial copy and
 *       replay goes on from it.
 *   <li><b>stream</b>: when the archive has nothing (or no {@code restore_command} is set), the
 *       walreceiver is started at the start of the segment replay needs, on the current timeline;
 *       replay then reads pg_wal up to the walreceiver's {@code flushedUpto} and waits on it for
 *       more.
 * </ol>
 *
 * When the stream ends (primary gone, connection cut, timeout), recovery goes back to the archive
 * and pg_wal and, if they have nothing new, starts the walreceiver again — no sooner than {@code
 * wal_retrieve_retry_interval} after the last attempt — from the position replay needs, so nothing
 * is skipped and nothing replayed twice.
 *
 * <p><b>Thread.</b> One platform thread, "walden-startup", started by {@link #start} and ended by
 * {@link #stop} (which also stops the walreceiver) or by a fatal recovery error, which is logged
 * and handed to the node's {@code onFatal} callback. Replay never waits for queries: readers see
 * the store's published versions without locks, and redo publishes whole transactions.
 *
 * <p><b>Shared state.</b> {@link #replayedUpto} (written by this thread only, read by walreceiver
 * status reports and SQL functions) and the last replayed commit time; {@code wake} (guarded by
 * {@code lock}) lets {@link #stop} and {@link #restartStreaming} end a retry wait early.
 */
public final class StandbyRecovery {

  private static final Logger log = LoggerFactory.getLogger(StandbyRecovery.class);

  /** How long one wait for streamed WAL lasts before the loop looks at its flags again. */
  private static final Duration STREAM_WAIT = Duration.ofMillis(500);

  private final Replay replay;
  private final WalSegmentSize segSize;
  private final TimelineFollower timelines;
  private final WalArchive archive;
  private final WalStream stream;
  private final Supplier<Duration> retryInterval;
  private final Consumer<RecoveryException> onFatal;

  private final LsnWatermark replayedUpto;
  private final RecoveryPause pause = new RecoveryPause();
  private volatile long lastCommitMicros = Long.MIN_VALUE;
  private volatile Lsn lastRecordStart = Lsn.INVALID;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile boolean stopping;

  /** Set by {@link #restartStreaming} (any thread), consumed by the recovery thread. */
  private volatile boolean restartRequested;

  /** Set by {@link #requestPromotion} (any thread), acted on by the recovery thread. */
  private volatile boolean promoteRequested;

  /** Told, on the recovery thread, where replay ended when promotion was asked for. */
  private final PromotionHandler onPromote;

  /** The end of replay at promotion, for the node to open its WAL writer there. */
  @FunctionalInterface
  public interface PromotionHandler {
    /**
     * Called on the recovery thread once replay has applied everything the walreceiver flushed.
     *
     * @param endOfWal where the next record goes (end of the last valid record)
     * @param lastRecordStart that record's start (the next record's back-link)
     * @param history the timeline history recovery followed
     */
    void promote(Lsn endOfWal, Lsn lastRecordStart, org.walden.wal.TimelineHistory history)
        throws Exception;
  }

  private Thread thread;

  // recovery-thread state
  private Lsn readLimit = Lsn.MAX;
  private boolean streaming;
  private long lastStreamAttemptNanos;
  private boolean everStreamed;
  private long lastRestoredSegNo = -1;

  /**
   * After a switch to a new timeline: the segment being read may so far exist only under the old
   * timeline's name; once the stream of the new one has flushed data past the replay position its
   * file exists, and the reader must open that one instead.
   */
  private boolean reopenAfterSwitch;

  /**
   * @param replay positioned at the first record to replay (the loaded checkpoint's redo point)
   * @param retryInterval {@code wal_retrieve_retry_interval}, read at each use (reloadable)
   * @param onFatal called on the recovery thread when recovery cannot go on
   */
  public StandbyRecovery(
      Replay replay,
      WalSegmentSize segSize,
      TimelineFollower timelines,
      WalArchive archive,
      WalStream stream,
      Supplier<Duration> retryInterval,
      Consumer<RecoveryException> onFatal,
      PromotionHandler onPromote) {
    this.replay = replay;
    this.segSize = segSize;
    this.timelines = timelines;
    this.onPromote = onPromote;
    this.archive = archive;
    this.stream = stream;
    this.retryInterval = retryInterval;
    this.onFatal = onFatal;
    this.replayedUpto = new LsnWatermark("replayedUpto", Lsn.INVALID);
    replay.treatMissingSegmentAsEnd();
  }

  /** End of the last record replayed (PostgreSQL's {@code lastReplayedEndRecPtr}). */
  public LsnWatermark replayedUpto() {
    return replayedUpto;
  }

  /** Start of the last record replayed, or INVALID before the first. */
  public Lsn lastRecordStart() {
    return lastRecordStart;
  }

  /** Commit time of the last replayed commit (µs since 2000-01-01), or {@code Long.MIN_VALUE}. */
  public long lastCommitMicros() {
    return lastCommitMicros;
  }

  /** pg_wal_replay_pause / resume: asked between records by the recovery thread. */
  public RecoveryPause pause() {
    return pause;
  }

  /** The timeline being replayed and streamed (changes when recovery follows a new one). */
  public TimelineId timeline() {
    return timelines.current();
  }

  /** The timeline history recovery follows. */
  public TimelineFollower timelines() {
    return timelines;
  }

  /**
   * Asks the recovery thread to end recovery: stop the walreceiver, replay what it flushed, and
   * hand the end of WAL to the promotion handler (PostgreSQL's promote signal). Returns at once.
   */
  public void requestPromotion() {
    promoteRequested = true;
    signal();
    stream.wake();
  }

  public boolean isPromotionRequested() {
    return promoteRequested;
  }

  /** Starts the recovery thread. */
  public synchronized void start() {
    thread = Thread.ofPlatform().name("walden-startup").start(this::run);
  }

  /**
   * Restarts the walreceiver with the current settings (a reload changed {@code primary_conninfo}
   * or {@code primary_slot_name}), as PostgreSQL 15 does.
   */
  public void restartStreaming() {
    restartRequested = true;
    signal();
    stream.wake();
  }

  /** Stops replay and the walreceiver and waits for the thread (bounded). */
  public void stop() {
    stopping = true;
    signal();
    pause.wake();
    stream.stop();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        log.warn("recovery thread did not stop within 30 s");
      }
    }
    try {
      replay.close();
    } catch (IOException e) {
      log.warn("could not close WAL reader: {}", e.toString());
    }
    replayedUpto.close();
  }

  private void signal() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    try {
      loop();
    } catch (RecoveryException e) {
      if (!stopping) {
        log.error("FATAL: {}{}", e.getMessage(), e.hint() == null ? "" : " HINT: " + e.hint());
        stream.stop();
        onFatal.accept(e);
      }
    } catch (IOException e) {
      if (!stopping) {
        RecoveryException re =
            new RecoveryException(
                "could not read write-ahead log during recovery: " + e.getMessage(),
                "Check the permissions and the disk of pg_wal.",
                e);
        log.error("FATAL: {}", re.getMessage());
        stream.stop();
        onFatal.accept(re);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!stopping) {
        log.error("FATAL: recovery failed", e);
        stream.stop();
        onFatal.accept(new RecoveryException("recovery failed: " + e, "See the server log.", e));
      }
    }
  }

  private void loop() throws IOException, RecoveryException, InterruptedException {
    while (!stopping) {
      if (promoteRequested) {
        promote();
        return;
      }
      if (restartRequested) {
        restartRequested = false;
        if (streaming) {
          log.info("restarting the WAL receiver with the new primary_conninfo / primary_slot_name");
          stream.stop();
          streaming = false;
        }
        // start again at once, also when waiting to retry a primary that was gone: the new
        // settings may name one that is there
        lastStreamAttemptNanos = 0;
      }
      pause.awaitIfPauseRequested(() -> stopping);
      Replay.Step s = replay.step();
      if (s instanceof Replay.Step.Applied a) {
        applied(a.record());
        continue;
      }
      Replay.Step.End e = (Replay.Step.End) s;
      if (log.isDebugEnabled()) {
        log.debug("end of available WAL at {}: {}", e.at(), e.why());
      }
      // the segment to fetch is the one replay could not read: the record's own, or the next
      // one when the record continues there
      Lsn needed = Lsn.max(e.at(), replay.reader().lastFailurePosition());
      waitForWal(e.at(), needed);
    }
  }

  /** End of recovery by promotion: no more WAL from anywhere; replay what is flushed here. */
  private void promote() throws IOException, RecoveryException {
    log.info("received promote request");
    if (streaming) {
      stream.stopNow();
      streaming = false;
    }
    setReadLimit(Lsn.max(readLimit, stream.flushedUpto()));
    while (replay.step() instanceof Replay.Step.Applied a) {
      applied(a.record());
    }
    Lsn end = replay.resumePoint();
    log.info("redo done at {}", replay.lastRecordStart());
    try {
      onPromote.promote(end, replay.lastRecordStart(), timelines.history());
    } catch (Exception e) {
      throw new RecoveryException(
          "could not end recovery at " + end + ": " + e.getMessage(),
          "See the server log; the standby can be started again and promoted once the cause is"
              + " fixed.",
          e);
    }
  }

  /**
   * The stream ended, or is about to start: a new timeline may have become known (the walreceiver
   * fetched its history from a promoted primary). Following it means streaming it at once.
   */
  private boolean followNewTimeline() throws IOException {
    if (timelines.rescan(replayedUpto.get()).isEmpty()) {
      return false;
    }
    replay.reader().reopen(); // segment files of the new timeline from now on
    reopenAfterSwitch = true;
    lastStreamAttemptNanos = 0;
    lastRestoredSegNo = -1;
    return true;
  }

  private void applied(WalRecord r) {
    lastRecordStart = r.start();
    if (r.kind() == RecordKind.COMMIT) {
      try {
        lastCommitMicros = StorageRecords.commitTimeMicros(r.body());
      } catch (RuntimeException e) {
        // the commit was applied; only its timestamp is unreadable
      }
    }
    replayedUpto.advanceIfAhead(r.end());
  }

  /**
   * Replay found no record at {@code at}: make more WAL available from some source, or wait.
   * Returns when replay should try again.
   */
  private void waitForWal(Lsn at, Lsn needed)
      throws IOException, RecoveryException, InterruptedException {
    if (streaming) {
      // Compare with the read limit, not with `at`: a record begun before the walreceiver's
      // flushed position may end after it, and replay must then wait for more, not spin.
      Lsn flushed = stream.flushedUpto();
      if (reopenAfterSwitch && flushed.isAfter(at)) {
        replay.reader().reopen();
        reopenAfterSwitch = false;
      }
      if (flushed.isAfter(readLimit)) {
        setReadLimit(flushed);
        return;
      }
      if (stream.isStreaming()) {
        stream.replayCaughtUp();
        stream.awaitFlushedBeyond(readLimit, STREAM_WAIT);
        Lsn now = stream.flushedUpto();
        if (now.isAfter(readLimit)) {
          setReadLimit(now);
        }
        return;
      }
      // the stream ended: back to the archive and pg_wal, then retry streaming
      streaming = false;
      setReadLimit(Lsn.max(readLimit, stream.flushedUpto()));
      lastRestoredSegNo = -1;
      if (followNewTimeline()) {
        return;
      }
    }
    long segNo = segSize.segmentOf(needed);
    if (archive.configured() && segNo != lastRestoredSegNo) {
      followNewTimeline(); // a history file the archive has, or one fetched meanwhile
      WalArchive.Outcome o = WalArchive.Outcome.NOT_FOUND;
      // newest timeline first, as PostgreSQL's XLogFileReadAnyTLI: the segment of a switch point
      // exists under both names, earlier ones only under the old timeline's
      for (TimelineId tli : timelines.history().timelinesForSegment(segNo, segSize)) {
        WalSegmentName name = segSize.name(tli, segNo);
        o = archive.restore(name);
        if (o == WalArchive.Outcome.RESTORED) {
          break;
        }
      }
      lastRestoredSegNo = segNo;
      if (o == WalArchive.Outcome.RESTORED) {
        replay.reader().reopen();
        Lsn segEnd = segSize.startOf(segNo + 1);
        if (readLimit.isBefore(segEnd)) {
          setReadLimit(segEnd);
        }
        return;
      }
    }
    if (stream.configured()) {
      long since = System.nanoTime() - lastStreamAttemptNanos;
      long retry = retryInterval.get().toNanos();
      if (lastStreamAttemptNanos == 0 || since >= retry) {
        Lsn startPoint = segSize.segmentStart(needed);
        lastStreamAttemptNanos = System.nanoTime();
        if (!everStreamed) {
          log.info("consistent recovery state reached; starting to stream WAL at {}", startPoint);
          everStreamed = true;
        }
        // bytes before `at` are already here; the limit keeps replay from reading past what the
        // walreceiver has flushed
        followNewTimeline();
        setReadLimit(at);
        stream.start(startPoint, timelines.current());
        streaming = true;
        return;
      }
      sleep(Duration.ofNanos(retry - since));
      lastRestoredSegNo = -1; // ask the archive again after the wait
      return;
    }
    // neither archive nor stream has it: wait and look again (a file copied into pg_wal, an
    // archive that fills later)
    sleep(retryInterval.get());
    replay.reader().reopen();
    setReadLimit(Lsn.MAX);
    lastRestoredSegNo = -1;
  }

  private void setReadLimit(Lsn limit) {
    readLimit = limit;
    replay.reader().setReadLimit(limit);
  }

  /** Waits on the wake condition (stop, restart request) for at most {@code d}. */
  private void sleep(Duration d) throws InterruptedException {
    lock.lock();
    try {
      if (!stopping && !restartRequested && !promoteRequested) {
        wake.awaitNanos(Math.max(1, d.toNanos()));
      }
    } finally {
      lock.unlock();
    }
  }
}
