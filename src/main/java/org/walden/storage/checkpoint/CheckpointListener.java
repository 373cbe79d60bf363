package org.walden.storage.checkpoint;

import org.walden.wal.CheckpointRecord;
import org.walden.wal.Lsn;

/**
 * Told when a checkpoint is complete (its record is flushed), so the node can point the control
 * file at it before any older snapshot or WAL is removed. Called on the checkpointer thread; an
 * exception fails the checkpoint, and nothing older is removed.
 */
@FunctionalInterface
public interface CheckpointListener {
  void checkpointed(Lsn checkpointLsn, CheckpointRecord record, boolean shutdown) throws Exception;
}
