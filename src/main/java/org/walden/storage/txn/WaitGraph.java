package org.walden.storage.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.walden.storage.SqlState;
import org.walden.storage.StorageException;

/**
 * The wait-for graph and the one place transactions block on each other (row locks, table locks,
 * the DDL lock). Each waiting transaction waits for exactly one other, so the graph is a set of
 * chains and a deadlock is a cycle through the new edge. Adding an edge and checking for a cycle
 * happen under one global lock: of the transactions closing a cycle, exactly the last one to add
 * its edge sees it and fails with 40P01; the others keep waiting and proceed once it rolls back.
 *
 * <p>Waiting itself is on the holder's end latch (a condition, no polling), bounded by the optional
 * lock timeout (55P03). Thread-safe; {@code Transaction.waitingFor} is guarded by {@code this}.
 */
final class WaitGraph {

  /**
   * Blocks until {@code holder} ends. Returns at once if it already has.
   *
   * @throws StorageException 40P01 if waiting would close a cycle, 55P03 on lock timeout, 57014 if
   *     interrupted
   */
  void waitFor(Transaction waiter, Transaction holder, long lockTimeoutMillis) {
    synchronized (this) {
      if (holder.isEnded()) {
        return;
      }
      List<Transaction> chain = null;
      for (Transaction t = holder; t != null; t = t.waitingFor) {
        if (t == waiter) {
          chain = new ArrayList<>();
          for (Transaction u = waiter; ; u = u == waiter ? holder : u.waitingFor) {
            chain.add(u);
            if (u != waiter && u.waitingFor == waiter) {
              break;
            }
          }
          throw deadlock(chain);
        }
        if (t.isEnded()) {
          break;
        }
      }
      waiter.waitingFor = holder;
    }
    try {
      boolean ended;
      if (lockTimeoutMillis > 0) {
        ended = holder.awaitEnd(lockTimeoutMillis, TimeUnit.MILLISECONDS);
      } else {
        holder.awaitEnd();
        ended = true;
      }
      if (!ended) {
        throw new StorageException(
            SqlState.LOCK_NOT_AVAILABLE, "canceling statement due to lock timeout");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(
          SqlState.QUERY_CANCELED, "canceling statement due to user request");
    } finally {
      synchronized (this) {
        waiter.waitingFor = null;
      }
    }
  }

  private static StorageException deadlock(List<Transaction> cycle) {
    StringBuilder detail = new StringBuilder();
    for (int i = 0; i < cycle.size(); i++) {
      Transaction t = cycle.get(i);
      Transaction next = cycle.get((i + 1) % cycle.size());
      if (i > 0) {
        detail.append('\n');
      }
      detail
          .append("Process ")
          .append(t.backendPid())
          .append(" waits for ShareLock on transaction ")
          .append(next.xid())
          .append("; blocked by process ")
          .append(next.backendPid())
          .append('.');
    }
    return new StorageException(
        SqlState.DEADLOCK_DETECTED,
        "deadlock detected",
        detail.toString(),
        "See server log for query details.");
  }
}
