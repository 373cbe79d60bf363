package org.walden.storage.txn;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.walden.storage.SqlState;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.Catalog;
import org.walden.storage.index.IndexCursor;
import org.walden.storage.record.StorageRecords;
import org.walden.storage.table.RowVersion;
import org.walden.storage.table.Table;
import org.walden.storage.type.ByteSink;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.WalInserter;
import org.walden.wal.Xid;

/**
 * The in-memory store and its transactions: the versioned catalog, the visibility horizon, the
 * registered snapshots, the wait-for graph, xid assignment, the commit pipeline, vacuum and the
 * checkpoint point. One per server; lives from startup (fresh, or built from a snapshot file) to
 * shutdown. Has no threads of its own: sessions call in, the WAL flusher calls its flush listener,
 * and the checkpointer/vacuum caller calls {@link #vacuum()} and {@link #checkpointPoint()}.
 *
 * <p>In recovery (standby, or crash recovery before opening), writes fail with 25006 and redo
 * ({@code org.walden.storage.redo.Redo}) applies WAL through the {@code recovery*} methods while
 * read-only transactions run concurrently.
 */
public final class TransactionManager {

  /** Null during recovery (nothing is logged then); set once by {@link #attachWal}. */
  volatile WalInserter wal;

  final SnapshotRegistry snapshots;
  final VisibilityHorizon horizon;
  final WaitGraph waitGraph = new WaitGraph();

  /** Transactions that have logged a record and are not yet published or aborted. */
  final Set<Transaction> openWriters = ConcurrentHashMap.newKeySet();

  /** Serializes DDL transactions (held to their end). */
  final TableLock ddlLock = new TableLock();

  private final Clock clock;
  private final AtomicLong nextXid;

  /** Orders COMMIT record insertion with entry into the horizon's pending queue. */
  private final ReentrantLock commitLock = new ReentrantLock();

  private final ByteSink commitSink = new ByteSink(16); // guarded by commitLock
  private volatile Catalog latestCatalog;
  private volatile boolean inRecovery;

  /**
   * A store with the given catalog (empty, or loaded from a snapshot) whose contents are consistent
   * at {@code consistentAt}; new snapshots start there.
   */
  public TransactionManager(
      WalInserter wal, Catalog catalog, Lsn consistentAt, Xid nextXid, Clock clock) {
    this.wal = wal;
    this.clock = clock;
    this.latestCatalog = catalog;
    this.nextXid = new AtomicLong(Math.max(1, nextXid.value()));
    this.horizon = new VisibilityHorizon(consistentAt.value(), openWriters);
    this.snapshots = new SnapshotRegistry(horizon::get);
    if (wal != null) {
      wal.addFlushListener(flushed -> horizon.tryAdvance(flushed.value()));
    }
  }

  /**
   * Connects the store to the WAL once recovery has found where WAL ends (the writer can only be
   * opened then). Before this the store is read-only.
   */
  public void attachWal(WalInserter w) {
    if (this.wal != null) {
      throw new IllegalStateException("WAL already attached");
    }
    this.wal = w;
    w.addFlushListener(flushed -> horizon.tryAdvance(flushed.value()));
  }

  /** An empty store (initdb) consistent at {@code start}. */
  public static TransactionManager createEmpty(WalInserter wal, Lsn start) {
    return new TransactionManager(
        wal, Catalog.empty(start.value()), start, Xid.of(1), Clock.systemUTC());
  }

  /** Starts a transaction; {@code backendPid} names its session in deadlock reports. */
  public Transaction begin(IsolationLevel isolation, int backendPid) {
    return new Transaction(this, isolation, backendPid, PgTimestamp.of(clock.instant()));
  }

  /** The visibility horizon: new snapshots see every commit at or before it. */
  public Lsn visibilityHorizon() {
    return horizon.lsn();
  }

  public Catalog latestCatalog() {
    return latestCatalog;
  }

  /** The catalog version a snapshot at {@code snapshot} sees. */
  public Catalog catalogAt(long snapshot) {
    return latestCatalog.at(snapshot);
  }

  /** The next xid that will be assigned (for snapshot files). */
  public Xid nextXid() {
    return Xid.of(nextXid.get());
  }

  long assignXid() {
    return nextXid.getAndIncrement();
  }

  void checkWritable() {
    if (inRecovery) {
      throw new StorageException(
          SqlState.READ_ONLY_SQL_TRANSACTION,
          "cannot execute a write in a read-only transaction",
          null,
          "The server is in recovery (hot standby).");
    }
  }

