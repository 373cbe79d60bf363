package org.walden.replication.syncrep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.SyncStandbyNames;
import org.walden.replication.WalSenderEntry;
import org.walden.replication.WalSenderRow;
import org.walden.replication.WalSenderState;
import org.walden.replication.WalSenderTable;
import org.walden.wal.Lsn;

/**
 * Synchronous replication for one node (PostgreSQL's {@code syncrep.c} plus the {@code lsn[]} and
 * queues of {@code WalSndCtl}): which walsenders are synchronous, how far the synchronous set has
 * confirmed, and the commits waiting for it.
 *
 * <p><b>Lifecycle.</b> Made by its {@link WalSenderTable}; {@link #configure} is called by the node
 * at start and after every reload with the parsed {@code synchronous_standby_names}. Lives as long
 * as the table.
 *
 * <p><b>Threads.</b> Committing sessions call {@link #await} (and block in it); walsender threads
 * call {@link #standbyReplied} on every StandbyStatusUpdate; unregistering walsenders and the
 * reloading thread call {@link #recompute}; the SQL layer calls {@link #describe} and {@link
 * #stats}. Waiting sessions are parked, one {@link Waiter} each, and unparked by whoever releases
 * them (a walsender, a reload) or by their session's cancel/terminate signal.
 *
 * <p><b>Shared state.</b> {@code config}, {@code released[]}, the three queues and the scratch
 * arrays are guarded by {@code lock} (PostgreSQL's {@code SyncRepLock}). {@code released[m]} only
 * moves forward. A waiter's {@code done} is set under the lock, read by its own thread without.
 *
 * <p><b>Invariant.</b> A commit waiting in mode m at LSN x returns RELEASED only once the
 * synchronous set (FIRST: the n highest-priority candidates; ANY: any n candidates) has reported m
 * ≥ x, or synchronous replication was switched off — never earlier.
 */
public final class SyncRep {
  private static final Logger log = LoggerFactory.getLogger(SyncRep.class);

  /** PostgreSQL's {@code SYNC_REP_WAIT_WRITE / FLUSH / APPLY}. */
  public enum WaitMode {
    WRITE,
    FLUSH,
    APPLY
  }

  /** How a wait ended. */
  public enum Outcome {
    /** The synchronous standbys confirmed the LSN, or synchronous replication is off. */
    RELEASED,
    /** The session was cancelled; the commit stays committed locally. */
    CANCELED,
    /** The session is being terminated (pg_terminate_backend, shutdown). */
    TERMINATED,
    /** {@code synchronous_commit_timeout} passed (Walden only). */
    TIMED_OUT
  }

  /** What a waiting session can be interrupted by; read by the waiting thread after each unpark. */
  public interface Interrupts {
    boolean cancelRequested();

    boolean terminateRequested();
  }

  /** Counters for {@code walden_stat_syncrep}. */
  public record Stats(
      int waiting, long waits, long released, long canceled, long terminated, long timedOut) {}

  private static final class Waiter implements Comparable<Waiter> {
    final long lsn;
    final Thread thread;
    volatile boolean done; // set under lock by the releaser

    Waiter(long lsn, Thread thread) {
      this.lsn = lsn;
      this.thread = thread;
    }

    @Override
    public int compareTo(Waiter o) {
      return Long.compareUnsigned(lsn, o.lsn);
    }
  }

  private final WalSenderTable table;
  private final ReentrantLock lock = new ReentrantLock();
  private SyncStandbyNames config = SyncStandbyNames.NONE; // guarded by lock
  private final long[] released = new long[3]; // guarded by lock
  private final List<PriorityQueue<Waiter>> queues =
      List.of(new PriorityQueue<>(), new PriorityQueue<>(), new PriorityQueue<>()); // by lock

  // scratch for recompute, guarded by lock: no allocation per standby reply
  private final WalSenderEntry[] entries;
  private final int[] candIndex;
  private final int[] candPriority;
  private final long[][] candPos; // [write|flush|apply][candidate]
  private final long[] sortBuf;
  private final long[] progress = new long[3];
  private final long[] synced = new long[3];

  private final LongAdder waits = new LongAdder();
  private final LongAdder releasedCount = new LongAdder();
  private final LongAdder canceled = new LongAdder();
  private final LongAdder terminated = new LongAdder();
  private final LongAdder timedOut = new LongAdder();

  public SyncRep(WalSenderTable table) {
    this.table = table;
    int max = Math.max(1, table.maxWalSenders());
    entries = new WalSenderEntry[max];
    candIndex = new int[max];
    candPriority = new int[max];
    candPos = new long[3][max];
    sortBuf = new long[max];
  }

  /**
   * Installs a new {@code synchronous_standby_names} (start, reload). Switching it off releases
   * every waiter (PostgreSQL's {@code SyncRepUpdateSyncStandbysDefined}); a new list is evaluated
   * at once, so waiters the new synchronous set has already confirmed return now rather than at
   * that standby's next reply.
   */
  public void configure(SyncStandbyNames names) {
    lock.lock();
    try {
      config = names;
      setVolatile();
      if (!names.isDefined()) {
        for (int m = 0; m < 3; m++) {
          wake(m, -1L); // everyone (unsigned max)
        }
        return;
      }
      recomputeLocked();
    } finally {
      lock.unlock();
    }
  }

