package org.walden.storage.checkpoint;

import java.time.Duration;

/**
 * The settings a checkpointer reads each cycle (reloadable): {@code checkpoint_timeout}, {@code
 * max_wal_size}, {@code min_wal_size}, {@code checkpoint_completion_target}.
 */
public record CheckpointSettings(
    Duration timeout, long maxWalBytes, long minWalBytes, double completionTarget) {

  /**
   * WAL written since the last redo point that triggers a checkpoint: PostgreSQL's {@code
   * CheckPointSegments}, max_wal_size / (1 + checkpoint_completion_target), so that WAL stays under
   * max_wal_size while a checkpoint spreads over the next cycle.
   */
  public long walTrigger() {
    return (long) (maxWalBytes / (1.0 + completionTarget));
  }
}
