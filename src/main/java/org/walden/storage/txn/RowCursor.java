package org.walden.storage.txn;

import org.walden.storage.index.IndexCursor;
import org.walden.storage.table.RowVersion;

/**
 * A forward cursor over the rows of a key range as one snapshot sees them (invisible versions and
 * tombstones skipped). Call {@link #next()} first; {@link #key()} and {@link #row()} stay valid
 * until the next call. Uses the snapshot current when it was opened. Single-threaded; never blocks.
 */
public final class RowCursor {

  private final IndexCursor<RowVersion> cursor;
  private final long snapshot;
  private final Transaction reader;
  private Object key;
  private byte[] row;

  RowCursor(IndexCursor<RowVersion> cursor, long snapshot, Transaction reader) {
    this.cursor = cursor;
    this.snapshot = snapshot;
    this.reader = reader;
  }

  public boolean next() {
    while (cursor.next()) {
      RowVersion v = Transaction.visibleVersion(cursor.value(), snapshot, reader);
      if (v != null && v.row != null) {
        key = cursor.key();
        row = v.row;
        return true;
      }
    }
    key = null;
    row = null;
    return false;
  }

  public Object key() {
    return key;
  }

  public byte[] row() {
    return row;
  }
}
