/**
 * Synchronous replication on the primary (PostgreSQL's {@code syncrep.c}): which walsenders are
 * synchronous, and committing sessions waiting until they have confirmed the commit.
 *
 * <p><b>Configuration.</b> {@code synchronous_standby_names} is parsed by {@link
 * org.walden.config.SyncStandbyNames} (PostgreSQL's grammar; a bad value is rejected by the
 * setting's check hook, so a reload with it keeps the old value and logs the error, as in
 * PostgreSQL). The node hands the parsed value to {@link
 * org.walden.replication.syncrep.SyncRep#configure} at start and after each reload.
 *
 * <p><b>Selection</b> (as {@code SyncRepGetCandidateStandbys}): candidates are walsenders in state
 * streaming or stopping whose {@code application_name} is listed (or {@code *}) and that have
 * reported a non-zero flush position. {@code FIRST n}: the n with the best priority (list position;
 * ties → lower walsender slot) are {@code sync}, the synchronous position of each of
 * write/flush/apply is the minimum over them; the other candidates are {@code potential}. {@code
 * ANY n}: every candidate is {@code quorum} (priority 1), the synchronous position is the n-th
 * largest over all candidates. Fewer than n candidates: nobody is released.
 *
 * <p><b>Threads and data flow.</b> A committing session (server layer, after the local commit is
 * flushed and visible) calls {@code SyncRep.await(commitEnd, mode, timeout, interrupts)}: under the
 * lock it returns at once if synchronous replication is off or the released position of its mode
 * has passed the LSN, else it enqueues a waiter in that mode's LSN-ordered queue and parks. A
 * walsender thread, after recording a StandbyStatusUpdate from a listed standby, recomputes the
 * synchronous positions (no allocation: scratch arrays under the lock), advances the three
 * forward-only released positions and unparks every waiter of each queue up to it. A walsender
 * leaving, and a reload, recompute too; a reload that empties the setting releases everyone. The
 * session's cancel token unparks a waiting session on CancelRequest / terminate.
 *
 * <p><b>Waits per synchronous_commit.</b> {@code remote_write} → write, {@code on} → flush, {@code
 * remote_apply} → apply; {@code local} and {@code off} never wait; a transaction that wrote no WAL
 * never waits.
 *
 * <p><b>Ending a wait, as PostgreSQL.</b> Cancel: WARNING 01000 "canceling wait for synchronous
 * replication due to user request", DETAIL "The transaction has already committed locally, but
 * might not have been replicated to the standby.", then the normal CommandComplete. Terminate
 * ({@code pg_terminate_backend}, fast shutdown): WARNING 57P01 "canceling the wait for synchronous
 * replication and terminating connection due to administrator command" with the same DETAIL, then
 * the connection closes without another message. A smart shutdown waits for the sessions, so their
 * commits keep waiting until the standbys confirm (the walsenders run until after the shutdown
 * checkpoint).
 *
 * <p><b>Beyond PostgreSQL: {@code synchronous_commit_timeout}</b> (milliseconds, default 0 = wait
 * forever, PostgreSQL's behaviour; settable per session and SET LOCAL). A commit whose wait exceeds
 * it returns with WARNING SQLSTATE {@code 01W01} (class 01 "warning", a subclass PostgreSQL does
 * not use) "synchronous replication timed out after N ms; the transaction is durable locally but
 * not confirmed by the synchronous standbys", DETAIL naming the commit LSN and wait mode, then its
 * normal CommandComplete. It is logged at WARNING and counted in {@code walden_stat_syncrep}
 * ({@code waiting, waits, released, canceled, terminated, timed_out}). It is never a silent
 * downgrade: the client is told every time.
 *
 * <p><b>Failure and shutdown.</b> Nothing here does I/O. The node's end does not need to stop
 * anything: waiters end by release, cancel, terminate or timeout.
 */
package org.walden.replication.syncrep;
