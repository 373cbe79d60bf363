package org.walden.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.fs.DurableFiles;
import org.walden.fs.PidLock;
import org.walden.recovery.RecoveryException;
import org.walden.recovery.Replay;
import org.walden.recovery.TimelineFollower;
import org.walden.replication.backup.BackupLabel;
import org.walden.storage.control.ControlData;
import org.walden.storage.control.ControlFileReadResult;
import org.walden.storage.control.ControlFileStore;
import org.walden.storage.control.DbState;
import org.walden.storage.redo.Redo;
import org.walden.storage.snapshot.SnapshotLoad;
import org.walden.storage.snapshot.SnapshotReader;
import org.walden.storage.txn.TransactionManager;
import org.walden.wal.CheckpointRecord;
import org.walden.wal.Lsn;
import org.walden.wal.ReadResult;
import org.walden.wal.TimelineHistory;
import org.walden.wal.TimelineHistoryFiles;
import org.walden.wal.TimelineId;
import org.walden.wal.TimelineSwitch;
import org.walden.wal.WalIdentity;
import org.walden.wal.WalReader;
import org.walden.wal.WalRecord;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.WalSegmentSource;
import org.walden.wal.WalWriter;

/**
 * Startup and crash recovery (PostgreSQL's startup process, for a primary): read the control file,
 * find the checkpoint record it points at, load that checkpoint's table snapshot, replay WAL from
 * the redo point to its end, and open the WAL for writing right after the last valid record.
 *
 * <p>Every way this can fail ends in a {@link StartupException} naming the file or position and
 * what to do; nothing is written to the WAL or the data before replay has succeeded, so a failed
 * start can be retried after the problem is fixed.
 *
 * <p>Runs on the thread calling {@link Node#start}; stateless.
 */
final class Startup {

  private static final Logger log = LoggerFactory.getLogger(Startup.class);

  private Startup() {}

