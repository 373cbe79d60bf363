package org.walden.node;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.recovery.RecoveryException;
import org.walden.recovery.WalArchive;
import org.walden.recovery.WalStream;
import org.walden.replication.archive.ArchiveStatusDir;
import org.walden.replication.archive.RestoreCommand;
import org.walden.replication.archive.RestoreResult;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;

/** Builds a standby's WAL sources from the node's settings. */
final class StandbySources {
  private StandbySources() {}

  static WalStream stream(Node node) {
    return new WalStream() {
      @Override
      public boolean configured() {
        return false;
      }

      @Override
      public void start(Lsn startPoint, TimelineId timeline) {}

      @Override
      public boolean isStreaming() {
        return false;
      }

      @Override
      public Lsn flushedUpto() {
        return Lsn.INVALID;
      }

      @Override
      public void awaitFlushedBeyond(Lsn than, Duration timeout) {}

      @Override
      public void stop() {}
    };
  }

  /**
   * {@code restore_command} through {@link RestoreCommand}, in standby mode (a short file is "not
   * there yet"). {@code %r} names the segment of the standby's redo point: it writes no
   * restartpoints yet, so that is the checkpoint it started from.
   */
  static WalArchive archive(
      DataDirectory dir,
      WalSegmentFiles segments,
      Supplier<Config> config,
      Lsn redo,
      TimelineId tli)
      throws IOException {
    RestoreCommand rc =
        new RestoreCommand(
            dir.root(),
            segments,
            ArchiveStatusDir.open(segments),
            () -> config.get().get(Settings.RESTORE_COMMAND),
            () -> config.get().get(Settings.ARCHIVE_MODE),
            RESTORE_LIMIT);
    String redoFile =
        segments.segmentSize().name(tli, segments.segmentSize().segmentOf(redo)).fileName();
    return new WalArchive() {
      @Override
      public boolean configured() {
        return !config.get().get(Settings.RESTORE_COMMAND).isBlank();
      }

      @Override
      public Outcome restore(WalSegmentName segment) throws RecoveryException {
        RestoreResult r;
        try {
          r = rc.restore(segment.fileName(), redoFile, true);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Outcome.NOT_FOUND;
        }
        return switch (r) {
          case RestoreResult.Restored ok -> Outcome.RESTORED;
          case RestoreResult.NotFound nf -> Outcome.NOT_FOUND;
          case RestoreResult.Fatal f ->
              throw new RecoveryException(
                  f.message(),
                  "Fix restore_command (it must exit 0 after copying the file to %p, and non-zero"
                      + " when the archive does not have it), then start the server again.");
        };
      }
    };
  }

  /** How long one restore_command may run before it is killed (PostgreSQL has no limit). */
  private static final Duration RESTORE_LIMIT = Duration.ofHours(1);
}
