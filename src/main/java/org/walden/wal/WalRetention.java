package org.walden.wal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one rule that decides which WAL may be removed: keep everything from the oldest position any
 * holder still needs. Holders are the last checkpoint's redo point (always), and whatever later
 * work registers: {@code wal_keep_size}, replication slots' {@code restart_lsn}, segments the
 * archiver has not yet archived, running base backups' start points. Nothing else deletes WAL.
 *
 * <p>Thread-safe: holders register and unregister at any time; {@link #keepFrom} is evaluated by
 * the checkpointer when it removes segments.
 */
public final class WalRetention {

  /** Something that needs WAL from a position on; empty if it needs none right now. */
  @FunctionalInterface
  public interface Holder {
    Optional<Lsn> oldestNeeded();
  }

  private final List<NamedHolder> holders = new CopyOnWriteArrayList<>();

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
}
