package org.walden.storage.txn;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The registered snapshots, so pruning knows the oldest LSN any reader may still read at.
 *
 * <p>The registration race. A computation of the oldest snapshot reads the horizon, then scans the
 * slots. A new registrant reads the horizon into its slot, adds the slot, and then reads the
 * horizon again for its real snapshot. If the scan misses the slot, the add came after the scan
 * started, so the second read came after the computation's horizon read and the snapshot is at
 * least that horizon, which bounds the result. If the scan sees the slot, it sees a value no larger
 * than the snapshot. Either way the computed oldest never exceeds a live snapshot.
 *
 * <p>{@link #oldest()} may be a cached, older value: a lower bound stays a lower bound (snapshots
 * only ever start at the current horizon, which never goes backwards).
 *
 * <p>Thread-safe; slots are written by their owner only.
 */
public final class SnapshotRegistry {

  /** A registered snapshot. {@code lsn} is written by the owning session only. */
  public static final class Slot {
    volatile long lsn;

    public long lsn() {
      return lsn;
    }
  }

  private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
  private final LongSupplier horizon;
  private volatile long cachedOldest;
  private int calls; // racy counter: only decides when to refresh the cache

  SnapshotRegistry(LongSupplier horizon) {
    this.horizon = horizon;
    this.cachedOldest = horizon.getAsLong();
  }

  /** Registers a snapshot at the current horizon. */
  public Slot register() {
    Slot s = new Slot();
    s.lsn = horizon.getAsLong();
    slots.add(s);
    s.lsn = horizon.getAsLong();
    return s;
  }

  /** Registers a snapshot at a given LSN that the caller knows is still protected (≥ oldest). */
  Slot registerAt(long lsn) {
    Slot s = new Slot();
    s.lsn = lsn;
    slots.add(s);
    return s;
  }

  /**
   * Moves a registered snapshot to the current horizon (a READ COMMITTED statement). Safe without
   * the double read: the slot is already registered at a lower value.
   */
  public long refresh(Slot s) {
    long h = horizon.getAsLong();
    s.lsn = h;
    return h;
  }

  public void release(Slot s) {
    if (s != null) {
      slots.remove(s);
    }
  }

  /** A lower bound of every registered snapshot (recomputed now). */
  public long computeOldest() {
    long min = horizon.getAsLong();
    for (Slot s : slots) {
      long v = s.lsn;
      if (v < min) {
        min = v;
      }
    }
    cachedOldest = min;
    return min;
  }

  /** A possibly stale lower bound; refreshed every 64 calls. */
  public long oldest() {
    if ((++calls & 63) == 0) {
      return computeOldest();
    }
    return cachedOldest;
  }

  public int size() {
    return slots.size();
  }
}
