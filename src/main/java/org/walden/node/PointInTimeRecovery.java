package org.walden.node;

import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.Config;
import org.walden.config.RecoveryTargetAction;
import org.walden.config.Settings;
import org.walden.fs.DurableFiles;
import org.walden.recovery.ArchiveRecovery;
import org.walden.recovery.RecoveryException;
import org.walden.recovery.RecoveryTarget;
import org.walden.recovery.Replay;
import org.walden.recovery.WalArchive;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/**
 * Archive and point-in-time recovery at startup ({@code recovery.signal} without {@code
 * standby.signal}): replays pg_wal and the archive up to the {@code recovery_target_*} (or the end
 * of the archive), applies {@code recovery_target_action}, and leaves the data directory ready to
 * open as a primary: {@code recovery.signal} removed and the WAL segments after the stop point
 * (which the archive still holds) removed from pg_wal, so the WAL written next cannot be mistaken
 * for the old history.
 *
 * <p>Walden has no timeline switch yet (that comes with promotion), so the server opens on the
 * <em>same</em> timeline, where PostgreSQL would choose a new one. Consequence: the archive's copy
 * of the stop segment differs from the one written next (archive_command must not refuse to
 * overwrite, or archiving stops there).
 *
 * <p>{@code recovery_target_action = pause} needs a server that serves reads during recovery and
 * then ends recovery on {@code pg_wal_replay_resume()}; this startup path does neither, so pause
 * acts as {@code shutdown} — what PostgreSQL does when it cannot pause (hot_standby off).
 *
 * <p>Runs on the startup thread; stateless between calls.
 */
final class PointInTimeRecovery {

  private static final Logger log = LoggerFactory.getLogger(PointInTimeRecovery.class);

  private final DataDirectory dir;
  private final Config config;
  private final RecoveryTarget target;
  private final WalArchive archive;

  private PointInTimeRecovery(
      DataDirectory dir, Config config, RecoveryTarget target, WalArchive archive) {
    this.dir = dir;
    this.config = config;
    this.target = target;
    this.archive = archive;
  }

  /** Empty unless {@code recovery.signal} asks for archive recovery. */
  static PointInTimeRecovery ifRequested(
      DataDirectory dir, Config config, WalSegmentFiles segments, Lsn redo, TimelineId tli)
      throws StartupException {
    if (!Files.exists(dir.recoverySignal())) {
      return null;
    }
    try {
      RecoveryTarget target = RecoveryTarget.fromConfig(config);
      if (config.get(Settings.RESTORE_COMMAND).isBlank()) {
        throw new StartupException(
            "must specify restore_command when standby mode is not enabled",
            "Set restore_command, or remove recovery.signal to recover pg_wal only.");
      }
      WalArchive archive = StandbySources.archive(dir, segments, () -> config, redo, tli, null);
      return new PointInTimeRecovery(dir, config, target, archive);
    } catch (RecoveryException e) {
      throw new StartupException(e.getMessage(), e.hint(), e);
    } catch (IOException e) {
      throw new StartupException(
          "could not prepare pg_wal/archive_status: " + e.getMessage(),
          "Check that the data directory is writable.",
          e);
    }
  }

  /**
   * Replays to the target and applies the action.
   *
   * @throws StartupException after the target is reached when the action is shutdown (or pause)
   */
  Replay.Step.End run(Replay replay, WalSegmentFiles segments, TimelineId tli)
      throws IOException, RecoveryException, StartupException {
    replay.stopBefore(target);
    WalSegmentSize segSize = segments.segmentSize();
    ArchiveRecovery.Result r = ArchiveRecovery.run(replay, target, archive, segSize, tli);
    if (!r.reachedTarget()) {
      if (target.kind() != RecoveryTarget.Kind.NONE) {
        // PostgreSQL 15 ends recovery anyway here (16 makes it FATAL); say so
        log.warn("recovery ended before the configured recovery target was reached");
      }
      log.info("archive recovery complete");
      return r.end();
    }
    RecoveryTargetAction action = config.get(Settings.RECOVERY_TARGET_ACTION);
    if (action != RecoveryTargetAction.PROMOTE) {
      if (action == RecoveryTargetAction.PAUSE) {
        log.warn(
            "recovery_target_action = pause is not available at startup recovery; shutting down"
                + " instead (as PostgreSQL does without hot standby)");
      }
      log.info("shutdown at recovery target");
      throw new StartupException(
          "shutdown at recovery target",
          "Recovery stopped at the target: "
              + r.stop().message()
              + ". Set recovery_target_action = promote (or remove the target) and start the"
              + " server again to open it.");
    }
    log.info("archive recovery complete");
    return r.end();
  }

  /**
   * After a successful recovery: drops the segments past {@code resumePoint}'s (restored from the
   * archive, or left from the backup) and removes {@code recovery.signal}, durably.
   */
  void finish(DurableFiles durable, WalSegmentFiles segments, TimelineId tli, Lsn resumePoint)
      throws StartupException {
    try {
      long keep = segments.segmentSize().segmentOf(resumePoint);
      for (WalSegmentName n : segments.list()) {
        if (n.segNo() > keep && n.timeline().equals(tli)) {
          Files.deleteIfExists(segments.pathOf(n));
        }
      }
      durable.fsyncDirectory(segments.dir());
      durable.durableDelete(dir.recoverySignal());
    } catch (IOException e) {
      throw new StartupException(
          "could not remove \"" + dir.recoverySignal() + "\": " + e.getMessage(),
          "Check that the data directory is writable.",
          e);
    }
  }
}