  static Node run(DataDirectory dir, Config config, PidLock lock, DurableFiles durable, Clock clock)
      throws StartupException {
    ControlFileStore controlStore = new ControlFileStore(dir.root(), durable);
    ControlData control = readControl(controlStore);
    WalSegmentSize segSize = control.walSegmentSize();
    WalIdentity identity = new WalIdentity(control.systemIdentifier().value(), segSize);
    WalSegmentFiles segments = new WalSegmentFiles(dir.wal(), segSize, durable);
    boolean crashed =
        control.state() != DbState.SHUT_DOWN && control.state() != DbState.SHUT_DOWN_IN_RECOVERY;
    if (crashed) {
      log.info("database system was interrupted; last known up at {}", control.lastUpdate());
      log.info("database system was not properly shut down; automatic recovery in progress");
    } else {
      log.info("database system was shut down at {}", control.lastUpdate());
    }

    Optional<BackupLabel> label = BackupRecovery.readLabel(dir);
    if (label.isPresent()) {
      BackupLabel l = label.get();
      log.info(
          "starting backup recovery with redo LSN {}, checkpoint LSN {}, on timeline ID {}",
          l.startLsn(),
          l.checkpointLsn(),
          l.timeline());
      // recovery of a backup starts at the label's checkpoint, whatever the copied control file
      // says (a later checkpoint may have run while the files were copied)
      crashed = true;
    }
    Lsn ckptAt = label.map(BackupLabel::checkpointLsn).orElse(control.checkpointLsn());
    CheckpointRecord ckpt =
        readCheckpoint(
            ckptAt,
            label.map(BackupLabel::timeline).orElse(control.timeline()),
            identity,
            segments);
    if (label.isPresent()) {
      control =
          control.withCheckpoint(
              ckptAt, ckpt.redo(), ckpt.timeline(), ckpt.snapshotFile(), clock.instant());
      try {
        controlStore.write(control);
      } catch (IOException e) {
        throw new StartupException(
            "could not write control file \"" + controlStore.file() + "\": " + e.getMessage(),
            "Check that the data directory is writable and the disk is not full.",
            e);
      }
    }
    Path snapFile = dir.base().resolve(ckpt.snapshotFile());
    SnapshotLoad.Loaded snapshot = loadSnapshot(snapFile, durable);
    TransactionManager store =
        new TransactionManager(
            null, snapshot.catalog(), snapshot.consistentAt(), snapshot.nextXid(), clock);
    store.setInRecovery(true);

    if (java.nio.file.Files.exists(dir.standbySignal())) {
      return startStandby(
          dir,
          config,
          lock,
          durable,
          clock,
          controlStore,
          control,
          identity,
          segments,
          ckpt,
          snapshot,
          store,
          label);
    }

    try {
      if (crashed) {
        control = control.withState(DbState.IN_CRASH_RECOVERY, clock.instant());
        controlStore.write(control);
      }
    } catch (IOException e) {
      throw new StartupException(
          "could not write control file \"" + controlStore.file() + "\": " + e.getMessage(),
          "Check that the data directory is writable and the disk is not full.",
          e);
    }

    // recovery.signal: archive / point-in-time recovery (PointInTimeRecovery)
    PointInTimeRecovery pitr =
        PointInTimeRecovery.ifRequested(dir, config, segments, ckpt.redo(), control.timeline());
    Redo redo = new Redo(store, snapshot.consistentAt());
    BackupRecovery backup = new BackupRecovery(dir, durable, label);
    Lsn endOfWal;
    Lsn lastStart;
    long t0 = System.nanoTime();
    // a promotion writes its history file before any WAL of the new timeline and the control
    // file names the new timeline only from its first checkpoint on: crash recovery follows the
    // newest timeline that descends from the control file's
    TimelineHistory history = latestHistory(segments, control.timeline());
    try (Replay replay =
        new Replay(
            new WalReader(WalSegmentSource.following(segments, () -> history), identity),
            r -> {
              redo.apply(r.kind(), r.xid(), r.start(), r.end(), r.body());
              backup.replayed(r);
            },
            segments,
            control.timeline())) {
      replay.reader().checkPageTimelines(history::timelineOf);
      replay.reader().seek(ckpt.redo(), Lsn.INVALID);
      Replay.Step.End end =
          pitr == null ? replay.runToEnd() : pitr.run(replay, segments, control.timeline());
      if (replay.recordsApplied() == 0) {
        // Cannot happen: the redo point is at or before the checkpoint record we just read.
        throw new StartupException(
            "no WAL record could be replayed from redo point " + ckpt.redo(),
            "The write-ahead log is damaged. Restore the data directory from a backup.");
      }
      lastStart = replay.lastRecordStart();
      endOfWal = replay.resumePoint();
      backup.requireEndReached(end.at(), segments, control.timeline());
      double secs = (System.nanoTime() - t0) / 1e9;
      if (crashed || replay.recordsApplied() > 1) {
        log.info(
            "redo done at {}: {} records, {} MB in {} s ({} MB/s); end of WAL at {}",
            lastStart,
            replay.recordsApplied(),
            replay.bytesApplied() >> 20,
            String.format(java.util.Locale.ROOT, "%.2f", secs),
            String.format(
                java.util.Locale.ROOT,
                "%.0f",
                replay.bytesApplied() / 1048576.0 / Math.max(secs, 1e-9)),
            end.at());
      }
    } catch (RecoveryException e) {
      throw new StartupException(e.getMessage(), e.hint(), e);
    } catch (IOException e) {
      throw new StartupException(
          "could not read write-ahead log in \"" + dir.wal() + "\": " + e.getMessage(),
          "Check the directory's permissions and the disk.",
          e);
    }
    backup.finish();
    if (pitr != null) {
      pitr.finish(durable, segments, control.timeline(), endOfWal);
    }
    int discarded = redo.openTransactions();
    redo.discardOpenTransactions();
    if (discarded > 0) {
      log.info("{} transaction(s) in progress at the crash were rolled back", discarded);
    }

    WalWriter wal;
    try {
      segments.removeTempFiles();
      TimelineId writeTli = history.timelineOf(endOfWal);
      if (!writeTli.equals(control.timeline())) {
        // a crash between the history file and the first WAL of the new timeline: make its
        // first segment as the promotion would have
        TimelineSwitch.copySegmentPrefix(
            segments, history.timelineOf(lastStart), writeTli, endOfWal);
        log.info("continuing on timeline {}", writeTli);
      }
      wal =
          WalWriter.open(
              identity,
              segments,
              writeTli,
              endOfWal,
              lastStart,
              WalWriter.DEFAULT_RING_BYTES,
              Node.writerDelay(config));
      wal.start();
    } catch (IOException e) {
      throw new StartupException(
          "could not open write-ahead log for writing at " + endOfWal + ": " + e.getMessage(),
          "Check the directory's permissions and that the disk is not full.",
          e);
    }
    store.attachWal(wal);
    store.setInRecovery(false);

    WalRetention retention = new WalRetention();
    registerWalKeepSize(retention, () -> config, wal);
    try {
      control = control.withState(DbState.IN_PRODUCTION, clock.instant());
      controlStore.write(control);
    } catch (IOException e) {
      Node.closeQuietly(wal);
      throw new StartupException(
          "could not write control file \"" + controlStore.file() + "\": " + e.getMessage(),
          "Check that the data directory is writable and the disk is not full.",
          e);
    }
    return new Node(
        dir,
        durable,
        lock,
        controlStore,
        clock,
        config,
        control,
        segments,
        retention,
        wal,
        store,
        ckpt.redo(),
        ckpt.snapshotFile());
  }

