package org.walden.sql.exec;

import java.time.Instant;
import org.walden.wal.Lsn;

/**
 * The running walreceiver, as the row of {@code pg_stat_wal_receiver} (PostgreSQL 15's columns in
 * order). Null means SQL NULL; an {@link Lsn#INVALID} position is shown as NULL.
 *
 * @param pid the walreceiver's process id
 * @param status {@code stopped}, {@code starting}, {@code streaming}, {@code waiting}, {@code
 *     restarting} or {@code stopping}
 * @param receiveStartLsn where streaming started (segment-aligned)
 * @param receiveStartTli the timeline streaming started on
 * @param writtenLsn WAL received and written, not necessarily flushed
 * @param flushedLsn WAL received and flushed
 * @param receivedTli the timeline of {@code flushedLsn}
 * @param lastMsgSendTime the send time in the last message from the primary
 * @param lastMsgReceiptTime when that message arrived
 * @param latestEndLsn the last WAL end the primary reported
 * @param latestEndTime the time of that report
 * @param slotName {@code primary_slot_name}, or null
 * @param senderHost the primary's host
 * @param senderPort the primary's port
 * @param conninfo the connection string with the password hidden
 */
public record WalReceiverStatRow(
    Integer pid,
    String status,
    Lsn receiveStartLsn,
    Integer receiveStartTli,
    Lsn writtenLsn,
    Lsn flushedLsn,
    Integer receivedTli,
    Instant lastMsgSendTime,
    Instant lastMsgReceiptTime,
    Lsn latestEndLsn,
    Instant latestEndTime,
    String slotName,
    String senderHost,
    Integer senderPort,
    String conninfo) {}