  /** The configuration in force. */
  public SyncStandbyNames config() {
    lock.lock();
    try {
      return config;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether a commit asking for synchronous replication must wait at all (PostgreSQL's {@code
   * SyncStandbysDefined}, read without the lock as PostgreSQL's fast path does; {@link #await}
   * checks again under it).
   */
  public boolean isDefined() {
    return configVolatile;
  }

  private volatile boolean configVolatile; // mirror of config.isDefined(), written under lock

  /**
   * A standby status update was recorded in {@code entry}: if it is a synchronous candidate,
   * recompute the synchronous positions and release whom they cover (PostgreSQL's {@code
   * SyncRepReleaseWaiters}).
   */
  public void standbyReplied(WalSenderEntry entry) {
    if (!configVolatile) {
      return;
    }
    lock.lock();
    try {
      if (config.priorityOf(entry.identity().applicationName()) == 0) {
        return; // an asynchronous standby never releases anyone
      }
      recomputeLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Re-evaluates the synchronous set now (a walsender left, a reload). */
  public void recompute() {
    if (!configVolatile) {
      return;
    }
    lock.lock();
    try {
      recomputeLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the synchronous standbys confirmed {@code lsn} in {@code mode} (PostgreSQL's {@code
   * SyncRepWaitForLSN}), the session is cancelled or terminated, or {@code timeout} (zero = none)
   * passes. The caller must arrange that a cancel or terminate signal unparks this thread.
   */
  public Outcome await(Lsn lsn, WaitMode mode, Duration timeout, Interrupts interrupts) {
    int m = mode.ordinal();
    Waiter w;
    lock.lock();
    try {
      setVolatile();
      if (!config.isDefined() || Long.compareUnsigned(lsn.value(), released[m]) <= 0) {
        return Outcome.RELEASED;
      }
      w = new Waiter(lsn.value(), Thread.currentThread());
      queues.get(m).add(w);
    } finally {
      lock.unlock();
    }
    waits.increment();
    long deadline = timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
    while (true) {
      if (w.done) {
        releasedCount.increment();
        return Outcome.RELEASED;
      }
      // termination first, as PostgreSQL checks ProcDiePending before QueryCancelPending
      Outcome stop =
          interrupts.terminateRequested()
              ? Outcome.TERMINATED
              : interrupts.cancelRequested()
                  ? Outcome.CANCELED
                  : deadline != 0 && System.nanoTime() - deadline >= 0 ? Outcome.TIMED_OUT : null;
      if (stop != null) {
        if (!leave(m, w)) {
          releasedCount.increment();
          return Outcome.RELEASED; // released at the same moment: the standbys have it
        }
        switch (stop) {
          case TERMINATED -> terminated.increment();
          case CANCELED -> canceled.increment();
          case TIMED_OUT -> {
            timedOut.increment();
            log.warn(
                "commit {} not confirmed by the synchronous standbys within {} ms ({}); it is"
                    + " durable locally",
                lsn,
                timeout.toMillis(),
                mode);
          }
          case RELEASED -> throw new IllegalStateException();
        }
        return stop;
      }
      if (deadline == 0) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, deadline - System.nanoTime());
      }
    }
  }

  /** Takes {@code w} out of its queue; false if it was released meanwhile. */
  private boolean leave(int m, Waiter w) {
    lock.lock();
    try {
      if (w.done) {
        return false;
      }
      queues.get(m).remove(w);
      return true;
    } finally {
      lock.unlock();
    }
  }

  public Stats stats() {
    int n;
    lock.lock();
    try {
      n = queues.get(0).size() + queues.get(1).size() + queues.get(2).size();
    } finally {
      lock.unlock();
    }
    return new Stats(
        n, waits.sum(), releasedCount.sum(), canceled.sum(), terminated.sum(), timedOut.sum());
  }

  /** The released write, flush and apply positions (forward-only). */
  public Lsn released(WaitMode mode) {
    lock.lock();
    try {
      return Lsn.of(released[mode.ordinal()]);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The {@code pg_stat_replication} rows for {@code list} (in slot order) with {@code
   * sync_priority} and {@code sync_state} as PostgreSQL's {@code pg_stat_get_wal_senders} shows
   * them: 0/async when not a candidate; sync (FIRST) or quorum (ANY) for the chosen ones; potential
   * for the other candidates.
   */
  public List<WalSenderRow> describe(List<WalSenderEntry> list) {
    List<WalSenderRow> rows = new ArrayList<>(list.size());
    lock.lock();
    try {
      int n = list.size();
      int[] prio = new int[n];
      boolean[] chosen = new boolean[n];
      int cands = 0;
      for (int i = 0; i < n; i++) {
        prio[i] = candidatePriority(list.get(i), progress);
        if (prio[i] > 0) {
          candIndex[cands] = i;
          candPriority[cands] = prio[i];
          cands++;
        }
      }
      if (config.method() == SyncStandbyNames.Method.PRIORITY) {
        sortByPriority(cands);
        for (int k = 0; k < Math.min(cands, config.numSync()); k++) {
          chosen[candIndex[k]] = true;
        }
      } else {
        for (int k = 0; k < cands; k++) {
          chosen[candIndex[k]] = true;
        }
      }
      String syncName = config.method() == SyncStandbyNames.Method.PRIORITY ? "sync" : "quorum";
      for (int i = 0; i < n; i++) {
        String st = prio[i] == 0 ? "async" : chosen[i] ? syncName : "potential";
        rows.add(list.get(i).row(prio[i], st));
      }
    } finally {
      lock.unlock();
    }
    return rows;
  }

  // ------------------------------------------------------------------------------ internals

  /**
   * The walsender's priority if it is a synchronous candidate now (streaming or stopping, listed,
   * flush reported), else 0; its write/flush/apply land in {@code pos}.
   */
  private int candidatePriority(WalSenderEntry e, long[] pos) {
    WalSenderState st = e.readSyncProgress(pos);
    if (st != WalSenderState.STREAMING && st != WalSenderState.STOPPING) {
      return 0;
    }
    if (pos[1] == 0) {
      return 0; // never reported flush (pg_receivewal without --synchronous): never synchronous
    }
    return config.priorityOf(e.identity().applicationName());
  }

  /** PostgreSQL's SyncRepGetSyncRecPtr + the release loop; caller holds the lock. */
  private void recomputeLocked() {
    setVolatile();
    if (!config.isDefined()) {
      return;
    }
    int n = table.copyEntries(entries);
    int cands = 0;
    for (int i = 0; i < n; i++) {
      int p = candidatePriority(entries[i], progress);
      entries[i] = null; // do not keep a departed walsender reachable
      if (p > 0) {
        candIndex[cands] = i;
        candPriority[cands] = p;
        for (int m = 0; m < 3; m++) {
          candPos[m][cands] = progress[m];
        }
        cands++;
      }
    }
    int need = config.numSync();
    if (cands < need) {
      return; // not enough synchronous standbys: nobody is released
    }
    if (config.method() == SyncStandbyNames.Method.PRIORITY) {
      sortByPriority(cands);
      for (int m = 0; m < 3; m++) {
        long min = -1L;
        for (int k = 0; k < need; k++) {
          long v = candPos[m][k];
          if (Long.compareUnsigned(v, min) < 0) {
            min = v;
          }
        }
        synced[m] = min;
      }
    } else {
      for (int m = 0; m < 3; m++) {
        synced[m] = nthLargest(candPos[m], cands, need);
      }
    }
    for (int m = 0; m < 3; m++) {
      if (Long.compareUnsigned(synced[m], released[m]) > 0) {
        released[m] = synced[m];
        wake(m, synced[m]);
      }
    }
  }

  /** Sorts the first {@code n} candidates by (priority, slot), keeping positions aligned. */
  private void sortByPriority(int n) {
    for (int i = 1; i < n; i++) {
      for (int j = i; j > 0 && before(j, j - 1); j--) {
        swap(j, j - 1);
      }
    }
  }

  private boolean before(int a, int b) {
    return candPriority[a] < candPriority[b]
        || (candPriority[a] == candPriority[b] && candIndex[a] < candIndex[b]);
  }

  private void swap(int a, int b) {
    int t = candPriority[a];
    candPriority[a] = candPriority[b];
    candPriority[b] = t;
    t = candIndex[a];
    candIndex[a] = candIndex[b];
    candIndex[b] = t;
    for (int m = 0; m < 3; m++) {
      long v = candPos[m][a];
      candPos[m][a] = candPos[m][b];
      candPos[m][b] = v;
    }
  }

  /** The {@code nth} largest (1-based) of {@code v[0..n)} (PostgreSQL's quorum rule). */
  private long nthLargest(long[] v, int n, int nth) {
    System.arraycopy(v, 0, sortBuf, 0, n);
    for (int i = 1; i < n; i++) {
      long x = sortBuf[i];
      int j = i - 1;
      while (j >= 0 && Long.compareUnsigned(sortBuf[j], x) < 0) {
        sortBuf[j + 1] = sortBuf[j];
        j--;
      }
      sortBuf[j + 1] = x;
    }
    return sortBuf[nth - 1];
  }

  /** Releases the waiters of mode {@code m} at or below {@code upTo}; caller holds the lock. */
  private void wake(int m, long upTo) {
    PriorityQueue<Waiter> q = queues.get(m);
    Waiter w;
    while ((w = q.peek()) != null && Long.compareUnsigned(w.lsn, upTo) <= 0) {
      q.poll();
      w.done = true;
      LockSupport.unpark(w.thread);
    }
  }

  private void setVolatile() {
    configVolatile = config.isDefined();
  }
}
