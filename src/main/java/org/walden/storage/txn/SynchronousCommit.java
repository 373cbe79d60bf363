package org.walden.storage.txn;

/**
 * What a COMMIT waits for ({@code synchronous_commit}). OFF: nothing durable, only visibility.
 * LOCAL: the local WAL flush. ON, REMOTE_WRITE, REMOTE_APPLY: the local flush and then, in the
 * server layer, the synchronous standbys' write, flush or apply; without synchronous replication
 * they behave as LOCAL, as in PostgreSQL.
 */
public enum SynchronousCommit {
  OFF,
  LOCAL,
  REMOTE_WRITE,
  ON,
  REMOTE_APPLY;

  /** Does this level wait for the local WAL flush before the commit becomes visible? */
  public boolean waitsForLocalFlush() {
    return this != OFF;
  }

  /** Does this level wait for synchronous standbys (after the local commit)? */
  public boolean waitsForStandbys() {
    return this == ON || this == REMOTE_WRITE || this == REMOTE_APPLY;
  }
}
