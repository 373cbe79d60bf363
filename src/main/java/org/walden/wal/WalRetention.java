package org.walden.wal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one rule that decides which WAL may be removed: keep everything from the oldest position any
 * holder still needs. Holders are the last checkpoint's redo point (always), and whatever later
 * work registers: {@code wal_keep_size}, replication slots' {@code restart_lsn}, segments the
 * archiver has not yet archived, running base backups' start points. Nothing else deletes WAL.
 *
 * <p><b>A removal</b> ({@link #remove}, the checkpointer) runs under the retention lock: every
 * holder first makes durable what it is about to report ({@link Holder#beforeRemoval}: slots save
 * their state, so a crash never leaves a slot pointing at removed WAL), the horizon is computed,
 * holders whose claim is bounded give up what lies before it ({@link Holder#giveUpBefore}: {@code
 * max_slot_wal_keep_size} invalidates slots), the horizon is computed again if any did, and the
 * segments before it are removed. {@link #whileNoRemoval} lets a new claim be taken (a slot
 * reserving WAL at the redo point) without racing a removal that computed its horizon before the
 * claim existed.
 *
 * <p>Thread-safe: holders register and unregister at any time; removals are serialized by the lock.
 */
public final class WalRetention {

  /** Something that needs WAL from a position on; empty if it needs none right now. */
  @FunctionalInterface
  public interface Holder {
    Optional<Lsn> oldestNeeded();

    /** Before a removal computes its horizon: make what {@link #oldestNeeded} reports durable. */
    default void beforeRemoval() throws IOException {}

    /**
     * The removal's horizon: WAL in segments wholly before {@code keepFrom}'s segment will be
     * removed. A holder whose claim is bounded drops what it held before that; returns true if it
     * dropped anything (the horizon is then computed again).
     */
    default boolean giveUpBefore(Lsn keepFrom) {
      return false;
    }
  }

  /** What a removal does with its horizon: removes the segments wholly before it. */
  @FunctionalInterface
  public interface Removal {
    int removeBefore(Lsn keepFrom) throws IOException;
  }

  private final List<NamedHolder> holders = new CopyOnWriteArrayList<>();
  private final ReentrantLock removalLock = new ReentrantLock();

  /** The last removal's horizon; null before the first. Written under removalLock. */
  private volatile Lsn lastHorizon;

  private record NamedHolder(String name, Holder holder) {}

  public void register(String name, Holder holder) {
    holders.add(new NamedHolder(name, holder));
  }

  public void unregister(String name) {
    holders.removeIf(h -> h.name().equals(name));
  }

  /**
   * The oldest position any holder needs, never after {@code redoPoint} (the last checkpoint's redo
   * point, which crash recovery starts from).
   */
  public Lsn keepFrom(Lsn redoPoint) {
    Lsn keep = redoPoint;
    for (NamedHolder h : holders) {
      Optional<Lsn> need = h.holder().oldestNeeded();
      if (need.isPresent() && need.get().isValid() && need.get().isBefore(keep)) {
        keep = need.get();
      }
    }
    return keep;
  }

  /** One removal (see the class comment); returns what {@code removal} returned. */
  public int remove(Lsn redoPoint, Removal removal) throws IOException {
    removalLock.lock();
    try {
      for (NamedHolder h : holders) {
        h.holder().beforeRemoval();
      }
      Lsn keep = keepFrom(redoPoint);
      boolean gaveUp = false;
      for (NamedHolder h : holders) {
        gaveUp |= h.holder().giveUpBefore(keep);
      }
      if (gaveUp) {
        keep = keepFrom(redoPoint);
      }
      lastHorizon = keep;
      return removal.removeBefore(keep);
    } finally {
      removalLock.unlock();
    }
  }

  /** Runs {@code action} while no removal runs (a new claim is then seen by the next one). */
  public <T> T whileNoRemoval(Supplier<T> action) {
    removalLock.lock();
    try {
      return action.get();
    } finally {
      removalLock.unlock();
    }
  }

  /** The horizon of the last removal since start (WAL before its segment is gone), if any. */
  public Optional<Lsn> lastHorizon() {
    return Optional.ofNullable(lastHorizon);
  }
}
