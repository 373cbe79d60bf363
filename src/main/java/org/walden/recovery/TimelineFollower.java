package org.walden.recovery;

import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineHistory;
import org.walden.wal.TimelineHistoryFiles;
import org.walden.wal.TimelineId;

/**
 * Which timeline a standby recovers along ({@code recovery_target_timeline}), and the switch to a
 * newer one when its history file appears (fetched by the walreceiver from a promoted primary, or
 * restored from the archive): PostgreSQL's {@code recoveryTargetTLI}, {@code expectedTLEs} and
 * {@code rescanLatestTimeLine}.
 *
 * <p>A newer timeline is taken only if it is a child of the current history that forked at or after
 * the replay position; one that forked before it is refused with PostgreSQL's message (the standby
 * has WAL the new timeline does not: following it would corrupt the data) and recovery stays where
 * it is.
 *
 * <p>Thread: {@link #rescan} on the recovery thread only; {@link #history} from any thread (the WAL
 * reader's segment source, walsenders of a cascading standby).
 */
public final class TimelineFollower {

  private static final Logger log = LoggerFactory.getLogger(TimelineFollower.class);

  /** {@code recovery_target_timeline}: {@code latest}, {@code current}, or one id. */
  public sealed interface Target {
    record Latest() implements Target {}

    record Current() implements Target {}

    record Exactly(TimelineId tli) implements Target {}

    /** Parses the (already validated) setting. */
    static Target parse(String value) {
      return switch (value) {
        case "latest" -> new Latest();
        case "current" -> new Current();
        default -> new Exactly(new TimelineId((int) Long.parseLong(value.strip())));
      };
    }
  }

  private final TimelineHistoryFiles files;
  private final Target target;

  /** Brings a history file from the archive into pg_wal; null = no archive. */
  private volatile WalArchive archive;

  /** Replaced by the recovery thread only. */
  private volatile TimelineHistory history;

  /** The fork last refused, so it is logged once per new history file, not at every retry. */
  private TimelineId refused;

  public TimelineFollower(TimelineHistoryFiles files, TimelineHistory start, Target target) {
    this.files = files;
    this.history = start;
    this.target = target;
  }

  /**
   * Starts from {@code tli} (the control file's) and moves at once to the newest known descendant
   * the target allows (a standby that restarts after following a promotion).
   */
  public static TimelineFollower startingAt(
      TimelineHistoryFiles files, TimelineId tli, String targetSetting, Lsn replayFrom)
      throws IOException {
    Target target = Target.parse(targetSetting);
    if (target instanceof Target.Exactly e && !files.exists(e.tli())) {
      // PostgreSQL refuses to start: the named timeline must be known (its history file in
      // pg_wal; Walden does not look in the archive at this point)
      throw new IOException("recovery target timeline " + e.tli() + " does not exist");
    }
    TimelineFollower f = new TimelineFollower(files, files.require(tli), target);
    f.rescan(replayFrom);
    return f;
  }

  /** Also look in the archive ({@code restore_command}) for newer history files. */
  public void useArchive(WalArchive archive) {
    this.archive = archive;
  }

  public TimelineHistory history() {
    return history;
  }

  public TimelineId current() {
    return history.current();
  }

  /**
   * Looks for a newer timeline to follow; returns it if recovery switched to it. {@code
   * replayedUpto} is the end of what has been replayed: the new timeline must fork at or after it.
   */
  public Optional<TimelineId> rescan(Lsn replayedUpto) throws IOException {
    TimelineId now = history.current();
    fetchFromArchive(now);
    TimelineId candidate =
        switch (target) {
          case Target.Current c -> now;
          case Target.Latest l -> files.newestDescendant(now);
          case Target.Exactly e -> e.tli();
        };
    if (candidate.compareTo(now) <= 0) {
      return Optional.empty();
    }
    if (!(files.read(candidate) instanceof TimelineHistoryFiles.Read.Found found)) {
      return Optional.empty(); // not here (yet): the archive or the stream may bring it
    }
    TimelineHistory next = found.history();
    if (!next.contains(now)) {
      logRefusal(
          candidate,
          "new timeline " + candidate + " is not a child of database system timeline " + now);
      return Optional.empty();
    }
    Lsn fork = next.switchPoint(now).orElseThrow();
    if (fork.isBefore(replayedUpto)) {
      logRefusal(
          candidate,
          "new timeline "
              + candidate
              + " forked off current database system timeline "
              + now
              + " before current recovery point "
              + replayedUpto);
      return Optional.empty();
    }
    history = next;
    log.info("new target timeline is {}", candidate);
    return Optional.of(candidate);
  }

  /** Restores the history files after {@code now} the archive has, up to the first it lacks. */
  private void fetchFromArchive(TimelineId now) {
    WalArchive a = archive;
    if (a == null || !a.configured() || target instanceof Target.Current) {
      return;
    }
    try {
      TimelineId probe = files.highest(now).next();
      while (!files.exists(probe) && a.restoreHistory(probe) == WalArchive.Outcome.RESTORED) {
        log.info("restored log file \"{}\" from archive", TimelineHistory.fileName(probe));
        probe = probe.next();
      }
    } catch (IOException | RecoveryException e) {
      log.warn("could not look for timeline history files in the archive: {}", e.getMessage());
    }
  }

  private void logRefusal(TimelineId candidate, String message) {
    if (!candidate.equals(refused)) {
      log.warn("{}", message);
      refused = candidate;
    } else {
      log.debug("{}", message);
    }
  }
}
