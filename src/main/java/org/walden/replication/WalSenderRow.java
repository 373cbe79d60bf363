package org.walden.replication;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/**
 * One immutable row of {@code pg_stat_replication} (PostgreSQL 15's columns, in order, without
 * {@code client_hostname}, which is always NULL without {@code log_hostname}). Empty optionals are
 * NULLs: an LSN the standby has not reported (or reported as 0/0), an unknown lag, no reply yet.
 */
public record WalSenderRow(
    int pid,
    long usesysid,
    String usename,
    String applicationName,
    Optional<InetAddress> clientAddr,
    Optional<Integer> clientPort,
    Instant backendStart,
    Optional<Xid> backendXmin,
    WalSenderState state,
    Optional<Lsn> sentLsn,
    Optional<Lsn> writeLsn,
    Optional<Lsn> flushLsn,
    Optional<Lsn> replayLsn,
    Optional<Duration> writeLag,
    Optional<Duration> flushLag,
    Optional<Duration> replayLag,
    int syncPriority,
    String syncState,
    Optional<Instant> replyTime) {}
