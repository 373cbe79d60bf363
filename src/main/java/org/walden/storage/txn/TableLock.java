package org.walden.storage.txn;

import java.util.ArrayList;

/**
 * A table-level lock with two modes: <em>share</em>, held by every transaction that writes rows of
 * the table (PostgreSQL's ROW EXCLUSIVE), and <em>exclusive</em>, held by a transaction that drops,
 * truncates or alters it (ACCESS EXCLUSIVE, except that readers never take it: they keep reading
 * the generation their snapshot sees). Both are held until the holder ends. Waiting is done by the
 * caller on one holder at a time through the {@link WaitGraph}, so deadlocks between DDL and
 * writers are detected like row-lock deadlocks.
 *
 * <p>A holder that has ended counts as gone even before it releases, so a waiter woken by the
 * holder's end never waits on it again. Guarded by {@code this}.
 */
public final class TableLock {

  private Transaction exclusive;
  private final ArrayList<Transaction> sharers = new ArrayList<>(4);

  /** Takes a share lock, or returns the exclusive holder to wait for. */
  synchronized Transaction tryShare(Transaction t) {
    if (exclusive != null && exclusive != t) {
      if (!exclusive.isEnded()) {
        return exclusive;
      }
      exclusive = null;
    }
    sharers.add(t);
    return null;
  }

  /**
   * Takes (or keeps trying for) the exclusive lock: claims it at once so new sharers queue behind
   * it, then returns a remaining sharer to wait for, or null when the lock is held alone.
   */
  synchronized Transaction tryExclusive(Transaction t) {
    if (exclusive != null && exclusive != t) {
      if (!exclusive.isEnded()) {
        return exclusive;
      }
      exclusive = null;
    }
    exclusive = t;
    sharers.removeIf(Transaction::isEnded);
    for (Transaction s : sharers) {
      if (s != t) {
        return s;
      }
    }
    return null;
  }

  /** For a table created by {@code t}: exclusively its until it ends. */
  synchronized void setCreator(Transaction t) {
    exclusive = t;
  }

  synchronized void release(Transaction t) {
    sharers.remove(t);
    if (exclusive == t) {
      exclusive = null;
    }
  }
}
