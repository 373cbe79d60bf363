package org.walden.node;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.recovery.RecoveryException;
import org.walden.recovery.WalArchive;
import org.walden.storage.redo.Redo;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineHistory;
import org.walden.wal.TimelineHistoryFiles;
import org.walden.wal.TimelineId;
import org.walden.wal.TimelineSwitch;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalWriter;

/**
 * The end of a standby's recovery by promotion (PostgreSQL's end of {@code StartupXLOG} after a
 * promote signal): choose the new timeline (the highest known in {@code pg_wal} and the archive,
 * plus one), write its history file durably, move the segment holding the switch point to the new
 * timeline's name, open a WAL writer there, and hand it to the node, which writes the
 * end-of-recovery record and opens for writes ({@link Node#installPrimary}). No checkpoint is
 * waited for (PostgreSQL's fast promotion); segment preallocation waits until writes are open.
 *
 * <p>Thread: {@link #finish} runs on the recovery thread (the replay has ended there); {@link
 * #await} on any session thread ({@code pg_promote(true)}). {@code done} is the only shared state.
 */
final class Promotion {

  private static final Logger log = LoggerFactory.getLogger(Promotion.class);

  private final Redo redo;
  private final Lsn checkpointRedo;
  private final String snapshotFile;
  private final WalArchive archive;
  private final CountDownLatch done = new CountDownLatch(1);

  /**
   * @param redo the standby's redo state (transactions still open at the end are rolled back)
   * @param checkpointRedo redo point of the checkpoint the standby started from, the checkpointer's
   *     starting point until its first checkpoint
   * @param snapshotFile that checkpoint's table snapshot
   */
  Promotion(Redo redo, Lsn checkpointRedo, String snapshotFile, WalArchive archive) {
    this.redo = redo;
    this.checkpointRedo = checkpointRedo;
    this.snapshotFile = snapshotFile;
    this.archive = archive;
  }

  /** Waits until the node accepts writes; false on timeout. */
  boolean await(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  boolean isDone() {
    return done.getCount() == 0;
  }

  /** On the recovery thread, after the last record was replayed. */
  void finish(Node node, Lsn end, Lsn lastStart, TimelineHistory history) throws Exception {
    long t0 = System.nanoTime();
    WalSegmentFiles segments = node.segments();
    TimelineHistoryFiles files = new TimelineHistoryFiles(segments);
    TimelineId oldTli = history.current();
    TimelineId newTli = chooseNewTimeline(files, oldTli);
    log.info("selected new timeline ID: {}", newTli);
    TimelineHistory next = history.child(newTli, end, TimelineHistory.NO_RECOVERY_TARGET);
    files.write(next);
    long tHistory = System.nanoTime();
    TimelineSwitch.moveSegment(segments, oldTli, newTli, end);
    long tSegment = System.nanoTime();
    int open = redo.openTransactions();
    redo.discardOpenTransactions();
    if (open > 0) {
      log.info("{} transaction(s) in progress on the old primary were rolled back", open);
    }
    WalWriter wal =
        WalWriter.open(
            node.identity(),
            segments,
            newTli,
            end,
            lastStart,
            WalWriter.DEFAULT_RING_BYTES,
            Node.writerDelay(node.config()));
    wal.startDeferringPreallocation(); // the node asks for it once writes are open
    long tWriter = System.nanoTime();
    node.installPrimary(
        wal, checkpointRedo, snapshotFile, TimelineHistory.fileName(newTli), oldTli);
    done.countDown();
    long tDone = System.nanoTime();
    log.info(
        "archive recovery complete; promoted to timeline {} at {} in {} ms (history file {} ms,"
            + " segment {} ms, WAL writer {} ms, end-of-recovery record and switch {} ms)",
        newTli,
        end,
        ms(tDone - t0),
        ms(tHistory - t0),
        ms(tSegment - tHistory),
        ms(tWriter - tSegment),
        ms(tDone - tWriter));
  }

  private static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }

  /**
   * One above the highest timeline known here or in the archive (PostgreSQL's {@code
   * findNewestTimeLine} + 1): a sibling promoted earlier from the same primary may have archived
   * its history, and two servers must never pick the same new timeline.
   */
  private TimelineId chooseNewTimeline(TimelineHistoryFiles files, TimelineId current)
      throws IOException {
    TimelineId highest = files.highest(current);
    if (archive.configured()) {
      try {
        while (archive.restoreHistory(highest.next()) == WalArchive.Outcome.RESTORED) {
          highest = highest.next();
        }
      } catch (RecoveryException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return highest.next();
  }
}
