package org.walden.replication;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.walden.config.Config;
import org.walden.replication.slot.ReplicationSlots;
import org.walden.wal.Lsn;
import org.walden.wal.LsnWatermark;
import org.walden.wal.TimelineId;
import org.walden.wal.WalIdentity;
import org.walden.wal.WalSegmentFiles;

/**
 * What a walsender needs from its node, passed from the node through the server to each replication
 * session as one value.
 *
 * <ul>
 *   <li>{@code table}: the node's one {@link WalSenderTable} ({@code max_wal_senders}).
 *   <li>{@code segments}: {@code pg_wal}; the only place WAL is read from.
 *   <li>{@code identity}: system identifier and segment size (IDENTIFY_SYSTEM, SHOW).
 *   <li>{@code timeline}: the timeline WAL is being written on now.
 *   <li>{@code flushed}: the primary's flushed WAL position, the send limit; the node builds it as
 *       {@code new LsnWatermark("walsender send limit", wal.flushedUpto())} and keeps it current
 *       with {@code wal.addFlushListener(flushed::advanceIfAhead)}.
 *   <li>{@code config}: the current configuration ({@code wal_sender_timeout} is re-read, SHOW).
 *   <li>{@code clock}: wall clock for protocol timestamps, lags and timeouts.
 *   <li>{@code slots}: the node's replication slots (CREATE/DROP/READ_REPLICATION_SLOT, START_
 *       REPLICATION SLOT).
 *   <li>{@code slotReservePoint}: where a slot that reserves WAL at creation starts: the last
 *       checkpoint's redo point.
 *   <li>{@code backups}: what BASE_BACKUP needs (a primary's checkpointer, data directory, WAL
 *       retention); {@code null} where base backups are not served (standbys), which answers
 *       BASE_BACKUP with 0A000.
 * </ul>
 */
public record WalSenderServices(
    WalSenderTable table,
    WalSegmentFiles segments,
    WalIdentity identity,
    Supplier<TimelineId> timeline,
    LsnWatermark flushed,
    Supplier<Config> config,
    Clock clock,
    ReplicationSlots slots,
    Supplier<Lsn> slotReservePoint,
    org.walden.replication.backup.BaseBackupSource backups) {

  public WalSenderServices {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(segments, "segments");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(timeline, "timeline");
    Objects.requireNonNull(flushed, "flushed");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(slots, "slots");
    Objects.requireNonNull(slotReservePoint, "slotReservePoint");
  }
}
