package org.walden.storage.txn;

import java.util.ArrayDeque;
import java.util.Set;
import org.walden.wal.Lsn;

/**
 * The visibility horizon: the LSN up to which every commit is stamped and published. New snapshots
 * take it; a snapshot at S sees exactly the commits with commit LSN ≤ S.
 *
 * <p>Publish rule. A committing transaction inserts its COMMIT record and, in the same critical
 * section ({@link TransactionManager}'s commit lock), appends itself here, so {@code pending} is in
 * commit-LSN order and holds every commit whose record is in the WAL but not yet published. It then
 * stamps its versions and sets {@code stamped}. A pending commit is <em>published</em> when it is
 * stamped and, unless it is a {@code synchronous_commit = off} commit, the WAL is flushed past its
 * end. {@link #tryAdvance} pops the published prefix of {@code pending} and moves the horizon to
 * the last popped commit's end.
 *
 * <p>Why no reader sees half a transaction: all of a transaction's versions carry one stamp, its
 * commit end L, written before it is published. A snapshot S < L sees none of them; the horizon
 * reaches L only after they are all stamped, so a snapshot S ≥ L sees all of them.
 *
 * <p>Why the horizon never passes an unstamped commit: it only moves over a prefix of {@code
 * pending}, and a commit record cannot land below the horizon after the fact, because inserting the
 * record and entering {@code pending} happen under one lock, which {@link #tryAdvance} does not
 * need but which orders enqueues by LSN; a commit not yet enqueued has an LSN above every enqueued
 * one, and the horizon never exceeds the end of an enqueued (published) commit.
 *
 * <p>After a WAL failure ({@link #fail()}) nothing more is published: the server is stopping and an
 * unflushed commit must never become visible.
 *
 * <p>Thread-safe: {@code pending} and {@code failed} are guarded by {@code this}; {@code horizon}
 * is volatile and written under {@code this}.
 */
public final class VisibilityHorizon {

  private final ArrayDeque<Transaction> pending = new ArrayDeque<>();
  private final Set<Transaction> openWriters;
  private volatile long horizon;
  private boolean failed;

  VisibilityHorizon(long start, Set<Transaction> openWriters) {
    this.horizon = start;
    this.openWriters = openWriters;
  }

  public long get() {
    return horizon;
  }

  public Lsn lsn() {
    return Lsn.of(horizon);
  }

  /** Called under the commit lock right after the COMMIT record was inserted. */
  synchronized void enqueue(Transaction t) {
    pending.addLast(t);
  }

  /**
   * Publishes the stamped, flushed prefix of the pending commits. Called by committing sessions
   * after they stamp or after their flush wait, and by the WAL flusher's listener.
   */
  void tryAdvance(long flushedUpto) {
    synchronized (this) {
      if (failed) {
        return;
      }
      Transaction t;
      while ((t = pending.peekFirst()) != null
          && t.stamped
          && (!t.needsFlush || Long.compareUnsigned(flushedUpto, t.commitEnd) >= 0)) {
        pending.pollFirst();
        horizon = t.commitEnd;
        // removal from the open-writer set happens here, under this lock, so that checkpointPoint
        // (which also holds it) sees a transaction either still open or already inside C
        openWriters.remove(t);
        t.markEnded(Transaction.State.COMMITTED);
      }
    }
  }

  /** Redo: a replayed commit is published by the single applying thread. */
  synchronized void advanceTo(long lsn) {
    if (Long.compareUnsigned(lsn, horizon) > 0) {
      horizon = lsn;
    }
  }

  /**
   * The WAL failed: publish nothing more. Pending committers are woken (their latch released with
   * their state still COMMITTING) so they can report the failure instead of waiting forever.
   */
  synchronized void fail() {
    failed = true;
    Transaction t;
    while ((t = pending.pollFirst()) != null) {
      t.wakeAfterWalFailure();
    }
  }

  synchronized boolean isFailed() {
    return failed;
  }

  synchronized int pendingCount() {
    return pending.size();
  }
}
