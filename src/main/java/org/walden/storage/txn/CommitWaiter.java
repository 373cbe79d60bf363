package org.walden.storage.txn;

import org.walden.wal.Lsn;

/**
 * The hook synchronous replication plugs into: called by a committing session after its commit is
 * locally durable and visible, before COMMIT returns (PostgreSQL's {@code SyncRepWaitForLSN}, which
 * also runs after the local flush). The default waits for nothing.
 */
@FunctionalInterface
public interface CommitWaiter {

  CommitWaiter NONE = (lsn, level) -> {};

  /**
   * Blocks until the standbys required by {@code level} have confirmed {@code commitEnd}. An
   * interrupt means the client cancelled: the transaction is committed locally either way.
   */
  void awaitCommit(Lsn commitEnd, SynchronousCommit level) throws InterruptedException;
}