  /** The {@code wal_keep_size} retention holder, for a primary's writer. */
  static void registerWalKeepSize(
      WalRetention retention, java.util.function.Supplier<Config> config, WalWriter wal) {
    retention.register(
        "wal_keep_size",
        () -> {
          long keep = Settings.WAL_KEEP_SIZE.toBytes(config.get().get(Settings.WAL_KEEP_SIZE));
          Lsn insert = wal.insertPosition();
          if (keep <= 0) {
            return Optional.empty();
          }
          // less WAL than wal_keep_size written so far: keep all of it (an empty answer here
          // would mean "nothing needed" and let the checkpointer remove everything)
          return Optional.of(
              Long.compareUnsigned(insert.value(), keep) <= 0 ? Lsn.of(1) : insert.plus(-keep));
        });
  }

  /** The history of the newest timeline in pg_wal that descends from {@code tli}. */
  private static TimelineHistory latestHistory(WalSegmentFiles segments, TimelineId tli)
      throws StartupException {
    TimelineHistoryFiles files = new TimelineHistoryFiles(segments);
    try {
      return files.require(files.newestDescendant(tli));
    } catch (IOException e) {
      throw new StartupException(
          "could not read timeline history in \"" + segments.dir() + "\": " + e.getMessage(),
          "Restore the missing history file from the archive.",
          e);
    }
  }

  /**
   * Standby mode ({@code standby.signal}): no crash-recovery pass and no WAL writer. The store,
   * loaded from the checkpoint snapshot, is already consistent, so read-only sessions may start at
   * once; the recovery thread then replays pg_wal from the checkpoint's redo point and goes on with
   * the archive and the stream.
   */
  private static Node startStandby(
      DataDirectory dir,
      Config config,
      PidLock lock,
      DurableFiles durable,
      Clock clock,
      ControlFileStore controlStore,
      ControlData control,
      WalIdentity identity,
      WalSegmentFiles segments,
      CheckpointRecord ckpt,
      SnapshotLoad.Loaded snapshot,
      TransactionManager store,
      Optional<BackupLabel> label)
      throws StartupException {
    log.info("entering standby mode");
    try {
      segments.removeTempFiles();
      control = control.withState(DbState.IN_ARCHIVE_RECOVERY, clock.instant());
      controlStore.write(control);
    } catch (IOException e) {
      throw new StartupException(
          "could not write control file \"" + controlStore.file() + "\": " + e.getMessage(),
          "Check that the data directory is writable and the disk is not full.",
          e);
    }
    Redo redo = new Redo(store, snapshot.consistentAt());
    TimelineFollower timelines;
    try {
      timelines =
          TimelineFollower.startingAt(
              new TimelineHistoryFiles(segments),
              control.timeline(),
              config.get(Settings.RECOVERY_TARGET_TIMELINE),
              ckpt.redo());
    } catch (IOException e) {
      throw new StartupException(
          "could not read timeline history in \"" + segments.dir() + "\": " + e.getMessage(),
          "Restore the missing history file from the archive.",
          e);
    }
    BackupRecovery backup = new BackupRecovery(dir, durable, label);
    Replay replay =
        new Replay(
            new WalReader(WalSegmentSource.following(segments, timelines::history), identity),
            r -> {
              redo.apply(r.kind(), r.xid(), r.start(), r.end(), r.body());
              // on the recovery thread: renames backup_label once the backup end is replayed
              backup.replayedInStandby(r);
            },
            segments,
            control.timeline());
    replay.reader().checkPageTimelines(l -> timelines.history().timelineOf(l));
    replay.reader().seek(ckpt.redo(), Lsn.INVALID);
    log.info("redo starts at {}", ckpt.redo());
    try {
      return new Node(
          dir,
          durable,
          lock,
          controlStore,
          clock,
          config,
          control,
          segments,
          identity,
          store,
          replay,
          ckpt.redo(),
          redo,
          ckpt.snapshotFile(),
          timelines);
    } catch (IOException e) {
      throw new StartupException(
          "could not prepare pg_wal/archive_status: " + e.getMessage(),
          "Check that the data directory is writable.",
          e);
    }
  }

