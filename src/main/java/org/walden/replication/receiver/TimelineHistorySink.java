package org.walden.replication.receiver;

import java.io.IOException;
import org.walden.wal.TimelineId;

/**
 * Where the walreceiver stores the history files of the primary's newer timelines (PostgreSQL's
 * {@code WalRcvFetchTimeLineHistoryFiles}): before streaming, for every timeline after ours up to
 * the primary's that we do not have, {@code TIMELINE_HISTORY n} is asked and the file stored, so
 * that recovery can follow the primary onto its timeline at the end of ours.
 *
 * <p>Called on the walreceiver thread.
 */
public interface TimelineHistorySink {

  /** Do we have {@code tli}'s history file already? */
  boolean has(TimelineId tli);

  /** Stores the file durably; it is complete and as the primary sent it. */
  void store(TimelineId tli, byte[] content) throws IOException;

  /** Stores nothing (tests, tools). */
  TimelineHistorySink NONE =
      new TimelineHistorySink() {
        @Override
        public boolean has(TimelineId tli) {
          return true;
        }

        @Override
        public void store(TimelineId tli, byte[] content) {}
      };
}
