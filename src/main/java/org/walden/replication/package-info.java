/**
 * The primary side of streaming replication: walsenders (PostgreSQL's {@code walsender.c}), their
 * shared table (WalSndCtl) and lag tracking.
 *
 * <h2>Purpose</h2>
 *
 * A standby (or {@code pg_receivewal}, {@code pg_basebackup -X stream}) connects with {@code
 * replication=true} and runs replication commands ({@link org.walden.replication.command}); {@code
 * START_REPLICATION} turns the connection into a CopyBoth stream over which the walsender sends WAL
 * as XLogData ({@code w}) and PrimaryKeepalive ({@code k}) messages and receives
 * StandbyStatusUpdate ({@code r}) and hot standby feedback ({@code h}). The wire framing stays in
 * {@code wire}; this package sees the connection only as a {@link
 * org.walden.replication.WalSenderChannel} and never imports {@code wire}, {@code sql} or {@code
 * recovery}.
 *
 * <h2>Threads, and who starts and stops them</h2>
 *
 * <ul>
 *   <li>The session thread of each replication connection (started by the listener) runs the
 *       command loop ({@code org.walden.server.ReplicationSession}) and, during START_REPLICATION,
 *       the {@link org.walden.replication.WalSender} loop.
 *   <li>For each stream the walsender starts two virtual threads and joins them before it returns:
 *       the client reader (the only reader of the connection during the copy; hands CopyData over
 *       through a bounded queue, so nothing is lost and a flooding client is slowed, not dropped)
 *       and the flush watcher (waits on the flush watermark). Both set the walsender's latch; the
 *       walsender sleeps on the latch with a timeout equal to the next keepalive or timeout
 *       deadline, so it waits for "new WAL, a client message, a stop request, or a timer" at once
 *       and never polls.
 *   <li>The node's shutdown thread calls {@link org.walden.replication.WalSenderTable#finishAll}.
 * </ul>
 *
 * <h2>Data flow</h2>
 *
 * The WAL writer flushes and calls its flush listeners; the node's listener advances the {@link
 * org.walden.wal.LsnWatermark} in {@link org.walden.replication.WalSenderServices#flushed}. Each
 * walsender reads the new bytes from the segment files in {@code pg_wal} (never from the writer's
 * memory), from its {@code sentPtr} up to that send limit, in chunks of at most 128 KiB (8 KiB
 * aligned while catching up), and writes them to its socket. A slow or stalled standby therefore
 * only ever blocks its own walsender; no writer waits for it, and a committer only when it asked
 * for synchronous replication and the standby is synchronous. Replies update the walsender's {@link
 * org.walden.replication.WalSenderEntry} and its {@link org.walden.replication.LagTracker}, then go
 * to the table's {@link org.walden.replication.syncrep.SyncRep} (on the walsender's thread), which
 * releases the commits the synchronous standbys now cover; {@code pg_stat_replication}'s {@code
 * sync_priority} and {@code sync_state} are computed by it too. With START_REPLICATION SLOT a reply
 * also moves the slot's {@code restart_lsn} to the reported flush and sets its {@code xmin} ({@link
 * org.walden.replication.slot}). The session acquires the slot before the stream and releases it
 * after; a slot invalidated by {@code max_slot_wal_keep_size} while streamed wakes its walsender,
 * which ends the connection (FATAL 57P01), as PostgreSQL's checkpointer terminates it.
 *
 * <h2>Shared state and who writes it</h2>
 *
 * <ul>
 *   <li>{@link org.walden.replication.WalSenderTable}: the entries (register/unregister by session
 *       threads) and the shutdown target (the shutdown thread), under the table's lock.
 *   <li>{@link org.walden.replication.WalSenderEntry}: progress fields written by the owning
 *       walsender, read by {@code pg_stat_replication} snapshots and by shutdown, under the entry's
 *       mutex; the stop request is written by shutdown.
 *   <li>The flush watermark: written only by the WAL writer's flush listener.
 *   <li>The node's {@link org.walden.replication.slot.ReplicationSlots} (in {@link
 *       org.walden.replication.WalSenderServices#slots}): see that package.
 * </ul>
 *
 * <h2>Timelines</h2>
 *
 * A walsender streams one timeline. For an ancestor of the server's current timeline it stops at
 * the switch point, sends CopyDone, waits for the client's, and returns {@code END_OF_TIMELINE};
 * the session then sends the {@code next_tli}/{@code next_tli_startpos} result set. A walsender on
 * the current timeline of a standby that moves to a new one (it followed a promotion, or was
 * promoted) notices the change and ends the old timeline the same way. Segment files are opened
 * under the timeline the server's history says holds them (the segment of a switch point from the
 * child's copy only when the streamed timeline's own file is missing).
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>A walsender sends contiguous bytes from the requested start and never beyond the flush
 *       position: a standby never holds WAL the primary could lose in a crash.
 *   <li>Bytes are sent only if their segment still existed under its name after they were read
 *       (recycling renames a segment before it is overwritten); otherwise 58P01.
 *   <li>At most {@code max_wal_senders} walsenders run; they do not take {@code max_connections}
 *       slots (PostgreSQL 12 and later).
 * </ul>
 *
 * <h2>Failure and shutdown</h2>
 *
 * A start ahead of the flush position (XX000) or a removed first segment (58P01) is an ERROR after
 * CopyBothResponse, and the connection stays usable. An error later in the stream is reported and
 * the connection closed (the reader thread still owns its input). An unknown CopyData sub-type is
 * FATAL 08P01. A client silent for {@code wal_sender_timeout} gets one keepalive with
 * replyRequested at half of it and is dropped at the full timeout ("terminating walsender process
 * due to replication timeout").
 *
 * <p>Shutdown follows the seed README's "Walsender IPC": a fast or smart shutdown first closes the
 * normal client sessions but leaves replication connections open; after the shutdown checkpoint is
 * flushed the node calls {@link org.walden.replication.WalSenderTable#finishAll}, each streaming
 * walsender enters {@code stopping}, sends everything up to that final flush position, asks for a
 * reply until the standby reports flush (or write, if flush is 0/0) at or past it, sends
 * CommandComplete {@code COPY 0} without CopyDone, and the connection closes. The wait is bounded
 * ({@code wal_sender_timeout}); then the node closes all remaining connections.
 *
 * <p>Known limit: writes are blocking, so a walsender blocked in a write to a standby that stopped
 * reading checks neither its timeout nor a stop request until the write returns; the node's final
 * listener close ends it.
 */
package org.walden.replication;
