package org.walden.replication.slot;

import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/**
 * A consistent snapshot of one slot for {@code pg_replication_slots}, READ_REPLICATION_SLOT and the
 * retention rule. {@code restartLsn} is {@link Lsn#INVALID} when nothing is reserved (never
 * reserved, or lost); {@code activePid} is 0 when unused.
 */
public record SlotRow(
    String name, boolean temporary, int activePid, Xid xmin, Lsn restartLsn, Lsn invalidatedAt) {

  public boolean active() {
    return activePid != 0;
  }

  public boolean lost() {
    return invalidatedAt.isValid();
  }
}
