package org.walden.sql.exec;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.walden.wal.Lsn;

/**
 * One walsender, as a row of {@code pg_stat_replication} (PostgreSQL 15's columns in order). Null
 * means SQL NULL; an {@link Lsn#INVALID} position is shown as NULL too, as PostgreSQL does.
 *
 * @param pid the walsender's backend process id
 * @param usesysid the OID of the role it logged in as
 * @param usename that role's name
 * @param applicationName the client's {@code application_name}
 * @param clientAddr the client's IP address; null for a Unix-socket connection
 * @param clientHostname the client's host name (only with {@code log_hostname}); usually null
 * @param clientPort the client's TCP port; -1 for a Unix socket
 * @param backendStart when the connection was made
 * @param backendXmin the standby's xmin from hot-standby feedback, or null
 * @param state {@code startup}, {@code catchup}, {@code streaming}, {@code backup} or {@code
 *     stopping}
 * @param sentLsn last WAL position sent
 * @param writeLsn last position the standby reported written
 * @param flushLsn last position the standby reported flushed
 * @param replayLsn last position the standby reported replayed
 * @param writeLag time until the standby reported writing recent WAL, null when unknown
 * @param flushLag likewise for flushing
 * @param replayLag likewise for replaying
 * @param syncPriority priority in {@code synchronous_standby_names}; 0 if asynchronous
 * @param syncState {@code async}, {@code potential}, {@code sync} or {@code quorum}
 * @param replyTime when the last reply from the standby arrived, null before the first
 */
public record ReplicationStatRow(
    Integer pid,
    Long usesysid,
    String usename,
    String applicationName,
    InetAddress clientAddr,
    String clientHostname,
    Integer clientPort,
    Instant backendStart,
    Long backendXmin,
    String state,
    Lsn sentLsn,
    Lsn writeLsn,
    Lsn flushLsn,
    Lsn replayLsn,
    Duration writeLag,
    Duration flushLag,
    Duration replayLag,
    int syncPriority,
    String syncState,
    Instant replyTime) {}
