package org.walden.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.fs.DurableFiles;
import org.walden.replication.backup.BackupLabel;
import org.walden.wal.BackupEndRecord;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.TimelineId;
import org.walden.wal.WalRecord;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;

/**
 * Recovery of a base backup (PostgreSQL's backup_label handling in StartupXLOG): the label names
 * the checkpoint recovery starts at; the copy is consistent only once replay has passed the
 * BACKUP_END record carrying the label's start point. Then {@code backup_label} is durably renamed
 * to {@code backup_label.old}, so a later restart recovers from the control file as usual.
 *
 * <p>Walden's checkpoint snapshots are consistent by construction, so the data loaded from the
 * label's checkpoint is already a committed state; what the backup end adds is the guarantee that
 * the WAL covering the copy is complete — a copy whose WAL stops earlier refuses to open.
 *
 * <p>One per startup; used by the startup thread (primary) or the recovery thread (standby), never
 * both. {@code reached} is written by that thread only.
 */
final class BackupRecovery {

  private static final Logger log = LoggerFactory.getLogger(BackupRecovery.class);

  private final DataDirectory dir;
  private final DurableFiles durable;
  private final Optional<BackupLabel> label;
  private volatile boolean reached;
  private volatile boolean renamed;

  BackupRecovery(DataDirectory dir, DurableFiles durable, Optional<BackupLabel> label) {
    this.dir = dir;
    this.durable = durable;
    this.label = label;
  }

  /** The data directory's {@code backup_label}, if there is one. */
  static Optional<BackupLabel> readLabel(DataDirectory dir) throws StartupException {
    String text;
    try {
      text = Files.readString(dir.backupLabel(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StartupException(
          "could not read file \"" + dir.backupLabel() + "\": " + e.getMessage(),
          "Check the file's permissions.",
          e);
    }
    Optional<BackupLabel> l = BackupLabel.parse(text);
    if (l.isEmpty()) {
      throw new StartupException(
          "invalid data in file \"" + BackupLabel.FILE_NAME + "\"",
          "The backup label names where recovery of a base backup starts; take the backup again.");
    }
    return l;
  }

  boolean active() {
    return label.isPresent();
  }

  /** Notes a replayed record; the matching BACKUP_END makes the copy consistent. */
  void replayed(WalRecord r) {
    if (label.isEmpty() || reached || r.kind() != RecordKind.BACKUP_END) {
      return;
    }
    try {
      if (BackupEndRecord.decode(r.body()).backupStart().equals(label.get().startLsn())) {
        reached = true;
        log.info(
            "reached end of the base backup started at {}, at {}", label.get().startLsn(), r.end());
      }
    } catch (IllegalArgumentException e) {
      // another format: not our backup's end
    }
  }

  /** On a standby's recovery thread: as {@link #replayed}, then renames the label at once. */
  void replayedInStandby(WalRecord r) {
    replayed(r);
    if (reached && !renamed) {
      try {
        finish();
      } catch (StartupException e) {
        log.warn("{} ({})", e.getMessage(), e.hint());
      }
    }
  }

  /**
   * After replay to the end of WAL: refuses to open a backup whose WAL ends before its backup-end
   * record, naming the WAL file needed next.
   */
  void requireEndReached(Lsn endOfWal, WalSegmentFiles segments, TimelineId tli)
      throws StartupException {
    if (label.isEmpty() || reached) {
      return;
    }
    WalSegmentSize segSize = segments.segmentSize();
    long segNo = segSize.segmentOf(endOfWal);
    if (segments.exists(tli, segNo) && !segments.exists(tli, segNo + 1)) {
      // the WAL there ends in a record continued in the next segment, which is the one missing
      segNo++;
    }
    String seg = segSize.name(tli, segNo).fileName();
    throw new StartupException(
        "WAL ends before end of online backup: recovery of the base backup started at "
            + label.get().startLsn()
            + " needs WAL file \""
            + seg
            + "\" (WAL from "
            + endOfWal
            + " on), which is missing or ends before the backup's end record",
        "All WAL written while the backup was taken must be available at recovery: copy it into"
            + " pg_wal (pg_basebackup -X fetch or -X stream includes it), or provide it with"
            + " restore_command.");
  }

  /** Once consistent: backup_label → backup_label.old, durably (PostgreSQL does the same). */
  void finish() throws StartupException {
    if (label.isEmpty() || renamed) {
      return;
    }
    try {
      durable.durableRename(dir.backupLabel(), dir.root().resolve(BackupLabel.OLD_FILE_NAME));
      renamed = true;
    } catch (IOException e) {
      throw new StartupException(
          "could not rename file \""
              + dir.backupLabel()
              + "\" to \""
              + BackupLabel.OLD_FILE_NAME
              + "\": "
              + e.getMessage(),
          "Check that the data directory is writable.",
          e);
    }
  }
}
