/**
 * The write-ahead log: positions, the on-disk format of pages and records, the writer that gives
 * group commit, the reader that recovery and walsenders use, and the segment files in {@code
 * pg_wal}.
 *
 * <h2>Purpose</h2>
 *
 * Every change Walden makes is a WAL record before it is anything else. The log is a byte stream
 * addressed by {@link org.walden.wal.Lsn}, cut into segment files of {@code wal_segment_size} named
 * {@code TTTTTTTTXXXXXXXXYYYYYYYY} as PostgreSQL names them, and divided into 8 KiB pages whose
 * headers let a reader find record boundaries and tell fresh pages from stale ones. The format
 * ({@link org.walden.wal.WalFormat}) is Walden's own; the positions, file names and segment rules
 * are PostgreSQL's, so that walsenders can ship segment bytes verbatim and standbys write them at
 * the same offsets.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li>Session threads call {@link org.walden.wal.WalInserter#insert} (copy into the in-memory
 *       ring under a short lock) and {@link org.walden.wal.WalInserter#waitForFlush}.
 *   <li>Segment files are written under one write lock, by the flusher ("walden-walwriter",
 *       PostgreSQL's walwriter) or by a committer that finds no flush running and flushes for
 *       itself (as a PostgreSQL backend's XLogFlush). Whoever flushes writes the ring's pages up to
 *       everything inserted so far, forces them, publishes {@code flushedUpto}, and wakes every
 *       committer the flush covered (group commit). The flusher also flushes every {@code
 *       wal_writer_delay} for asynchronous commits.
 *   <li>Whoever flushes also reports each segment it completed (filled, or ended by a SWITCH
 *       record), once it is forced, to the {@link org.walden.wal.WalWriter.SegmentListener}s (the
 *       archiver), before waking the committers; listeners only note the name.
 *   <li>The preallocator ("walden-walprealloc") creates the next segment ahead of the flusher.
 *   <li>Both are started and stopped by {@link org.walden.wal.WalWriter}'s owner (the node).
 *   <li>Readers ({@link org.walden.wal.WalReader}) are single-threaded objects used by crash
 *       recovery and a standby's recovery thread (which sets a read limit at its walreceiver's
 *       flushed position); walsenders read segment bytes through {@link
 *       org.walden.wal.WalSegmentFiles} without parsing them. Both read segment files only, never
 *       the writer's ring, so a slow reader can never make a writer wait.
 *   <li>{@link org.walden.wal.LsnWatermark} is the forward-only position with waiting that links
 *       them: a flush listener keeps the walsenders' send limit at {@code flushedUpto}; a
 *       walreceiver publishes its flushed position and recovery its replayed one.
 * </ul>
 *
 * <h2>Timelines</h2>
 *
 * {@link org.walden.wal.TimelineHistory} is the value read from {@code %08X.history} (PostgreSQL's
 * format, {@code parentTLI\tswitchLSN\treason}); {@link org.walden.wal.TimelineHistoryFiles} reads
 * and durably writes those files; {@link org.walden.wal.WalSegmentSource#following} reads each
 * segment from the newest timeline of a history whose range covers it; {@link
 * org.walden.wal.TimelineSwitch} gives the segment holding a switch point its copy under the new
 * timeline's name (the old timeline's bytes before the switch point, zeros after), which is where a
 * promoted node's writer opens.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code flushedUpto <= writtenUpto <= insertedUpto}; each only moves forward.
 *   <li>A record is acknowledged (its commit returns) only once {@code flushedUpto} has passed its
 *       end.
 *   <li>A segment appears under its final name only complete (zero-filled or recycled, forced,
 *       durably renamed); the commit path never extends a file.
 *   <li>Every record's back-link names the previous record's start; a reader checks it, its length
 *       and its CRC32C; page headers carry their own address, the system identifier and the segment
 *       size.
 *   <li>WAL is removed only through {@link org.walden.wal.WalRetention}'s one rule.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * A failed WAL write or fsync makes the writer fail permanently ({@link
 * org.walden.wal.WalFailedException}); nothing is acknowledged after it and the node stops the
 * server. A reader never throws for bad WAL: it returns a {@link org.walden.wal.ReadResult} —
 * record, end of WAL, torn tail, corruption, or missing segment — and its caller decides.
 */
package org.walden.wal;
