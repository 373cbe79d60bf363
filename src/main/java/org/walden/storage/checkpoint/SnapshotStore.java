package org.walden.storage.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/**
 * What the checkpointer needs from the table store: a consistent point and a snapshot written at it
 * while writes go on (DESIGN §5).
 */
public interface SnapshotStore {

  /**
   * The snapshot position C (every transaction committed at or before it is in a snapshot taken at
   * C) and the redo point R = min(C, first WAL record of the oldest transaction still open at C).
   * The point holds back pruning of what a snapshot at C needs until it is closed.
   */
  Point checkpointPoint();

  /** Writes the state visible at the point to {@code file} durably (temp, force, rename). */
  void writeSnapshot(Point point, Path file) throws IOException;

  /** The next transaction id to assign, for the checkpoint record. */
  Xid nextXid();

  /** C and R of one checkpoint, and what keeps the versions visible at C until closed. */
  record Point(Lsn snapshotLsn, Lsn redo, AutoCloseable hold) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      hold.close();
    }
  }
}
