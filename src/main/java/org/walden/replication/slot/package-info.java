/**
 * Physical replication slots (PostgreSQL's {@code slot.c}, the physical part): named, persistent or
 * temporary reservations of WAL that let a standby or {@code pg_receivewal} stop for as long as it
 * likes without losing its place, bounded by {@code max_slot_wal_keep_size}.
 *
 * <h2>Purpose and data flow</h2>
 *
 * A slot is made by CREATE_REPLICATION_SLOT or {@code pg_create_physical_replication_slot()},
 * optionally reserving WAL from the last checkpoint's redo point. START_REPLICATION SLOT makes the
 * connection the slot's one user; a slot that reserved nothing then holds WAL from the stream's
 * start. Every StandbyStatusUpdate with a non-zero flush moves {@code restartLsn} forward to that
 * flush (the walsender calls {@link org.walden.replication.slot.ReplicationSlots#confirmFlush});
 * hot standby feedback sets its {@code xmin}. {@link org.walden.replication.slot.SlotRetention}
 * turns the slots into a holder of the node's one {@link org.walden.wal.WalRetention} rule.
 *
 * <h2>Threads</h2>
 *
 * None of its own. Callers: replication session threads (commands, the walsender's replies), SQL
 * session threads (functions, {@code pg_replication_slots}), the checkpointer (in the WAL removal:
 * save, then invalidate), the node's start (restore) and shutdown (standby: save).
 *
 * <h2>Shared state and who writes it</h2>
 *
 * {@link org.walden.replication.slot.ReplicationSlots} owns the map and every slot's mutable
 * fields, under its one lock; a condition on it is signalled whenever a slot becomes inactive or is
 * dropped (DROP_REPLICATION_SLOT … WAIT waits there). Each slot's state file is written outside
 * that lock, serialized per slot.
 *
 * <h2>On disk</h2>
 *
 * {@code pg_replslot/<name>/state}: magic, version, length, CRC32C, then the slot's name,
 * restart_lsn, xmin and invalidated_at ({@link org.walden.replication.slot.SlotState}), replaced
 * only through {@link org.walden.fs.DurableFiles#atomicReplace}. Written at creation, at every WAL
 * removal (checkpoint) for slots that changed, at release, and at invalidation — not on every flush
 * report, as in PostgreSQL. Temporary slots are never written.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>restart_lsn only moves forward; it becomes "none" only when the slot is invalidated (lost),
 *       which is final: a lost slot refuses START_REPLICATION (55000).
 *   <li>WAL removal keeps the older of each slot's written and current restart_lsn, and writes the
 *       slots first, so a slot restored after a crash never points at removed WAL.
 *   <li>A reservation is taken while no removal runs ({@link
 *       org.walden.wal.WalRetention#whileNoRemoval}), so the removal that follows sees it.
 *   <li>At most {@code max_replication_slots} slots; a slot has at most one active pid.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * A corrupt or unreadable state file stops the start ({@link
 * org.walden.replication.slot.SlotStoreException}, naming the file and what to do); a directory
 * without a state file (creation or drop interrupted) is removed with a warning. A failed write at
 * creation undoes the creation; at a checkpoint it fails that checkpoint's WAL removal.
 *
 * <h2>Shutdown</h2>
 *
 * A primary's shutdown checkpoint writes the slots as part of its WAL removal; a standby writes
 * them when it stops. An immediate shutdown writes nothing (as a crash).
 */
package org.walden.replication.slot;
