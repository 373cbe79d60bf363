package org.walden.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import org.walden.replication.backup.BackupProgressTable;
import org.walden.replication.backup.BaseBackupSource;
import org.walden.storage.checkpoint.Checkpointer;
import org.walden.wal.BackupEndRecord;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.TimelineId;
import org.walden.wal.WalInserter;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalWriter;
import org.walden.wal.Xid;

/**
 * A primary node's side of BASE_BACKUP: its data directory, checkpointer, WAL writer and retention
 * rule. Made once by the node when it starts serving; thread-safe (every call goes to thread-safe
 * node parts), used concurrently by backups on their session threads.
 */
final class NodeBackupSource implements BaseBackupSource {

  private final DataDirectory dir;
  private final WalSegmentFiles segments;
  private final WalRetention retention;
  private final WalWriter wal;
  private final Checkpointer checkpointer;
  private final Clock clock;
  private final BackupProgressTable progress = new BackupProgressTable();

  NodeBackupSource(
      DataDirectory dir,
      WalSegmentFiles segments,
      WalRetention retention,
      WalWriter wal,
      Checkpointer checkpointer,
      Clock clock) {
    this.dir = dir;
    this.segments = segments;
    this.retention = retention;
    this.wal = wal;
    this.checkpointer = checkpointer;
    this.clock = clock;
  }

  @Override
  public Path dataDirectory() {
    return dir.root();
  }

  @Override
  public WalSegmentFiles segments() {
    return segments;
  }

  @Override
  public WalRetention retention() {
    return retention;
  }

  @Override
  public TimelineId timeline() {
    return wal.timeline();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public boolean inRecovery() {
    return false;
  }

  @Override
  public Lsn lastRedo() {
    return checkpointer.lastRedo();
  }

  @Override
  public AutoCloseable holdSnapshots() {
    return checkpointer.holdSnapshots();
  }

  /**
   * Walden's checkpoints are not paced (a snapshot is written as fast as the disk takes it), so
   * 'spread' and 'fast' both request one at once; a spread request differs from PostgreSQL's only
   * in not waiting for checkpoint_completion_target.
   */
  @Override
  public Checkpoint checkpoint(boolean fast) throws IOException, InterruptedException {
    try {
      Checkpointer.Completed c = checkpointer.requestCheckpointRecord().get();
      return new Checkpoint(c.at(), c.record().redo(), c.record().snapshotFile());
    } catch (ExecutionException e) {
      throw new IOException("checkpoint failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public Lsn writeBackupEnd(Lsn start) throws InterruptedException {
    WalInserter.InsertedRecord r =
        wal.insert(RecordKind.BACKUP_END, Xid.INVALID, new BackupEndRecord(start).encode());
    wal.waitForFlush(r.end());
    return r.end();
  }

  @Override
  public BackupProgressTable progress() {
    return progress;
  }
}
