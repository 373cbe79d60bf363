package org.walden.node;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.recovery.RecoveryException;
import org.walden.recovery.WalArchive;
import org.walden.recovery.WalStream;
import org.walden.replication.archive.ArchiveStatusDir;
import org.walden.replication.archive.RestoreCommand;
import org.walden.replication.archive.RestoreResult;
import org.walden.replication.receiver.PgWalReceiverTransport;
import org.walden.replication.receiver.SegmentCompleted;
import org.walden.replication.receiver.WalReceiver;
import org.walden.replication.receiver.WalReceiverConfig;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;

/** Builds a standby's WAL sources from the node's settings. */
final class StandbySources {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(StandbySources.class);

  private StandbySources() {}

  /**
   * The walreceiver ({@link WalReceiver} over {@link PgWalReceiverTransport}) as recovery's {@link
   * WalStream}. The settings are read at each start, so a reload followed by a restart of the
   * stream uses the new {@code primary_conninfo}.
   *
   * @param applied recovery's replay position, reported to the primary as {@code apply}
   * @param segmentCompleted told of each segment the walreceiver completes
   */
  static Receiver stream(
      Supplier<Config> config,
      WalSegmentFiles segments,
      long systemId,
      Supplier<Lsn> applied,
      SegmentCompleted segmentCompleted,
      Clock clock) {
    WalReceiver r =
        new WalReceiver(
            () -> WalReceiverConfig.from(config.get()),
            segments,
            () -> new PgWalReceiverTransport(systemId, histories(segments)),
            applied,
            Optional::empty,
            segmentCompleted,
            clock);
    return new Receiver(r, config);
  }

  /** History files fetched by the walreceiver go to pg_wal, durably. */
  private static org.walden.replication.receiver.TimelineHistorySink histories(
      WalSegmentFiles segments) {
    org.walden.wal.TimelineHistoryFiles files = new org.walden.wal.TimelineHistoryFiles(segments);
    return new org.walden.replication.receiver.TimelineHistorySink() {
      @Override
      public boolean has(TimelineId tli) {
        return files.exists(tli);
      }

      @Override
      public void store(TimelineId tli, byte[] content) throws IOException {
        try {
          files.writeRaw(tli, content);
        } catch (IllegalArgumentException e) {
          throw new IOException(
              "invalid timeline history file for timeline "
                  + tli
                  + " from the primary: "
                  + e.getMessage(),
              e);
        }
      }
    };
  }

  /** {@link WalStream} over one {@link WalReceiver}. */
  static final class Receiver implements WalStream {
    private final WalReceiver receiver;
    private final Supplier<Config> config;

    Receiver(WalReceiver receiver, Supplier<Config> config) {
      this.receiver = receiver;
      this.config = config;
    }

    WalReceiver receiver() {
      return receiver;
    }

    @Override
    public boolean configured() {
      return !config.get().get(Settings.PRIMARY_CONNINFO).isBlank();
    }

    @Override
    public void start(Lsn startPoint, TimelineId timeline) {
      try {
        receiver.start(startPoint, timeline);
      } catch (RuntimeException e) {
        // a primary_conninfo libpq would reject: logged; recovery retries after the interval
        log.error("could not start WAL streaming: {}", e.getMessage());
      }
    }

    @Override
    public boolean isStreaming() {
      return receiver.isRunning();
    }

    @Override
    public Lsn flushedUpto() {
      return receiver.flushedUpto().get();
    }

    @Override
    public void awaitFlushedBeyond(Lsn than, Duration timeout) throws InterruptedException {
      receiver.flushedUpto().awaitBeyond(than, timeout);
    }

    @Override
    public void replayCaughtUp() {
      receiver.forceReply();
    }

    @Override
    public void stopNow() {
      try {
        if (!receiver.stopNow()) {
          log.warn("the WAL receiver did not stop in time");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void wake() {
      receiver.flushedUpto().wakeWaiters();
    }

    @Override
    public void stop() {
      try {
        if (!receiver.stop()) {
          log.warn("the WAL receiver did not stop in time");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
      TimelineId tli,
      java.util.function.Consumer<String> beforeReady)
      throws IOException {
    RestoreCommand rc =
        new RestoreCommand(
            dir.root(),
            segments,
            ArchiveStatusDir.open(segments),
            () -> config.get().get(Settings.RESTORE_COMMAND),
            () -> config.get().get(Settings.ARCHIVE_MODE),
            RESTORE_LIMIT);
    if (beforeReady != null) {
      rc.beforeReady(beforeReady);
    }
    String redoFile =
        segments.segmentSize().name(tli, segments.segmentSize().segmentOf(redo)).fileName();
    return new WalArchive() {
      @Override
      public boolean configured() {
        return !config.get().get(Settings.RESTORE_COMMAND).isBlank();
      }

      @Override
      public Outcome restoreHistory(TimelineId tli) throws RecoveryException {
        return restoreFile(org.walden.wal.TimelineHistory.fileName(tli));
      }

      @Override
      public Outcome restore(WalSegmentName segment) throws RecoveryException {
        return restoreFile(segment.fileName());
      }

      private Outcome restoreFile(String fileName) throws RecoveryException {
        RestoreResult r;
        try {
          r = rc.restore(fileName, redoFile, true);
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
