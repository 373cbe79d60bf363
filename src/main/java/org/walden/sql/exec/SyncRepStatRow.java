package org.walden.sql.exec;

import org.walden.wal.Lsn;

/**
 * The one row of Walden's {@code walden_stat_syncrep} view: synchronous replication on this node
 * since it started. Not in PostgreSQL, which has no such counters.
 *
 * @param standbyNames {@code synchronous_standby_names} in force
 * @param waiting commits waiting for their standbys now
 * @param waits commits that had to wait (not released at once)
 * @param released waits that ended because the standbys confirmed (or synchronous replication was
 *     switched off)
 * @param canceled waits ended by a cancel (WARNING 01000)
 * @param terminated waits ended by pg_terminate_backend or shutdown (WARNING 57P01)
 * @param timedOut waits ended by {@code synchronous_commit_timeout} (WARNING 01W01)
 * @param writeLsn the synchronous standbys' confirmed write position (null = none yet)
 * @param flushLsn their confirmed flush position
 * @param applyLsn their confirmed apply position
 */
public record SyncRepStatRow(
    String standbyNames,
    int waiting,
    long waits,
    long released,
    long canceled,
    long terminated,
    long timedOut,
    Lsn writeLsn,
    Lsn flushLsn,
    Lsn applyLsn) {}
