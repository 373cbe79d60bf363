package org.walden.replication.slot;

import java.util.concurrent.locks.ReentrantLock;
import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/**
 * One physical replication slot (PostgreSQL's ReplicationSlot): a name that a standby or {@code
 * pg_receivewal} streams through, holding WAL from its {@code restartLsn} on.
 *
 * <p><b>Lifecycle.</b> Made by {@link ReplicationSlots#create} (or restored at start), acquired by
 * at most one connection at a time ({@link ReplicationSlots#acquire}), dropped by {@link
 * ReplicationSlots#drop}; a temporary slot is dropped when the connection that made it ends.
 *
 * <p><b>Guards.</b> The mutable fields are guarded by the owning {@link ReplicationSlots}' lock;
 * {@link #io} serializes writes of this slot's state file (creation, checkpoint, release, drop), so
 * file I/O never runs under the table's lock.
 */
public final class ReplicationSlot {
  private final String name;
  private final boolean temporary;

  /** Serializes this slot's file writes. */
  final ReentrantLock io = new ReentrantLock();

  // guarded by the table's lock
  Lsn restartLsn;
  Xid xmin = Xid.INVALID;
  Lsn invalidatedAt = Lsn.INVALID;

  /** The connection using it; 0 if none. A temporary slot stays owned by its creator. */
  int activePid;

  /** Called (table lock held) when the slot is invalidated while in use; null if none. */
  Runnable onInvalidate;

  /** The state last written to disk; null if never (temporary slots never are). */
  SlotState persisted;

  /** Gone from the table: a late save must not recreate its file. */
  boolean dropped;

  ReplicationSlot(String name, boolean temporary, Lsn restartLsn) {
    this.name = name;
    this.temporary = temporary;
    this.restartLsn = restartLsn;
  }

  public String name() {
    return name;
  }

  public boolean temporary() {
    return temporary;
  }

  /** The state as the file would hold it (table lock held). */
  SlotState state() {
    return new SlotState(name, restartLsn, xmin, invalidatedAt);
  }

  /** Has it changed since it was last written (table lock held)? */
  boolean dirty() {
    return !temporary && !dropped && !state().equals(persisted);
  }
}
