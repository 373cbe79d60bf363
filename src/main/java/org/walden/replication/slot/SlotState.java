package org.walden.replication.slot;

import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/**
 * What a persistent slot's state file holds (PostgreSQL's ReplicationSlotPersistentData, the
 * physical part): its name, where its WAL reservation starts, the standby's xmin, and — once
 * invalidated by {@code max_slot_wal_keep_size} — the restart_lsn it had then ({@code
 * invalidated_at}; restart_lsn is then invalid). An immutable value.
 */
public record SlotState(String name, Lsn restartLsn, Xid xmin, Lsn invalidatedAt) {

  public SlotState {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("slot name is empty");
    }
  }

  /** Lost: invalidated because it held more WAL than {@code max_slot_wal_keep_size} allows. */
  public boolean lost() {
    return invalidatedAt.isValid();
  }
}
