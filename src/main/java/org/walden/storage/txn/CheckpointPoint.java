package org.walden.storage.txn;

import org.walden.wal.Lsn;

/**
 * Where a checkpoint stands: {@code consistentAt} (C, the visibility horizon: the snapshot file
 * holds exactly the commits with commit LSN at or before it) and {@code redo} (R = min(C, first
 * record of the oldest transaction still open at C): recovery replays from R). Holds a registered
 * snapshot at C so pruning keeps every version the snapshot writer needs; {@link #close()} it when
 * the file is written.
 */
public final class CheckpointPoint implements AutoCloseable {

  private final Lsn consistentAt;
  private final Lsn redo;
  private final SnapshotRegistry.Slot slot;
  private final SnapshotRegistry registry;

  CheckpointPoint(
      Lsn consistentAt, Lsn redo, SnapshotRegistry.Slot slot, SnapshotRegistry registry) {
    this.consistentAt = consistentAt;
    this.redo = redo;
    this.slot = slot;
    this.registry = registry;
  }

  public Lsn consistentAt() {
    return consistentAt;
  }

  public Lsn redo() {
    return redo;
  }

  @Override
  public void close() {
    registry.release(slot);
  }

  @Override
  public String toString() {
    return "CheckpointPoint[C=" + consistentAt + ", R=" + redo + "]";
  }
}
