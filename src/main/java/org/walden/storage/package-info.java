/**
 * Walden's storage: in-memory MVCC tables, transactions, row locks, WAL logging of every change,
 * redo, and checkpoint snapshot files (DESIGN §5). Data must fit in memory.
 *
 * <h2>Model</h2>
 *
 * <p>A table ({@link org.walden.storage.table.Table}) maps primary keys to version chains through
 * an {@link org.walden.storage.index.OrderedIndex}. A version ({@link
 * org.walden.storage.table.RowVersion}) is a compact row ({@code byte[]}, {@link
 * org.walden.storage.type.RowCodec}; null = deleted) plus the end LSN of the commit that made it (0
 * while uncommitted), its writer while uncommitted, and the next older version. A snapshot is an
 * LSN S: a version is visible iff committed with commit LSN ≤ S, or written by the reader itself.
 * The catalog ({@link org.walden.storage.catalog.Catalog}) is versioned the same way, so DDL is
 * transactional and old snapshots keep reading dropped or truncated table generations.
 *
 * <h2>Threads</h2>
 *
 * <p>No threads of its own. Sessions run transactions ({@link
 * org.walden.storage.txn.TransactionManager#begin}); whoever flushes the WAL (the flusher thread or
 * a committer flushing for itself) calls the manager's flush listener, which publishes commits; the
 * checkpointer calls {@code checkpointPoint()} and {@link
 * org.walden.storage.snapshot.SnapshotWriter}; the VACUUM statement calls {@code vacuum()} (nothing
 * schedules it yet; DDL commits trim old catalog versions themselves); the startup/recovery thread
 * loads a snapshot ({@link org.walden.storage.snapshot.SnapshotReader}) and feeds WAL records to
 * {@link org.walden.storage.redo.Redo}, while hot-standby sessions read.
 *
 * <h2>Data flow</h2>
 *
 * <pre>
 *  session write ──► uncommitted head version (= row lock) ──► WAL record (INSERT/UPDATE/…)
 *  session COMMIT ─► [commit lock: insert COMMIT record, enqueue] ─► stamp versions (end LSN)
 *                 ─► flush wait (sync levels) ─► horizon passes it ─► commit() returns ─► server: syncrep wait
 *  redo ──────────► buffer per xid ─► at COMMIT: apply stamped versions, install catalog, move horizon
 *  checkpoint ────► C = horizon, R = min(C, first LSN of open writers) ─► snapshot file at C
 * </pre>
 *
 * <h2>Shared state and invariants</h2>
 *
 * <ul>
 *   <li>Visibility horizon ({@link org.walden.storage.txn.VisibilityHorizon}): advanced only over
 *       the LSN-ordered prefix of stamped (and, for synchronous commits, flushed) commits, so no
 *       snapshot ever sees part of a transaction, and nothing is published after a WAL failure.
 *   <li>Only the head of a chain can be uncommitted; another writer finding it waits for the
 *       owner's end in the wait-for graph (deadlocks → 40P01). Readers never wait or lock.
 *   <li>A chain is cut only below the newest version the oldest registered snapshot sees ({@link
 *       org.walden.storage.txn.SnapshotRegistry}: register, then read the horizon).
 *   <li>Every change is WAL-logged as it is made, before it can become visible; a transaction that
 *       logged nothing writes no COMMIT. Record bodies: {@link
 *       org.walden.storage.record.StorageRecords}.
 *   <li>A transaction registers a provisional first LSN before its first record, so the redo point
 *       R of a checkpoint never misses a transaction open at C.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * <p>Client errors are {@link org.walden.storage.StorageException}s with PostgreSQL SQLSTATEs; the
 * transaction stays open for the caller to roll back. A {@link org.walden.wal.WalFailedException}
 * propagates (the server stops) and freezes the horizon. Redo of a malformed record or of a change
 * to a missing table throws {@link org.walden.storage.redo.RedoException} naming the LSN. A bad
 * snapshot file loads as {@link org.walden.storage.snapshot.SnapshotLoad.Corrupt}.
 */
package org.walden.storage;
