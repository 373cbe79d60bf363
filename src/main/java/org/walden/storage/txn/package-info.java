/**
 * Transactions, snapshots, row and table locks, deadlock detection, the visibility horizon and the
 * checkpoint point.
 *
 * <h2>Lifecycle</h2>
 *
 * <p>{@link org.walden.storage.txn.TransactionManager#begin} registers a snapshot (READ COMMITTED:
 * refreshed by {@code newStatementSnapshot()}; REPEATABLE READ: fixed). The first write assigns an
 * xid and an end latch. {@code commit(level)} inserts COMMIT under the commit lock (which also
 * enqueues it in the horizon, keeping the queue in LSN order), stamps the versions, waits for the
 * local flush unless {@code synchronous_commit = off}, waits for the horizon to cover it (its end
 * latch), releases its locks and returns; the server layer then waits for synchronous standbys
 * ({@code org.walden.replication.syncrep}) with the commit's end LSN. {@code rollback()} writes
 * ABORT (if anything was logged) and unlinks its versions.
 *
 * <h2>Waiting</h2>
 *
 * <p>Row locks are uncommitted head versions (or lock-only copies); table locks ({@link
 * org.walden.storage.txn.TableLock}) separate writers (share) from DDL (exclusive); DDL also
 * serializes on one DDL lock. All waits go through {@link org.walden.storage.txn.WaitGraph}: one
 * edge per waiter, cycle check under one global lock (exactly one victim, 40P01), then a wait on
 * the holder's end latch. READ COMMITTED writers that waited get the newest row back ({@link
 * org.walden.storage.txn.WriteOutcome}) to re-check, REPEATABLE READ gets 40001.
 *
 * <h2>Shared state</h2>
 *
 * <ul>
 *   <li>{@link org.walden.storage.txn.VisibilityHorizon}: pending commits and the horizon, guarded
 *       by its monitor; advanced by committers and the WAL flusher's listener.
 *   <li>{@link org.walden.storage.txn.SnapshotRegistry}: registered snapshots; each slot written by
 *       its owner; the oldest is a cached lower bound.
 *   <li>Open writers (for the redo point R): a transaction enters before its first record with a
 *       provisional first LSN and leaves when published (under the horizon's monitor) or aborted.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * <p>WAL failure: the exception propagates to the session, the horizon freezes. Lock waits can end
 * in 40P01, 55P03 (lock timeout) or 57014 (interrupt). A commit cannot be cancelled once its record
 * is inserted: the flush and horizon waits are uninterruptible.
 */
package org.walden.storage.txn;
