package org.walden.server;

import java.io.IOException;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineHistory;
import org.walden.wal.TimelineHistoryFiles;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wire.PgError;

/**
 * START_REPLICATION's timeline checks (PostgreSQL's {@code StartReplication}): is the requested
 * timeline in this server's history, and does the requested start lie on it? Stateless.
 */
final class TimelineRequests {

  private TimelineRequests() {}

  /** This server's history, read from its current timeline's history file in {@code pg_wal}. */
  static TimelineHistory history(WalSegmentFiles segments, TimelineId current) throws IOException {
    return switch (new TimelineHistoryFiles(segments).read(current)) {
      case TimelineHistoryFiles.Read.Found f -> f.history();
      case TimelineHistoryFiles.Read.Missing m ->
          throw PgError.error(
                  "58P01",
                  "could not open file \"pg_wal/"
                      + TimelineHistory.fileName(current)
                      + "\": No such file or directory")
              .toException();
      case TimelineHistoryFiles.Read.Corrupt c ->
          throw PgError.error("XX000", c.reason()).toException();
    };
  }

  /**
   * Checks a request for {@code tli} from {@code start}; returns the timeline's switch point when
   * it is an old one, empty when it is the current one.
   */
  static Optional<Lsn> check(TimelineHistory history, TimelineId tli, Lsn start) {
    if (!history.contains(tli)) {
      throw PgError.error("XX000", "requested timeline " + tli + " is not in this server's history")
          .toException();
    }
    Optional<Lsn> sp = history.switchPoint(tli);
    if (sp.isPresent() && start.isAfter(sp.get())) {
      throw PgError.error(
              "XX000",
              "requested starting point "
                  + start
                  + " on timeline "
                  + tli
                  + " is not in this server's history")
          .withDetail("This server's history forked from timeline " + tli + " at " + sp.get() + ".")
          .toException();
    }
    return sp;
  }
}
