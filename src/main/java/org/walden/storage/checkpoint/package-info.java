/**
 * The checkpointer: consistent table snapshots written while writes continue, the checkpoint
 * record, and the removal of what the new checkpoint makes unnecessary.
 *
 * <h2>Thread</h2>
 *
 * One thread, "walden-checkpointer", started by the node after recovery and stopped at shutdown
 * (after writing the shutdown checkpoint). Triggers: {@code checkpoint_timeout}, WAL volume since
 * the last redo point (max_wal_size / (1 + checkpoint_completion_target), from the WAL writer's
 * flush listener), explicit requests.
 *
 * <h2>Order and invariant</h2>
 *
 * Snapshot file (durable) → checkpoint record (flushed) → control file (durable) → removal of older
 * snapshots and of WAL before {@link org.walden.wal.WalRetention}'s limit. At every instant the
 * control file points at a checkpoint whose snapshot and WAL from its redo point exist, so a crash
 * at any step recovers.
 */
package org.walden.storage.checkpoint;
