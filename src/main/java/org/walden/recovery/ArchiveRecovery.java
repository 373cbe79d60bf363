package org.walden.recovery;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/**
 * Archive recovery ({@code recovery.signal}, no {@code standby.signal}): replays pg_wal and, when
 * it ends, whatever {@code restore_command} brings from the archive, segment after segment, until
 * the {@link RecoveryTarget} says stop or neither source has the next segment — PostgreSQL's
 * archive-recovery loop without the stream. Records judged "stop before" are not applied.
 *
 * <p>Runs on the thread that calls {@link #run} (the node's startup) and returns when done; holds
 * no thread and no state across runs.
 */
public final class ArchiveRecovery {

  private static final Logger log = LoggerFactory.getLogger(ArchiveRecovery.class);

  /** How it ended: at the target ({@code stop} set) or at the end of available WAL. */
  public record Result(Replay.Step.End end, RecoveryTarget.Stop stop) {
    public boolean reachedTarget() {
      return stop != null;
    }
  }

  private ArchiveRecovery() {}

  /**
   * Replays from {@code replay}'s position on.
   *
   * @param replay positioned at the redo point, with {@link RecoveryTarget#stopsBefore} installed
   *     via {@link Replay#stopBefore}
   */
  public static Result run(
      Replay replay,
      RecoveryTarget target,
      WalArchive archive,
      WalSegmentSize segSize,
      TimelineId timeline)
      throws IOException, RecoveryException {
    log.info(target.describe());
    long lastRestored = -1;
    while (true) {
      Replay.Step s = replay.step();
      if (s instanceof Replay.Step.Applied a) {
        RecoveryTarget.Stop stop = target.stopsAfter(a.record());
        if (stop != null) {
          log.info(stop.message());
          return new Result(new Replay.Step.End(a.record().end(), null), stop);
        }
        continue;
      }
      if (s instanceof Replay.Step.Stopped st) {
        log.info(st.stop().message());
        return new Result(new Replay.Step.End(st.record().start(), null), st.stop());
      }
      Replay.Step.End e = (Replay.Step.End) s;
      Lsn needed = Lsn.max(e.at(), replay.reader().lastFailurePosition());
      long segNo = segSize.segmentOf(needed);
      if (!archive.configured() || segNo == lastRestored) {
        return new Result(e, null);
      }
      lastRestored = segNo;
      WalSegmentName name = segSize.name(timeline, segNo);
      if (archive.restore(name) != WalArchive.Outcome.RESTORED) {
        return new Result(e, null);
      }
      replay.reader().reopen();
    }
  }
}
