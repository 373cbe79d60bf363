package org.walden.storage.table;

import org.walden.storage.txn.Transaction;

/**
 * One version of one row: the row bytes (null for a delete tombstone), the commit LSN that made it
 * visible (0 while uncommitted), the transaction that wrote it while it is uncommitted, and the
 * next older version. The newest version is the index's value for the key.
 *
 * <p>Life: created by a writer as the uncommitted head (which is also the row lock), then stamped
 * once with its commit's end LSN ({@link #stamp}) or unlinked at abort. A reader sees a version iff
 * {@code commitLsn != 0 && commitLsn <= snapshot}, or it is the reader's own. {@code older} is
 * plain: it is only ever cut ({@link #trim}) below the newest version the oldest snapshot can see,
 * so a reader that still sees the old link and a reader that sees null both find what they need.
 *
 * <p>Size: 12-byte header + 4 + 8 + 4 + 4 = 32 bytes with compressed oops.
 */
public final class RowVersion {

  /** The encoded row, or null for a tombstone. Never mutated. */
  public final byte[] row;

  /** Commit end LSN; 0 while uncommitted. Written once, by the committing thread or redo. */
  private volatile long commitLsn;

  /** The writer while uncommitted; cleared after stamping. */
  private volatile Transaction owner;

  /** Next older version or null; only ever cut (see class comment). */
  private RowVersion older;

  /** An uncommitted version owned by {@code owner}. */
  public RowVersion(byte[] row, Transaction owner, RowVersion older) {
    this.row = row;
    this.owner = owner;
    this.older = older;
  }

  /** A committed version (redo, snapshot load). */
  public RowVersion(byte[] row, long commitLsn, RowVersion older) {
    this.row = row;
    this.commitLsn = commitLsn;
    this.older = older;
  }

  public long commitLsn() {
    return commitLsn;
  }

  public boolean isCommitted() {
    return commitLsn != 0;
  }

  public Transaction owner() {
    return owner;
  }

  public RowVersion older() {
    return older;
  }

  public boolean isTombstone() {
    return row == null;
  }

  /** A lock-only version: an uncommitted copy that shares its older version's row array. */
  public boolean isLockOnly() {
    RowVersion o = older;
    return o != null && row != null && row == o.row && commitLsn == 0;
  }

  /**
   * Marks the version committed at {@code lsn}. The LSN is written before the owner is cleared, so
   * a concurrent reader that sees no owner always sees the stamp.
   */
  public void stamp(long lsn) {
    commitLsn = lsn;
    owner = null;
  }

  /** Visible to a snapshot at {@code snapshot} read by transaction {@code reader} (may be null)? */
  public boolean visibleTo(long snapshot, Transaction reader) {
    long c = commitLsn;
    if (c != 0) {
      return Long.compareUnsigned(c, snapshot) <= 0;
    }
    return reader != null && owner == reader;
  }

  /**
   * Cuts the chain below the newest committed version visible at {@code oldestSnapshot}: no
   * registered snapshot can need anything older.
   */
  public void trim(long oldestSnapshot) {
    RowVersion v = this;
    while (v != null) {
      long c = v.commitLsn;
      if (c != 0 && Long.compareUnsigned(c, oldestSnapshot) <= 0) {
        v.older = null;
        return;
      }
      v = v.older;
    }
  }

  /** Only for chain surgery by the owner (collapsing its own versions) before publication. */
  public void setOlder(RowVersion older) {
    this.older = older;
  }
}
