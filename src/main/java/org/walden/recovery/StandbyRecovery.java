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
  private final TimelineId timeline;
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

  private Thread thread;

  // recovery-thread state
  private Lsn readLimit = Lsn.MAX;
  private boolean streaming;
  private long lastStreamAttemptNanos;
  private boolean everStreamed;
  private long lastRestoredSegNo = -1;

  /**
   * @param replay positioned at the first record to replay (the loaded checkpoint's redo point)
   * @param retryInterval {@code wal_retrieve_retry_interval}, read at each use (reloadable)
   * @param onFatal called on the recovery thread when recovery cannot go on
   */
  public StandbyRecovery(
      Replay replay,
      WalSegmentSize segSize,
      TimelineId timeline,
      WalArchive archive,
      WalStream stream,
      Supplier<Duration> retryInterval,
      Consumer<RecoveryException> onFatal) {
    this.replay = replay;
    this.segSize = segSize;
    this.timeline = timeline;
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

  /** The timeline being replayed and streamed. */
  public TimelineId timeline() {
    return timeline;
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
      if (restartRequested) {
        restartRequested = false;
        if (streaming) {
          log.info("restarting the WAL receiver with the new primary_conninfo / primary_slot_name");
          stream.stop();
          streaming = false;
          lastStreamAttemptNanos = 0; // start again at once
        }
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
    }
    long segNo = segSize.segmentOf(needed);
    if (archive.configured() && segNo != lastRestoredSegNo) {
      WalSegmentName name = segSize.name(timeline, segNo);
      WalArchive.Outcome o = archive.restore(name);
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
        setReadLimit(at);
        stream.start(startPoint, timeline);
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
      if (!stopping && !restartRequested) {
        wake.awaitNanos(Math.max(1, d.toNanos()));
      }
    } finally {
      lock.unlock();
    }
  }
}