  public boolean isInRecovery() {
    return inRecovery;
  }

  /** Enters or leaves recovery (standby / crash recovery: read-only, fed by redo). */
  public void setInRecovery(boolean recovery) {
    this.inRecovery = recovery;
  }

  long insertCommit(Transaction t, SynchronousCommit level) {
    commitLock.lock();
    try {
      StorageRecords.commit(commitSink, PgTimestamp.of(clock.instant()).micros());
      WalInserter.InsertedRecord rec;
      try {
        rec = wal.insert(RecordKind.COMMIT, t.xid(), commitSink.view());
      } catch (org.walden.wal.WalFailedException e) {
        horizon.fail();
        throw e;
      }
      t.commitEnd = rec.end().value();
      t.needsFlush = level.waitsForLocalFlush();
      horizon.enqueue(t);
      return t.commitEnd;
    } finally {
      commitLock.unlock();
    }
  }

  void waitForFlushUninterruptibly(Lsn upTo) {
    boolean interrupted = false;
    while (true) {
      try {
        wal.waitForFlush(upTo);
        break;
      } catch (InterruptedException e) {
        // the commit record is in the WAL: the commit cannot be cancelled any more
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  void installCatalog(Catalog.Builder b, long commitLsn) {
    latestCatalog = b.build(commitLsn, latestCatalog);
  }

  /**
   * The checkpoint point: C = the horizon, R = min(C, provisional first LSN of every transaction
   * still open at C), with a snapshot registered at C. Computed under the horizon's lock, so no
   * commit is published (and no writer leaves the open set) meanwhile. A writer missed by the scan
   * joined the set after the scan began, after C was read, so all its records lie after C's commit
   * record and replay from R ≤ C sees them.
   */
  public CheckpointPoint checkpointPoint() {
    synchronized (horizon) {
      SnapshotRegistry.Slot slot = snapshots.register();
      long c = slot.lsn;
      long r = c;
      for (Transaction t : openWriters) {
        if (!t.stamped || Long.compareUnsigned(t.commitEnd, c) > 0) {
          long f = t.firstLsn;
          if (f != 0 && Long.compareUnsigned(f, r) < 0) {
            r = f;
          }
        }
      }
      return new CheckpointPoint(Lsn.of(c), Lsn.of(r), slot, snapshots);
    }
  }

  /**
   * Removes what no snapshot can see any more: version chains are cut below the newest version the
   * oldest snapshot sees, keys whose head is a tombstone older than every snapshot are removed, and
   * old catalog versions are dropped. Safe to call from any thread at any time.
   */
  public long vacuum() {
    long oldest = snapshots.computeOldest();
    Catalog cat = latestCatalog;
    cat.trim(oldest);
    long removed = 0;
    for (Table t : cat.tables()) {
      IndexCursor<RowVersion> c = t.index().all();
      while (c.next()) {
        RowVersion h = c.value();
        long lsn = h.commitLsn();
        if (h.row == null && lsn != 0 && Long.compareUnsigned(lsn, oldest) <= 0) {
          if (t.index().remove(c.key(), h)) {
            removed++;
          }
        } else {
          h.trim(oldest);
        }
      }
    }
    return removed;
  }

  /**
   * The rows of {@code table} visible at {@code snapshot} (which the caller keeps registered, e.g.
   * through a {@link CheckpointPoint}), in key order, as no transaction sees them.
   */
  public RowCursor scanAt(Table table, Lsn snapshot) {
    return new RowCursor(table.index().all(), snapshot.value(), null);
  }

  /** A lower bound of all registered snapshots. */
  public Lsn oldestSnapshot() {
    return Lsn.of(snapshots.computeOldest());
  }

  // ---- recovery (redo) entry points: single applying thread ---------------------------------

  /** Redo: installs a catalog version for a replayed commit (before {@link #recoveryPublish}). */
  public void recoveryInstallCatalog(Catalog.Builder b, long commitLsn) {
    installCatalog(b, commitLsn);
  }

  /** Redo: makes a replayed commit visible (its versions are already stamped). */
  public void recoveryPublish(long commitLsn) {
    horizon.advanceTo(commitLsn);
  }

  /** Redo: xids seen in WAL are never assigned again. */
  public void recoveryNoteXid(long xid) {
    nextXid.accumulateAndGet(xid + 1, Math::max);
  }

  /** Redo: the oldest registered snapshot, for pruning as versions are pushed. */
  public long recoveryOldestSnapshot() {
    return snapshots.oldest();
  }
}
