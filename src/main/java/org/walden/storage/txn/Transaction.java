package org.walden.storage.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.walden.storage.SqlState;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.Catalog;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.Role;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.record.StorageRecords;
import org.walden.storage.table.RowVersion;
import org.walden.storage.table.Table;
import org.walden.storage.type.ByteSink;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.WalFailedException;
import org.walden.wal.Xid;

/**
 * One transaction: its snapshot, its writes (uncommitted row versions, which are also its row
 * locks), its table locks, its private catalog changes, and commit/rollback.
 *
 * <p>Lifecycle: {@link TransactionManager#begin} → reads and writes by the owning session → {@link
 * #commit} or {@link #rollback} (exactly once; after either, every call fails). A transaction gets
 * an xid and an end latch at its first write or lock, so only writers can be waited for. It ends
 * ({@link #isEnded()}) when it is published (commit) or fully undone (abort); waiters wake at that
 * moment and find the row stamped or unlinked.
 *
 * <p>Threads: all methods except {@link #isEnded}, {@link #awaitEnd}, {@link #xid} and {@link
 * #backendPid} are called by the owning session only. Fields read by other threads are volatile or
 * guarded as noted.
 *
 * <p>This file is over the usual length because the write paths (insert, update, delete, lock)
 * share one retry loop shape and one set of invariants; DDL lives in {@link TransactionDdl}.
 */
public final class Transaction {

  /** Life states; COMMITTED/ABORTED mean ended. */
  public enum State {
    ACTIVE,
    COMMITTING,
    COMMITTED,
    ABORTED
  }

  final TransactionManager mgr;
  private final IsolationLevel isolation;
  private final int backendPid;
  private final PgTimestamp startTime;

  private volatile State state = State.ACTIVE;
  private volatile long xid;

  /** Created with the xid, before any version or lock of ours is visible; counted down at end. */
  private volatile CountDownLatch endLatch;

  /** The transaction this one waits for; guarded by the {@link WaitGraph}. */
  Transaction waitingFor;

  private SnapshotRegistry.Slot slot;
  private long snapshot;
  private long lockTimeoutMillis;

  // commit pipeline: commitEnd and needsFlush are written before enqueue (under the horizon's
  // monitor), stamped is volatile; VisibilityHorizon reads them under its monitor
  long commitEnd;
  boolean needsFlush;
  volatile boolean stamped;

  /** Provisional LSN at or before our first WAL record; set before that record is inserted. */
  volatile long firstLsn;

  private boolean logged;

  /** (Table, key, RowVersion) triples in write order. */
  private Object[] writes = new Object[12];

  private int writeCount;
  private final ArrayList<TableLock> heldLocks = new ArrayList<>(2);
  final ByteSink sink = new ByteSink(128);

  // DDL state (owning session only)
  Catalog.Builder pendingCatalog;
  final List<Table[]> successions = new ArrayList<>();
  final List<Table> drops = new ArrayList<>();
  final List<Table> rewritten = new ArrayList<>();

  Transaction(
      TransactionManager mgr, IsolationLevel isolation, int backendPid, PgTimestamp startTime) {
    this.mgr = mgr;
    this.isolation = isolation;
    this.backendPid = backendPid;
    this.startTime = startTime;
    this.slot = mgr.snapshots.register();
    this.snapshot = slot.lsn;
  }

  // ---- identity and state -------------------------------------------------------------------

  public IsolationLevel isolation() {
    return isolation;
  }

  public int backendPid() {
    return backendPid;
  }

  /** The xid, or {@link Xid#INVALID} if this transaction has not written. */
  public Xid xid() {
    return Xid.of(xid);
  }

  /** The start time ({@code now()}, used for {@code DEFAULT now()}). */
  public PgTimestamp startTime() {
    return startTime;
  }

  public State state() {
    return state;
  }

  public boolean isEnded() {
    State s = state;
    return s == State.COMMITTED || s == State.ABORTED;
  }

  /** The current snapshot LSN. */
  public Lsn snapshot() {
    return Lsn.of(snapshot);
  }

  /** Bounded row/table lock waits ({@code lock_timeout}); 0 = wait forever. */
  public void setLockTimeoutMillis(long millis) {
    this.lockTimeoutMillis = millis;
  }

  long lockTimeoutMillis() {
    return lockTimeoutMillis;
  }

  void awaitEnd() throws InterruptedException {
    CountDownLatch l = endLatch;
    if (l != null) {
      l.await();
    }
  }

  boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    CountDownLatch l = endLatch;
    return l == null || l.await(timeout, unit);
  }

  private void awaitEndUninterruptibly() {
    boolean interrupted = false;
    while (true) {
      try {
        awaitEnd();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  void markEnded(State s) {
    state = s;
    CountDownLatch l = endLatch;
    if (l != null) {
      l.countDown();
    }
  }

  /** The WAL failed while we were pending: wake our committer; we are not published. */
  void wakeAfterWalFailure() {
    CountDownLatch l = endLatch;
    if (l != null) {
      l.countDown();
    }
  }

  private void requireActive() {
    if (state != State.ACTIVE) {
      throw new IllegalStateException("transaction is " + state);
    }
  }

  // ---- snapshots and reads ------------------------------------------------------------------

  /**
   * READ COMMITTED: takes a fresh snapshot for the next statement. REPEATABLE READ: no-op (the
   * first snapshot holds for the whole transaction).
   */
  public void newStatementSnapshot() {
    requireActive();
    if (isolation == IsolationLevel.READ_COMMITTED) {
      snapshot = mgr.snapshots.refresh(slot);
    }
  }

  /** The table named {@code name} as this transaction sees it (own DDL included), or null. */
  public Table table(String name) {
    return pendingCatalog != null
        ? pendingCatalog.table(name)
        : mgr.catalogAt(snapshot).table(name);
  }

  /** A role as this transaction sees it, or null. */
  public Role role(String name) {
    return pendingCatalog != null ? pendingCatalog.role(name) : mgr.catalogAt(snapshot).role(name);
  }

  /** The catalog this transaction's snapshot sees (without its own uncommitted DDL). */
  public Catalog catalog() {
    return mgr.catalogAt(snapshot);
  }

  static RowVersion visibleVersion(RowVersion v, long snapshot, Transaction reader) {
    while (v != null && !v.visibleTo(snapshot, reader)) {
      v = v.older();
    }
    return v;
  }

  /** The row under {@code key} visible to this transaction, or null. Never blocks. */
  public byte[] get(Table table, Object key) {
    requireActive();
    Object k = table.schema().normalizeKey(key);
    RowVersion v = visibleVersion(table.index().get(k), snapshot, this);
    return v == null ? null : v.row;
  }

  /** Visible rows with keys in the range (bounds optional: null = unbounded), ascending. */
  public RowCursor scan(
      Table table, Object from, boolean fromInclusive, Object to, boolean toInclusive) {
    requireActive();
    TableSchema s = table.schema();
    Object f = from == null ? null : s.normalizeKey(from);
    Object t = to == null ? null : s.normalizeKey(to);
    return new RowCursor(table.index().range(f, fromInclusive, t, toInclusive), snapshot, this);
  }

  /** All visible rows in key order. */
  public RowCursor scan(Table table) {
    return scan(table, null, true, null, true);
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * Inserts a row (values in column order, defaults already applied).
   *
   * @throws StorageException 23505 if a live row has the key (after waiting for an uncommitted
   *     writer of the same key to end), 23502 on a NULL in a NOT NULL column, 22001/22003 on bad
   *     values, 40P01 if the wait deadlocks
   */
  public void insert(Table table, Object[] values) {
    insertInternal(table, values, false);
  }

  /**
   * Inserts the row, or, if a live row has its key, locks that row and returns its image (the ON
   * CONFLICT primitive). Returns null when the row was inserted. REPEATABLE READ fails with 40001
   * if the conflicting row was committed after the snapshot.
   */
  public byte[] insertOrLock(Table table, Object[] values) {
    return insertInternal(table, values, true);
  }

  private byte[] insertInternal(Table table, Object[] values, boolean lockOnConflict) {
    requireActive();
    Table t = writable(table);
    TableSchema s = t.schema();
    byte[] row = s.encodeRow(values);
    Object key = s.hasPrimaryKey() ? s.keyOf(row) : Long.valueOf(t.allocateRowId());
    return insertRow(t, key, row, lockOnConflict);
  }

  private byte[] insertRow(Table t, Object key, byte[] row, boolean lockOnConflict) {
    while (true) {
      RowVersion h = settledHead(t, key);
      boolean mine = h != null && h.commitLsn() == 0;
      if (h != null && h.row != null) {
        if (!lockOnConflict) {
          throw new StorageException(
              SqlState.UNIQUE_VIOLATION,
              "duplicate key value violates unique constraint \""
                  + t.schema().primaryKeyName()
                  + "\"",
              t.schema().describeKey(key) + " already exists.");
        }
        if (mine) {
          return h.row;
        }
        if (isolation == IsolationLevel.REPEATABLE_READ && h.commitLsn() > snapshot) {
          throw serializationFailure();
        }
        RowVersion lock = new RowVersion(h.row, this, h);
        if (!place(t, key, h, lock)) {
          continue;
        }
        recordWrite(t, key, lock);
        return h.row;
      }
      RowVersion v = new RowVersion(row, this, h == null ? null : mine ? h.older() : h);
      if (!place(t, key, h, v)) {
        continue;
      }
      recordWrite(t, key, v);
      log(RecordKind.INSERT, StorageRecords.change(sink, t.schema(), key, row));
      if (h != null && !mine) {
        h.trim(mgr.snapshots.oldest());
      }
      return null;
    }
  }

  /**
   * Replaces the row under {@code key} with {@code newValues}. {@code basedOn} is the row image the
   * caller computed the new values from (as returned by {@link #get}/{@link #scan}; compared by
   * identity), or null to overwrite whatever is newest. See {@link WriteOutcome} for READ COMMITTED
   * re-checks; REPEATABLE READ fails with 40001 if the row changed after the snapshot. If the new
   * values change the primary key, the row moves (delete + insert, 23505 possible).
   */
  public WriteOutcome update(Table table, Object key, Object[] newValues, byte[] basedOn) {
    requireActive();
    Table t = writable(table);
    TableSchema s = t.schema();
    Object k = s.normalizeKey(key);
    byte[] row = s.encodeRow(newValues);
    if (s.hasPrimaryKey()) {
      Object newKey = s.keyOf(row);
      if (!newKey.equals(k)) {
        WriteOutcome o = modify(t, k, null, basedOn, RecordKind.DELETE);
        if (o.kind() != WriteOutcome.Kind.DONE) {
          return o;
        }
        insertRow(t, newKey, row, false);
        return WriteOutcome.DONE;
      }
    }
    return modify(t, k, row, basedOn, RecordKind.UPDATE);
  }

  /** Deletes the row under {@code key}; {@code basedOn} as for {@link #update}. */
  public WriteOutcome delete(Table table, Object key, byte[] basedOn) {
    requireActive();
    Table t = writable(table);
    return modify(t, t.schema().normalizeKey(key), null, basedOn, RecordKind.DELETE);
  }

  /**
   * Locks the row under {@code key} without changing it (SELECT … FOR UPDATE): other writers wait
   * until this transaction ends. {@code basedOn} as for {@link #update}.
   */
  public WriteOutcome lockRow(Table table, Object key, byte[] basedOn) {
    requireActive();
    Table t = writable(table);
    return modify(t, t.schema().normalizeKey(key), null, basedOn, null);
  }

  /** kind: UPDATE (newRow), DELETE (tombstone) or null (lock only). */
  private WriteOutcome modify(Table t, Object key, byte[] newRow, byte[] basedOn, RecordKind kind) {
    while (true) {
      RowVersion h = settledHead(t, key);
      if (h == null) {
        return WriteOutcome.NOT_FOUND;
      }
      boolean mine = h.commitLsn() == 0;
      if (!mine && isolation == IsolationLevel.REPEATABLE_READ && h.commitLsn() > snapshot) {
        throw serializationFailure();
      }
      if (h.row == null) {
        return WriteOutcome.NOT_FOUND;
      }
      if (basedOn != null && h.row != basedOn) {
        return WriteOutcome.changed(h.row);
      }
      if (mine && kind == null) {
        return WriteOutcome.DONE;
      }
      byte[] r = kind == null ? h.row : kind == RecordKind.DELETE ? null : newRow;
      // our own earlier version is collapsed away: nobody else can see it, and abort restores
      // the committed version below it
      RowVersion v = new RowVersion(r, this, mine ? h.older() : h);
      if (!place(t, key, h, v)) {
        continue;
      }
      recordWrite(t, key, v);
      if (kind != null) {
        log(kind, StorageRecords.change(sink, t.schema(), key, r));
      }
      if (!mine) {
        h.trim(mgr.snapshots.oldest());
      }
      return WriteOutcome.DONE;
    }
  }

  /**
   * The head of {@code key} once no other live transaction owns it: waits (through the wait-for
   * graph) for an uncommitted head's owner to end, then re-reads. Returns a committed head, our own
   * uncommitted head, or null.
   */
  private RowVersion settledHead(Table t, Object key) {
    while (true) {
      RowVersion h = t.index().get(key);
      if (h == null || h.commitLsn() != 0) {
        return h;
      }
      Transaction o = h.owner();
      if (o == this) {
        return h;
      }
      if (o == null) {
        continue; // stamped between our two reads: re-read
      }
      mgr.waitGraph.waitFor(this, o, lockTimeoutMillis);
    }
  }

  private static boolean place(Table t, Object key, RowVersion head, RowVersion v) {
    return head == null ? t.index().putIfAbsent(key, v) == null : t.index().replace(key, head, v);
  }

  private void recordWrite(Table t, Object key, RowVersion v) {
    if (writeCount + 3 > writes.length) {
      writes = java.util.Arrays.copyOf(writes, writes.length * 2);
    }
    writes[writeCount++] = t;
    writes[writeCount++] = key;
    writes[writeCount++] = v;
  }

  /** Resolves the generation to write, takes its share lock, assigns our xid. */
  Table writable(Table table) {
    mgr.checkWritable();
    ensureXid();
    Table t = table;
    if (pendingCatalog != null) {
      Table cur = pendingCatalog.table(t.oid());
      if (cur == null) {
        throw TransactionDdl.undefinedTable(t.name());
      }
      t = cur;
    }
    while (true) {
      TableLock lock = t.lock();
      if (!heldLocks.contains(lock)) {
        Transaction h;
        while ((h = lock.tryShare(this)) != null) {
          mgr.waitGraph.waitFor(this, h, lockTimeoutMillis);
        }
        heldLocks.add(lock);
      }
      if (t.isDropped()) {
        throw TransactionDdl.undefinedTable(t.name());
      }
      Table next = t.successor();
      if (next == null) {
        return t;
      }
      if (isolation == IsolationLevel.REPEATABLE_READ) {
        throw serializationFailure();
      }
      t = next;
    }
  }

  void holdLock(TableLock lock) {
    if (!heldLocks.contains(lock)) {
      heldLocks.add(lock);
    }
  }

  void ensureXid() {
    if (xid == 0) {
      endLatch = new CountDownLatch(1);
      xid = mgr.assignXid();
    }
  }

  /** Appends a WAL record for this transaction; registers the first-record LSN before the first. */
  void log(RecordKind kind, ByteSink body) {
    if (!logged) {
      // the provisional first LSN must be visible before the record exists (checkpointPoint race)
      firstLsn = mgr.wal.insertPosition().value();
      mgr.openWriters.add(this);
      logged = true;
    }
    try {
      mgr.wal.insert(kind, Xid.of(xid), body.view());
    } catch (WalFailedException e) {
      mgr.horizon.fail();
      throw e;
    }
  }

  static StorageException serializationFailure() {
    return new StorageException(
        SqlState.SERIALIZATION_FAILURE, "could not serialize access due to concurrent update");
  }

  // ---- DDL (see TransactionDdl) -------------------------------------------------------------

  /** CREATE TABLE; primary key columns become NOT NULL. 42P07 if the name is taken. */
  public Table createTable(String name, List<Column> columns, int[] primaryKey) {
    requireActive();
    return TransactionDdl.createTable(this, name, columns, primaryKey);
  }

  /** DROP TABLE (waits for the table's writers). 42P01 if absent. */
  public void dropTable(String name) {
    requireActive();
    TransactionDdl.dropTable(this, name);
  }

  /** TRUNCATE: a new, empty generation of the table. */
  public Table truncate(String name) {
    requireActive();
    return TransactionDdl.truncate(this, name);
  }

  /** ALTER TABLE ADD PRIMARY KEY (42P16 if it has one; 23505 on duplicates; 23502 on NULLs). */
  public Table addPrimaryKey(String table, String... columns) {
    requireActive();
    return TransactionDdl.addPrimaryKey(this, table, columns);
  }

  /** ALTER TABLE ADD COLUMN; existing rows get the default evaluated once (as PostgreSQL). */
  public Table addColumn(String table, Column column) {
    requireActive();
    return TransactionDdl.addColumn(this, table, column);
  }

  /** ALTER TABLE DROP COLUMN (not a primary key column). */
  public Table dropColumn(String table, String column) {
    requireActive();
    return TransactionDdl.dropColumn(this, table, column);
  }

  /** CREATE ROLE (42710 if it exists); returns the role with its OID. */
  public Role createRole(
      String name, boolean superuser, boolean login, boolean replication, String scramVerifier) {
    requireActive();
    return TransactionDdl.createRole(this, name, superuser, login, replication, scramVerifier);
  }

  /** ALTER ROLE: replaces the role's attributes and verifier (same name and OID). */
  public void alterRole(Role role) {
    requireActive();
    TransactionDdl.alterRole(this, role);
  }

  /** DROP ROLE (42704 if absent). */
  public void dropRole(String name) {
    requireActive();
    TransactionDdl.dropRole(this, name);
  }

  // ---- end ----------------------------------------------------------------------------------

  /**
   * Commits. Returns once the commit is visible to new snapshots (so this session's next
   * transaction reads its own writes) and, per {@code level}, locally durable. Waiting for
   * synchronous standbys is the server layer's, after this returns ({@link #commitLsn}). A
   * transaction that logged nothing writes no COMMIT record.
   *
   * @throws WalFailedException if the WAL failed; nothing is published after that
   */
  public void commit(SynchronousCommit level) {
    requireActive();
    if (!logged) {
      undoAll();
      finish(State.COMMITTED);
      return;
    }
    state = State.COMMITTING;
    long end = mgr.insertCommit(this, level);
    // stamp before publication: the horizon cannot pass `end` until `stamped` is set
    for (int i = writeCount - 3; i >= 0; i -= 3) {
      RowVersion v = (RowVersion) writes[i + 2];
      if (v.isLockOnly()) {
        unlink((Table) writes[i], writes[i + 1], v);
      } else if (v.commitLsn() == 0) {
        v.stamp(end);
      }
    }
    for (Table t : rewritten) {
      var c = t.index().all();
      while (c.next()) {
        RowVersion v = c.value();
        if (v.commitLsn() == 0 && v.owner() == this) {
          v.stamp(end);
        }
      }
    }
    if (pendingCatalog != null) {
      mgr.installCatalog(pendingCatalog, end);
      for (Table[] s : successions) {
        s[0].setSuccessor(s[1]);
      }
      for (Table d : drops) {
        d.markDropped();
      }
    }
    stamped = true;
    try {
      if (level.waitsForLocalFlush()) {
        mgr.waitForFlushUninterruptibly(Lsn.of(end));
      } else {
        mgr.wal.requestFlush(Lsn.of(end));
      }
    } catch (WalFailedException e) {
      mgr.horizon.fail();
      throw e;
    }
    mgr.horizon.tryAdvance(mgr.wal.flushedUpto().value());
    awaitEndUninterruptibly();
    if (state != State.COMMITTED) {
      // woken by VisibilityHorizon.fail(): never published, and the server must stop
      throw new WalFailedException(
          "WAL failed before commit " + Lsn.of(end) + " was published", null);
    }
    releaseResources();
    if (pendingCatalog != null) {
      // Drop catalog versions no snapshot can see: an ALTER TABLE or TRUNCATE leaves the old
      // table generation (all its rows) reachable from them until then. Without this, loading a
      // table and then adding its primary key (pgbench -i) kept two copies of the rows.
      mgr.latestCatalog().trim(mgr.snapshots.computeOldest());
    }
  }

  /** The commit LSN (end of the COMMIT record) once committed, else {@link Lsn#INVALID}. */
  public Lsn commitLsn() {
    return state == State.COMMITTED ? Lsn.of(commitEnd) : Lsn.INVALID;
  }

  /** Rolls back: undoes every write, writes ABORT if anything was logged. Idempotent. */
  public void rollback() {
    if (isEnded()) {
      return;
    }
    if (state == State.COMMITTING) {
      throw new IllegalStateException("rollback during commit");
    }
    WalFailedException failure = null;
    if (logged) {
      try {
        mgr.wal.insert(RecordKind.ABORT, Xid.of(xid), StorageRecords.abort(sink).view());
      } catch (WalFailedException e) {
        mgr.horizon.fail();
        failure = e;
      }
    }
    undoAll();
    finish(State.ABORTED);
    if (failure != null) {
      throw failure;
    }
  }

  private void undoAll() {
    for (int i = writeCount - 3; i >= 0; i -= 3) {
      unlink((Table) writes[i], writes[i + 1], (RowVersion) writes[i + 2]);
    }
  }

  /** Removes our version if it is still the head (a collapsed one no longer is). */
  private static void unlink(Table t, Object key, RowVersion v) {
    if (t.index().get(key) != v) {
      return;
    }
    RowVersion older = v.older();
    boolean done = older == null ? t.index().remove(key, v) : t.index().replace(key, v, older);
    if (!done) {
      throw new IllegalStateException("row lock lost on " + t + " key " + key);
    }
  }

  private void finish(State s) {
    mgr.openWriters.remove(this);
    markEnded(s);
    releaseResources();
  }

  private void releaseResources() {
    for (TableLock l : heldLocks) {
      l.release(this);
    }
    heldLocks.clear();
    mgr.snapshots.release(slot);
    slot = null;
    writes = null;
    writeCount = 0;
  }

  @Override
  public String toString() {
    return "Transaction[xid " + xid + ", " + state + ", snapshot " + Lsn.of(snapshot) + "]";
  }
}
