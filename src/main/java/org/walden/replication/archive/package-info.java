/**
 * WAL archiving: the archiver that copies completed WAL files out with {@code archive_command}, and
 * the restore side that fetches them back with {@code restore_command} (PostgreSQL's pgarch.c and
 * xlogarchive.c).
 *
 * <h2>Purpose</h2>
 *
 * Streaming keeps standbys close; the archive keeps everything, for point-in-time recovery, for a
 * standby that fell behind further than the primary's {@code pg_wal} reaches, and for starting a
 * standby from a base backup. A segment leaves {@code pg_wal} only after it is archived (when
 * archiving is on), so a failing archive command fills the disk rather than losing WAL — as in
 * PostgreSQL, the operator's alarm is the growing {@code pg_wal} and {@code pg_stat_archiver}.
 *
 * <h2>Threads, and who starts and stops them</h2>
 *
 * <ul>
 *   <li>The archiver ({@link org.walden.replication.archive.Archiver}, thread "walden-archiver")
 *       runs when {@code archive_mode = on} on a primary, or {@code always} on a primary or a
 *       standby ({@link org.walden.replication.archive.Archiver#shouldRun}). The node builds it,
 *       registers it as the "archiver" retention holder and (on a primary) the WAL writer's segment
 *       listener, then calls {@code start()} before the checkpointer starts; at shutdown it calls
 *       {@code stop()} after the shutdown checkpoint (archive what is ready, bounded), or {@code
 *       stopNow()} for an immediate shutdown.
 *   <li>{@link org.walden.replication.archive.RestoreCommand} runs on the caller's thread: the
 *       recovery source loop calls {@code restore(file, %r, standbyMode)} and acts on the sealed
 *       {@link org.walden.replication.archive.RestoreResult}.
 * </ul>
 *
 * <h2>Data flow</h2>
 *
 * <ol>
 *   <li>The WAL flusher completes a segment (filled, or ended by a SWITCH record) and forces it,
 *       then calls the segment listener, which adds the name to the archiver's {@code unarchived}
 *       set (from now on retention keeps it) and wakes the archiver.
 *   <li>The archiver durably creates {@code pg_wal/archive_status/NAME.ready} (XLogArchiveNotify).
 *       A crash before that is repaired at the next start: every complete segment with no status
 *       file gets one.
 *   <li>It takes the {@code .ready} files oldest first (history files before segments), runs {@code
 *       /bin/sh -c archive_command} in the data directory with {@code %p} = {@code pg_wal/NAME} and
 *       {@code %f} = {@code NAME}; exit 0 → durable rename to {@code NAME.done}, the set forgets
 *       it, and the next checkpoint may remove or recycle the segment (its status file goes with
 *       it).
 *   <li>On a standby, the walreceiver and {@link org.walden.replication.archive.RestoreCommand}
 *       mark the files they install {@code .done} ({@link
 *       org.walden.replication.archive.ArchiveStatusDir#markDone}). With {@code always} they are
 *       archived again from here: the walreceiver calls the archiver's {@code
 *       segmentCompleted(name)} for each segment it completes (the archiver holds it and creates
 *       its {@code .ready}); restore calls {@code noteReady(name)} (through {@code
 *       RestoreCommand.beforeReady}) and then creates the {@code .ready} itself.
 * </ol>
 *
 * <h2>Shared state and who writes it</h2>
 *
 * <ul>
 *   <li>{@code archive_status/*.ready|.done}: durable; written by the archiver, restore and the
 *       walreceiver ({@link org.walden.replication.archive.ArchiveStatusDir}), deleted with their
 *       segment by {@link org.walden.wal.WalSegmentFiles#removeOldSegments}.
 *   <li>The archiver's {@code unarchived} set (in memory, concurrent): added to by the segment
 *       listener and the start scan, removed from by the archiver thread; read by the checkpointer
 *       through {@link org.walden.wal.WalRetention}.
 *   <li>{@link org.walden.replication.archive.ArchiverStats}: written by the archiver thread, read
 *       by {@code pg_stat_archiver} as an immutable row.
 * </ul>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>WAL removal never takes a segment that is complete and not archived: the retention holder
 *       is the start of the oldest one, from the moment the flusher completes it.
 *   <li>A segment is given to {@code archive_command} only complete and forced; {@code .done} is
 *       written only after the command exited 0.
 *   <li>Files are archived in WAL order; a failing file blocks the ones after it (PostgreSQL does
 *       the same, so the archive never has a gap that a later file hides).
 *   <li>A file restored from the archive appears under its real name only whole and of the right
 *       size (restored under {@code RECOVERYXLOG}, checked, durably renamed).
 * </ul>
 *
 * <h2>Failure and shutdown</h2>
 *
 * A failing archive command is retried 3 times 1 s apart, then after 60 s or the next completed
 * segment; {@code .ready} and the segment stay, and {@code failed_count} grows. An unset {@code
 * archive_command} keeps the {@code .ready} files (one warning). Archive commands may be run twice
 * for one file (a crash between the command and the rename), so they must accept that — the docs'
 * {@code test ! -f} idiom fails, by design, on a second copy. At shutdown the archiver archives
 * what is ready and exits, bounded; an immediate shutdown kills the command in flight. A restore
 * command killed by a signal, a status above 125, or a wrong-sized segment is {@code Fatal}:
 * recovery stops rather than replaying something partial.
 */
package org.walden.replication.archive;
