package org.walden.replication.slot;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.wal.Lsn;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentSize;

/**
 * The slots' part of the one retention rule, and their WAL availability as {@code
 * pg_replication_slots} shows it (PostgreSQL 15's KeepLogSeg, InvalidateObsoleteReplicationSlots
 * and GetWALAvailability).
 *
 * <ul>
 *   <li>{@link #oldestNeeded}: the oldest restart_lsn of the slots, capped by {@code
 *       max_slot_wal_keep_size} (at most that many segments before the current one).
 *   <li>{@link #beforeRemoval}: every changed slot is written, so the position a crash would
 *       restore is the one the removal keeps.
 *   <li>{@link #giveUpBefore}: slots still holding WAL before the removal's horizon (only a cap
 *       puts them there) are invalidated — wal_status {@code lost} — and the primary goes on
 *       removing WAL instead of filling its disk.
 * </ul>
 *
 * <p>Stateless apart from what it reads; called by the checkpointer's removal and by view readers.
 */
public final class SlotRetention implements WalRetention.Holder {

  /** The retention holder's name. */
  public static final String HOLDER = "replication slots";

  private final ReplicationSlots slots;
  private final WalSegmentSize segmentSize;
  private final Supplier<Lsn> current;
  private final Supplier<Config> config;
  private final WalRetention retention;

  /**
   * @param current the WAL write position (the primary's insert position will do)
   * @param retention where the last removal's horizon is read (oldest existing segment)
   */
  public SlotRetention(
      ReplicationSlots slots,
      WalSegmentSize segmentSize,
      Supplier<Lsn> current,
      Supplier<Config> config,
      WalRetention retention) {
    this.slots = slots;
    this.segmentSize = segmentSize;
    this.current = current;
    this.config = config;
    this.retention = retention;
  }

  @Override
  public Optional<Lsn> oldestNeeded() {
    Optional<Lsn> min = slots.minimumRestartLsn();
    if (min.isEmpty()) {
      return min;
    }
    Lsn now = current.get();
    if (!min.get().isBefore(now)) {
      return min;
    }
    long currSeg = segmentSize.segmentOf(now);
    long seg = segmentSize.segmentOf(min.get());
    long slotKeep = slotKeepSegments(config.get());
    if (slotKeep >= 0 && currSeg - seg > slotKeep) {
      return Optional.of(segmentSize.startOf(currSeg - slotKeep));
    }
    return min;
  }

  @Override
  public void beforeRemoval() throws IOException {
    slots.saveAll();
  }

  @Override
  public boolean giveUpBefore(Lsn keepFrom) {
    try {
      return slots.invalidateBefore(segmentSize.segmentStart(keepFrom));
    } catch (IOException e) {
      // the slot stays invalid in memory; a failed write is retried at the next checkpoint
      org.slf4j.LoggerFactory.getLogger(SlotRetention.class)
          .warn("could not save an invalidated replication slot: {}", e.toString());
      return true;
    }
  }

  /** {@code max_slot_wal_keep_size} in segments; -1 for unlimited. */
  private long slotKeepSegments(Config c) {
    int mb = c.get(Settings.MAX_SLOT_WAL_KEEP_SIZE);
    if (mb < 0) {
      return -1;
    }
    return Settings.MAX_SLOT_WAL_KEEP_SIZE.toBytes(mb) / segmentSize.bytes();
  }

  private long walKeepSegments(Config c) {
    return Settings.WAL_KEEP_SIZE.toBytes(c.get(Settings.WAL_KEEP_SIZE)) / segmentSize.bytes();
  }

  /** A slot's {@code wal_status} and {@code safe_wal_size}; both null when it reserves nothing. */
  public record Availability(String walStatus, Long safeWalSize) {}

  /** PostgreSQL 15's pg_get_replication_slots, the wal_status and safe_wal_size columns. */
  public Availability availability(SlotRow r) {
    Config c = config.get();
    Lsn now = current.get();
    long slotKeep = slotKeepSegments(c);
    if (!r.restartLsn().isValid()) {
      return r.lost() ? new Availability("lost", null) : new Availability(null, null);
    }
    String status = walStatus(r.restartLsn(), now, c);
    if (status.equals("lost") && r.active()) {
      status = "unreserved"; // its user may have moved on since; PostgreSQL says the same
    }
    Long safe = null;
    if (!status.equals("lost") && slotKeep >= 0) {
      long target = segmentSize.segmentOf(r.restartLsn());
      long failSeg = target + Math.max(slotKeep, walKeepSegments(c)) + 1;
      safe = segmentSize.startOf(failSeg).value() - now.value();
    }
    return new Availability(status, safe);
  }

  /** GetWALAvailability. */
  private String walStatus(Lsn target, Lsn now, Config c) {
    long currSeg = segmentSize.segmentOf(now);
    // the oldest segment the slots and wal_keep_size keep (KeepLogSeg from the current segment)
    long oldestSlotSeg = currSeg;
    Optional<Lsn> min = slots.minimumRestartLsn();
    if (min.isPresent() && min.get().isBefore(now)) {
      long seg = segmentSize.segmentOf(min.get());
      long slotKeep = slotKeepSegments(c);
      if (slotKeep >= 0 && currSeg - seg > slotKeep) {
        seg = currSeg - slotKeep;
      }
      oldestSlotSeg = Math.min(oldestSlotSeg, seg);
    }
    long keepSegs = walKeepSegments(c);
    if (keepSegs > 0 && currSeg - oldestSlotSeg < keepSegs) {
      oldestSlotSeg = Math.min(oldestSlotSeg, currSeg <= keepSegs ? 1 : currSeg - keepSegs);
    }
    // the oldest segment still there: 1 until a removal ran since start (as PostgreSQL)
    long oldestSeg = retention.lastHorizon().map(segmentSize::segmentOf).orElse(1L);
    long maxWalSegs =
        Settings.MAX_WAL_SIZE.toBytes(c.get(Settings.MAX_WAL_SIZE)) / segmentSize.bytes() + 1;
    long oldestSegMaxWalSize = currSeg > maxWalSegs ? currSeg - maxWalSegs : 1;
    long targetSeg = segmentSize.segmentOf(target);
    if (targetSeg >= oldestSlotSeg) {
      return targetSeg >= oldestSegMaxWalSize ? "reserved" : "extended";
    }
    if (targetSeg >= oldestSeg) {
      return "unreserved";
    }
    return "lost";
  }
}