  private static ControlData readControl(ControlFileStore store) throws StartupException {
    ControlFileReadResult r;
    try {
      r = store.read();
    } catch (IOException e) {
      throw new StartupException(
          "could not read control file \"" + store.file() + "\": " + e.getMessage(),
          "Check the file's permissions.",
          e);
    }
    return switch (r) {
      case ControlFileReadResult.Valid v -> v.data();
      default ->
          throw new StartupException(
              r.describe(),
              "The control file is what tells the server where recovery starts; without a valid"
                  + " one the data directory cannot be used. Restore it from a backup.");
    };
  }

  private static CheckpointRecord readCheckpoint(
      Lsn at, org.walden.wal.TimelineId tli, WalIdentity identity, WalSegmentFiles segments)
      throws StartupException {
    long segNo = identity.segmentSize().segmentOf(at);
    String segName = identity.segmentSize().name(tli, segNo).fileName();
    try (WalReader reader = new WalReader(WalSegmentSource.of(segments, tli), identity)) {
      reader.seek(at, Lsn.INVALID);
      ReadResult r = reader.next();
      if (r instanceof ReadResult.Record rec && rec.record().kind().isCheckpoint()) {
        WalRecord record = rec.record();
        try {
          return CheckpointRecord.decode(record.body());
        } catch (IllegalArgumentException e) {
          throw new StartupException(
              "invalid checkpoint record at " + at + ": " + e.getMessage(),
              "Restore the data directory from a backup.");
        }
      }
      String why =
          switch (r) {
            case ReadResult.MissingSegment m -> "WAL file \"" + segName + "\" is missing";
            case ReadResult.Record rec ->
                "the record there is a " + rec.record().kind() + " record";
            case ReadResult.Corrupt c -> c.reason();
            case ReadResult.TornTail t -> t.reason();
            case ReadResult.EndOfWal e -> "no record there";
          };
      throw new StartupException(
          "could not locate a valid checkpoint record at " + at + ": " + why,
          "The checkpoint is in WAL file \""
              + segName
              + "\" in pg_wal. Provide that file (pg_basebackup -X fetch or -X stream includes"
              + " it; restore_command can fetch it from an archive), or restore the data"
              + " directory from a backup.");
    } catch (IOException e) {
      throw new StartupException(
          "could not read WAL file \"" + segName + "\": " + e.getMessage(),
          "Check the file's permissions.",
          e);
    }
  }

  private static SnapshotLoad.Loaded loadSnapshot(Path file, DurableFiles durable)
      throws StartupException {
    SnapshotLoad load;
    try {
      load = SnapshotReader.load(file, durable.io());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new StartupException(
          "checkpoint snapshot file \"" + file + "\" is missing",
          "The last checkpoint's table snapshot is needed to start. Restore the data directory"
              + " from a backup.");
    } catch (IOException e) {
      throw new StartupException(
          "could not read checkpoint snapshot file \"" + file + "\": " + e.getMessage(),
          "Check the file's permissions.",
          e);
    }
    return switch (load) {
      case SnapshotLoad.Loaded l -> l;
      case SnapshotLoad.Corrupt c ->
          throw new StartupException(
              "checkpoint snapshot file \"" + file + "\" is corrupt: " + c.reason(),
              "Restore the data directory from a backup.");
    };
  }
}
