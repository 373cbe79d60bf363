/**
 * The server as a whole: PostgreSQL's postmaster and startup process, for a primary and for a
 * standby, as objects.
 *
 * <h2>Purpose</h2>
 *
 * {@link org.walden.node.Node} composes the subsystems on one data directory and owns their
 * lifecycle; {@link org.walden.node.Startup} is crash recovery; {@link org.walden.node.Initializer}
 * is {@code walden init}; {@link org.walden.node.DataDirectory} is the layout and the checks made
 * before anything is touched. It is also the embedded API: a JVM application calls {@code
 * Node.start}, uses {@code transactions()}, and closes it.
 *
 * <h2>Lifecycle and threads</h2>
 *
 * <ol>
 *   <li>Validate the directory (exists, is Walden's, this format version, permissions 0700/0750).
 *   <li>Load settings ({@code walden.conf}, then {@code postgresql.auto.conf}, then {@code -c}).
 *   <li>Take the {@code postmaster.pid} lock (one server per directory; a crashed server's stale
 *       file is recognised and replaced).
 *   <li>Read the control file; read the checkpoint record it points at; load that checkpoint's
 *       table snapshot; replay WAL from the redo point to its end ({@link
 *       org.walden.recovery.Replay}); roll back transactions that never committed.
 *   <li>Open the WAL writer right after the last valid record (starting its flusher and
 *       preallocator threads), attach it to the store, mark the control file "in production", start
 *       the archiver (with {@code archive_mode}; before the checkpointer, so no unarchived segment
 *       is removed), the checkpointer, then the client listener ({@code
 *       org.walden.server.PgServer}: {@code listen_addresses}, {@code port}, {@code hba.conf},
 *       roles from the catalog) with the walsenders' services (their table, and a send limit kept
 *       at the WAL writer's flushed position by a flush listener) and {@link
 *       org.walden.node.NodeServerStatus} for the monitoring views and functions.
 *   <li>Shutdown (PostgreSQL's order, seed README "Walsender IPC"): the listener stops the sessions
 *       first (smart waits for clients to leave, fast and immediate close their connections,
 *       rolling back open transactions) but keeps walsender connections; smart and fast then write
 *       the shutdown checkpoint, let every walsender send up to its end and see it flushed by its
 *       standby (bounded by {@code wal_sender_timeout}), end them with {@code COPY 0}, close the
 *       WAL and let the archiver archive what is ready (bounded); the control file says "shut
 *       down". Immediate stops without a checkpoint (the next start replays the WAL). A failed WAL
 *       write or fsync stops the node immediately with exit code 2.
 * </ol>
 *
 * <h2>Starting from a base backup</h2>
 *
 * With {@code backup_label} in the directory ({@link org.walden.node.BackupRecovery}), recovery
 * starts at the label's checkpoint (the control file is first pointed at it), must replay the
 * BACKUP_END record carrying the label's start point before the server opens, and refuses to start,
 * naming the WAL file it needs, when the WAL ends earlier; then the label is durably renamed {@code
 * backup_label.old}. With {@code standby.signal} too, the standby path below honours the label the
 * same way and renames it on the recovery thread. A primary serves BASE_BACKUP through {@code
 * NodeBackupSource} (checkpointer, WAL writer, retention).
 *
 * <h2>Standby mode</h2>
 *
 * With {@code standby.signal} in the directory (made by {@link org.walden.node.StandbyClone}, i.e.
 * {@code walden clone}), steps 4–5 differ: after the checkpoint snapshot is loaded (a consistent
 * state), no WAL writer and no checkpointer are started; {@link org.walden.node.Standby} starts the
 * recovery thread ("walden-startup", {@link org.walden.recovery.StandbyRecovery}), which replays
 * pg_wal from the redo point and then gets more WAL from the archive ({@code restore_command}) and
 * the stream (the walreceiver, {@code primary_conninfo}), falling back and retrying as PostgreSQL
 * does; the listener accepts read-only sessions at once (hot standby: writes fail with 25006) and
 * replication connections (a standby's walsenders send what it has replayed, and end the old
 * timeline when the standby follows a new one: cascading). With {@code archive_mode = always} the
 * standby runs its own archiver over the segments its walreceiver completes and restore fetches;
 * otherwise those are marked done at once. A reload that changes {@code primary_conninfo} or {@code
 * primary_slot_name} restarts the walreceiver. Shutdown stops the sessions, then recovery and the
 * walreceiver, and marks the control file "shut down in recovery"; the next start replays the
 * standby's own pg_wal again from the same redo point (a standby writes no restartpoints yet, so it
 * keeps all its WAL) and streams on from where its WAL ends. A fatal recovery error (a damaged
 * record, a restore_command killed by a signal) stops the node with exit code 1.
 *
 * <h2>Promotion</h2>
 *
 * {@code pg_promote()}, {@code walden promote} (the {@code promote} file, watched by {@link
 * org.walden.node.PromoteSignal}'s thread "walden-promote-signal" with a {@code WatchService}) or
 * {@code promote_trigger_file} ask the recovery thread to end recovery: it stops the walreceiver at
 * once, replays what was flushed, and runs {@link org.walden.node.Promotion} on that thread: new
 * timeline = highest known in pg_wal and the archive + 1, its history file written durably (and
 * marked ready for the archiver), the segment of the switch point renamed to the new timeline's
 * name, a WAL writer opened there; then {@code Node.installPrimary} inserts the end-of-recovery
 * record (the first commit's flush covers it), makes the walsenders' send limit follow the writer,
 * lets the store accept writes, removes {@code standby.signal} durably (a crash before that
 * restarts the node as a standby on the new timeline, nothing lost), marks the control file in
 * production, and then starts the archiver, the checkpointer (its next timed or WAL-volume
 * checkpoint moves the control file to the new timeline; none is forced) and the segment
 * preallocation. The node's {@code wal}, {@code checkpointer} and {@code standby} references are
 * volatile for this one transition (written on the recovery thread, read by sessions, walsenders
 * and shutdown). Until the first checkpoint the control file still names the old timeline's
 * checkpoint: crash recovery and standby start follow the newest timeline in pg_wal that descends
 * from it.
 *
 * <h2>Shared state</h2>
 *
 * The control file's in-memory copy is guarded by the node's monitor and written by the
 * checkpointer's listener and by the lifecycle transitions; the settings snapshot is a volatile
 * reference replaced by {@code reload()}.
 *
 * <h2>Invariants</h2>
 *
 * Nothing is appended to the WAL before replay has reached its end; the control file always points
 * at a checkpoint whose record, snapshot and WAL from its redo point exist; a failed start changes
 * nothing that acknowledged data depends on.
 */
package org.walden.node;
