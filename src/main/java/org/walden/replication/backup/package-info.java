/**
 * BASE_BACKUP (PostgreSQL's basebackup.c, backup_manifest.c): a tar stream of a running primary's
 * data directory with {@code backup_label} and a backup manifest, in PostgreSQL 15's message
 * sequence, so the real {@code pg_basebackup} and {@code pg_verifybackup} work against Walden.
 *
 * <h2>Why the copy is consistent</h2>
 *
 * A Walden data directory holds settings files, the control file, WAL, and checkpoint snapshots
 * ({@code base/snapshot.<C>}, written once, durably, never changed). A backup:
 *
 * <ol>
 *   <li>registers a {@link org.walden.wal.WalRetention} holder at the last redo point (so nothing
 *       it will need can be removed) and a snapshot hold with the checkpointer (so no later
 *       checkpoint deletes the snapshot it copies);
 *   <li>requests a checkpoint that starts after the request; its redo point R is the start LSN and
 *       the holder moves to R; the backup label names that checkpoint;
 *   <li>streams the directory: the label first, every directory before its contents, that
 *       checkpoint's snapshot only (other snapshots are left out), {@code pg_wal/} and {@code
 *       pg_replslot/} as empty directories, the control file last;
 *   <li>writes a BACKUP_END record carrying R and flushes it: the end LSN is just after it;
 *   <li>with WAL, appends the segments from R's to the end's, with {@code .done} status files.
 * </ol>
 *
 * A restored copy starts at the label's checkpoint (not the copied control file's, which may name a
 * later checkpoint whose snapshot is not in the copy), loads its snapshot and replays from R; it
 * refuses to open before replaying its BACKUP_END record ({@code node.BackupRecovery}).
 *
 * <h2>Threads and state</h2>
 *
 * A backup runs entirely on its replication session's thread ({@link BaseBackup#run}); the
 * walsender entry shows state {@code backup} meanwhile. Concurrent backups share only thread-safe
 * node parts (checkpointer requests, retention, WAL insert) and the {@link BackupProgressTable}
 * ({@code pg_stat_progress_basebackup}), each with its own holder name and progress entry, which
 * are removed on every exit path. A client that goes away or a server that shuts down ends the
 * backup with an IOException on the next write; nothing is left registered.
 *
 * <h2>Not done</h2>
 *
 * Backups from a standby, tablespaces other than the main directory (Walden has none), server-side
 * targets and compression (0A000), waiting for WAL archiving ({@code WAIT} is accepted and
 * ignored), data checksums (Walden's snapshot files carry their own CRC; VERIFY_CHECKSUMS is
 * accepted).
 */
package org.walden.replication.backup;
