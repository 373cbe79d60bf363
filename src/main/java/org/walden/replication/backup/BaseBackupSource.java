package org.walden.replication.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentFiles;

/**
 * What a base backup needs from its node (implemented by {@code node.Node} for a primary): the data
 * directory, a checkpoint whose snapshot stays on disk while it is copied, WAL retention, and the
 * backup-end record. Thread-safe: several backups may use it at once, each on its session thread.
 */
public interface BaseBackupSource {

  /** A checkpoint made for a backup: its record, redo point, and snapshot file under base/. */
  record Checkpoint(Lsn at, Lsn redo, String snapshotFile) {}

  Path dataDirectory();

  WalSegmentFiles segments();

  WalRetention retention();

  TimelineId timeline();

  Clock clock();

  /** True on a standby (backups of standbys are not supported yet). */
  boolean inRecovery();

  /** The last checkpoint's redo point (what WAL retention already keeps). */
  Lsn lastRedo();

  /** Keeps every checkpoint snapshot on disk until closed (see Checkpointer#holdSnapshots). */
  AutoCloseable holdSnapshots();

  /**
   * Runs a checkpoint that starts after this call and waits for it. {@code fast} = immediate;
   * otherwise the checkpointer's normal pace.
   */
  Checkpoint checkpoint(boolean fast) throws IOException, InterruptedException;

  /** Inserts and flushes a BACKUP_END record for {@code start}; returns the record's end. */
  Lsn writeBackupEnd(Lsn start) throws IOException, InterruptedException;

  /** The running backups, for pg_stat_progress_basebackup. */
  BackupProgressTable progress();
}
