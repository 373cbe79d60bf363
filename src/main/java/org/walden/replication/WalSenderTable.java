package org.walden.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.replication.syncrep.SyncRep;
import org.walden.wal.Lsn;

/**
 * The table of running walsenders (PostgreSQL's {@code WalSndCtl}): at most {@code max_wal_senders}
 * entries, the source of {@code pg_stat_replication}, and the shutdown handshake of the seed
 * README's "Walsender IPC".
 *
 * <p><b>Threads.</b> Session threads register and unregister their walsender; the SQL layer calls
 * {@link #snapshot}; the node's shutdown thread calls {@link #finishAll} after the shutdown
 * checkpoint has been flushed.
 *
 * <p><b>Shared state.</b> {@code entries} and {@code finishing}, guarded by {@code lock}; each
 * entry guards its own progress fields.
 */
public final class WalSenderTable {
  private static final Logger log = LoggerFactory.getLogger(WalSenderTable.class);

  /** SQLSTATE 53300, too_many_connections. */
  public static final String TOO_MANY_CONNECTIONS = "53300";

  private final int maxWalSenders;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<WalSenderEntry> entries = new ArrayList<>(); // guarded by lock
  private Lsn finishing; // guarded by lock; non-null once finishAll has begun
  private final SyncRep syncRep;

  public WalSenderTable(int maxWalSenders) {
    this.maxWalSenders = maxWalSenders;
    this.syncRep = new SyncRep(this);
  }

  /** Synchronous replication over this table's walsenders (waiting commits, release, states). */
  public SyncRep syncRep() {
    return syncRep;
  }

  /**
   * Copies the entries, in slot order, into {@code into} (at least {@link #maxWalSenders} long)
   * without allocating.
   *
   * @return how many were copied
   */
  public int copyEntries(WalSenderEntry[] into) {
    lock.lock();
    try {
      int n = 0;
      for (WalSenderEntry e : entries) {
        into[n++] = e;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  public int maxWalSenders() {
    return maxWalSenders;
  }

  /**
   * Takes a slot for a new walsender (state {@code startup}).
   *
   * @throws WalSenderException FATAL 53300 "number of requested standby connections exceeds
   *     max_wal_senders (currently N)" when all are taken; FATAL 57P03 during shutdown
   */
  public WalSenderEntry register(WalSenderEntry.Identity identity) throws WalSenderException {
    lock.lock();
    try {
      if (finishing != null) {
        throw WalSenderException.fatal("57P03", "the database system is shutting down");
      }
      if (entries.size() >= maxWalSenders) {
        throw WalSenderException.fatal(
            TOO_MANY_CONNECTIONS,
            "number of requested standby connections exceeds max_wal_senders (currently "
                + maxWalSenders
                + ")");
      }
      WalSenderEntry e = new WalSenderEntry(identity);
      entries.add(e);
      return e;
    } finally {
      lock.unlock();
    }
  }

  public void unregister(WalSenderEntry entry) {
    lock.lock();
    try {
      entries.remove(entry);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    syncRep.recompute(); // the candidates changed: another standby may now be synchronous
  }

  /** Walsenders connected now. */
  public int size() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  /** One immutable {@code pg_stat_replication} row per walsender, in slot order. */
  public List<WalSenderRow> snapshot() {
    List<WalSenderEntry> copy;
    lock.lock();
    try {
      copy = List.copyOf(entries);
    } finally {
      lock.unlock();
    }
    return syncRep.describe(copy);
  }

  /**
   * The last phase of a clean shutdown, called after the shutdown checkpoint is flushed: every
   * streaming walsender enters {@code stopping}, sends all WAL up to {@code finalFlush}, waits for
   * its standby to confirm it (flush, or write if flush is invalid), sends {@code COPY 0} and ends.
   * Walsenders that have not started streaming, and base backups (which give up when asked to stop,
   * as PostgreSQL's do), end when their connection is closed. New registrations are refused from
   * now on.
   *
   * @return true if every walsender ended within {@code timeout}
   */
  public boolean finishAll(Lsn finalFlush, Duration timeout) throws InterruptedException {
    List<WalSenderEntry> copy;
    lock.lock();
    try {
      finishing = finalFlush;
      copy = List.copyOf(entries);
    } finally {
      lock.unlock();
    }
    for (WalSenderEntry e : copy) {
      e.requestStop(finalFlush);
    }
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (entries.stream()
          .anyMatch(
              e -> e.state() != WalSenderState.STARTUP && e.state() != WalSenderState.BACKUP)) {
        if (nanos <= 0) {
          log.warn(
              "{} walsender(s) did not confirm WAL up to {} within {}",
              entries.size(),
              finalFlush,
              timeout);
          return false;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The shutdown target once {@link #finishAll} has begun, else null. */
  Lsn finishingAt() {
    lock.lock();
    try {
      return finishing;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes {@link #finishAll} (an entry changed state). */
  void stateChanged() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
