/**
 * The walreceiver: the standby side of streaming replication, and its PostgreSQL-protocol
 * transport.
 *
 * <h2>Purpose</h2>
 *
 * When recovery on a standby has replayed everything it can find locally and in the archive, and
 * {@code primary_conninfo} is set, it starts the walreceiver to fetch more WAL from the primary.
 * The walreceiver connects as a physical replication client, asks for WAL from a start point on a
 * timeline, writes what arrives into this server's {@code pg_wal} at the same offsets the primary
 * has it, forces it, and tells recovery how far it may now replay. It never parses WAL: the bytes
 * are placed, not read (a PostgreSQL primary's WAL lands as faithfully as Walden's).
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link org.walden.replication.receiver.WalReceiverTransport}: PostgreSQL's four {@code
 *       walrcv_*} functions (connect, receive, send, disconnect). The default {@link
 *       org.walden.replication.receiver.PgWalReceiverTransport} speaks protocol v3 over TCP with
 *       its own small codec ({@link org.walden.replication.receiver.StreamCodec}, {@link
 *       org.walden.replication.receiver.ScramSha256Client}); the package may not use the server's
 *       {@code wire} classes.
 *   <li>{@link org.walden.replication.receiver.ConnInfo}: libpq's conninfo strings.
 *   <li>{@link org.walden.replication.receiver.WalReceiver}: the process itself.
 * </ul>
 *
 * <h2>Wiring (what the node provides)</h2>
 *
 * <pre>{@code
 * WalReceiver wr = new WalReceiver(
 *     () -> WalReceiverConfig.from(currentConfig()),        // re-read at each start
 *     walSegmentFiles,                                      // this server's pg_wal
 *     () -> new PgWalReceiverTransport(identity.systemId()),
 *     recovery::replayedUpto,                               // reported as "apply"
 *     hotStandby::oldestXmin,                               // Optional<Xid>, for "h"
 *     seg -> archiveStatus.markReady(seg),                  // archive_mode = always
 *     Clock.systemUTC());
 * wr.start(startPoint, timeline);      // recovery, when it wants streamed WAL
 * wr.flushedUpto().awaitAtLeast(target, timeout);  // fetch after each start
 * wr.status();                          // pg_stat_wal_receiver, and why a run ended
 * wr.stop();                            // promotion, shutdown
 * }</pre>
 *
 * <h2>Threads, and who starts and stops them</h2>
 *
 * One thread per streaming run, "walden-walreceiver". Recovery (through the node) calls {@link
 * org.walden.replication.receiver.WalReceiver#start} with the start point and timeline, and {@link
 * org.walden.replication.receiver.WalReceiver#stop} at promotion or shutdown; stop asks the loop to
 * end (seen within 100 ms), then breaks a blocked connect by closing the socket, and joins with a
 * bound. A run also ends by itself (below); the thread then exits and the state is {@code STOPPED}.
 * The walreceiver never reconnects on its own: as in PostgreSQL, the startup process decides
 * whether to retry streaming or read the archive (every {@code wal_retrieve_retry_interval}).
 *
 * <p>One send comes from another thread: when replay has applied everything flushed and goes back
 * to waiting, recovery's thread calls {@link
 * org.walden.replication.receiver.WalReceiver#forceReply} (PostgreSQL's {@code WalRcvForceReply}),
 * which sends a status update with the last reported write and flush and the new apply position,
 * under the run's send lock; the transport keeps each message's bytes together and drops a send
 * after its CopyDone. Without it the apply would reach the primary only with the next arrival or
 * status interval, and a {@code remote_apply} commit with no WAL after it would wait that long.
 *
 * <h2>Data flow</h2>
 *
 * <ol>
 *   <li>Connect, authenticate, IDENTIFY_SYSTEM (the system identifier must be ours; the primary's
 *       timeline must not be behind ours; the history files of its newer timelines that we lack are
 *       fetched with TIMELINE_HISTORY and stored through a {@link
 *       org.walden.replication.receiver.TimelineHistorySink}, and so is the next timeline's after
 *       an end of timeline), {@code START_REPLICATION [SLOT "s"] X/X TIMELINE n}. The start point
 *       is rounded down to its segment start, as PostgreSQL does, so a segment is never begun
 *       mid-way.
 *   <li>Each XLogData's bytes are written at {@code dataStart}'s offset in the segment of the
 *       streamed timeline; a segment is created zero-filled and durably ({@code
 *       WalSegmentFiles.ensureExists}) when the stream enters it. One message may cross a segment
 *       boundary.
 *   <li>When the stream has nothing more ready (or 16 MiB have been written), the open segment is
 *       forced and {@code flushedUpto} advanced. A segment whose last byte was written is forced,
 *       closed and reported to {@link org.walden.replication.receiver.SegmentCompleted} at once.
 *   <li>Standby status updates ({@code r}: write, flush, apply from recovery's supplier) go out
 *       after writing, after flushing, every {@code wal_receiver_status_interval}, and at once when
 *       a keepalive asks; with {@code hot_standby_feedback}, an {@code h} message every interval.
 * </ol>
 *
 * <h2>Shared state, and who writes it</h2>
 *
 * <ul>
 *   <li>{@code writtenUpto}, {@code flushedUpto}: {@link org.walden.wal.LsnWatermark}s written only
 *       by the walreceiver thread, read and waited on by recovery ("wake recovery as WAL arrives"),
 *       never moving back, not even across runs.
 *   <li>The status ({@link org.walden.replication.receiver.WalReceiverStatus}, for {@code
 *       pg_stat_wal_receiver}): fields written by the walreceiver thread and by start/stop under
 *       the walreceiver's monitor; {@code status()} copies them into an immutable record.
 *   <li>Everything else of a run (the open segment, what was last reported) is confined to the
 *       walreceiver thread.
 * </ul>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code flushedUpto <= writtenUpto}; every byte from the run's start to {@code flushedUpto}
 *       is on disk (its segment was forced before the watermark moved).
 *   <li>The flush position sent to the primary is never ahead of {@code flushedUpto} (it is the
 *       same value, sent after publishing): a primary that moves a slot's {@code restart_lsn} on it
 *       never removes WAL we lack.
 *   <li>{@code SegmentCompleted} is called only for a segment whose last byte is written and
 *       forced, after {@code flushedUpto} has passed its end.
 * </ul>
 *
 * <h2>Failure and shutdown</h2>
 *
 * A run ends when the primary ends the stream (CopyDone at the end of its timeline, or the command
 * ending as a primary shuts down: "replication terminated by primary server"), sends an error or
 * the connection breaks ("could not receive data from WAL stream: …"), connecting fails ("could not
 * connect to the primary server: …"), nothing arrives for {@code wal_receiver_timeout}
 * ("terminating walreceiver due to timeout"; a status update asking for a reply goes out at half
 * the timeout), a local write, force or callback fails, or stop is called. In every case the open
 * segment is forced and closed (not reported complete), the connection is closed, and the status
 * becomes {@code STOPPED} with an {@link
 * org.walden.replication.receiver.WalReceiverStatus.EndReason}. A failed force is not retried in
 * the same run (PostgreSQL would PANIC; the node decides).
 */
package org.walden.replication.receiver;
