/**
 * WAL replay: the redo loop that crash recovery runs to the end of WAL, and that a standby will run
 * record by record as WAL arrives (PostgreSQL's startup process).
 *
 * <h2>Data flow</h2>
 *
 * {@link org.walden.recovery.Replay} pulls records from a {@link org.walden.wal.WalReader} and
 * hands each to a {@link org.walden.recovery.RedoTarget} (the storage engine's redo, which buffers
 * a transaction until its commit record and then publishes it whole). Each {@code step} either
 * applies one record or reports where the available WAL ends, without advancing, so the caller can
 * wait for more WAL (a standby) or stop (crash recovery).
 *
 * <h2>Outcomes</h2>
 *
 * End of WAL and a torn tail end recovery normally: the WAL writer then overwrites from there. A
 * corrupt record with valid WAL after it, a segment missing while later ones exist, or a record
 * that cannot be applied stop recovery with a {@link org.walden.recovery.RecoveryException} that
 * names the position or file; nothing after the damage is discarded silently.
 *
 * <h2>Standby recovery</h2>
 *
 * {@link org.walden.recovery.StandbyRecovery} runs the redo loop for as long as the server is a
 * standby, choosing where WAL comes from as PostgreSQL's {@code WaitForWALToBecomeAvailable} does:
 * pg_wal first; at its end the archive ({@link org.walden.recovery.WalArchive}, i.e. {@code
 * restore_command}) for the segment replay needs; when the archive has nothing, the stream ({@link
 * org.walden.recovery.WalStream}, the walreceiver) from the start of that segment, reading pg_wal
 * only up to the walreceiver's flushed position and waiting on it for more; when the stream ends,
 * back to the archive and pg_wal, and the stream again no sooner than {@code
 * wal_retrieve_retry_interval} later. Replay always reads pg_wal: restored segments are renamed
 * into it and streamed bytes are written into it, so one reader serves all three sources and a
 * restart finds everything where it was.
 *
 * <h2>Timelines and promotion</h2>
 *
 * {@link org.walden.recovery.TimelineFollower} holds the history recovery follows ({@code
 * recovery_target_timeline}: latest, current or a number); the WAL reader's segment source asks it
 * which timeline's file holds each segment. When the stream ends (the primary ended our timeline)
 * and before each stream start, recovery rescans pg_wal for a newer history file (the walreceiver
 * fetches them with TIMELINE_HISTORY) and follows it, streaming it at once, unless it forked before
 * the replay position (refused and logged with PostgreSQL's message). A promotion request makes the
 * recovery thread stop the walreceiver, replay what it flushed, and hand the end of WAL to the
 * node's {@link org.walden.recovery.StandbyRecovery.PromotionHandler}; the thread then ends.
 *
 * <h2>Archive and point-in-time recovery</h2>
 *
 * {@link org.walden.recovery.ArchiveRecovery} ({@code recovery.signal}) runs the redo loop on the
 * starting thread over pg_wal and {@code restore_command}, no stream, until the {@link
 * org.walden.recovery.RecoveryTarget} ({@code recovery_target_lsn / _time / _name / _inclusive},
 * judged before and after each record as PostgreSQL's recoveryStopsBefore/After) says stop or the
 * archive has no next segment. {@link org.walden.recovery.RecoveryPause} is a standby's
 * pg_wal_replay_pause/resume state: sessions set it; the recovery thread waits on its condition
 * between records (the walreceiver is not paused).
 *
 * <h2>Threads</h2>
 *
 * Crash recovery runs on the thread that starts the node. A standby's recovery runs on its own
 * thread, "walden-startup", started and stopped by the node; it alone moves the replay position
 * ({@code replayedUpto}, an {@link org.walden.wal.LsnWatermark} others may wait on).
 */
package org.walden.recovery;
