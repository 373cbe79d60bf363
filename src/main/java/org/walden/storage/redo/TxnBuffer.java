package org.walden.storage.redo;

import java.util.Arrays;
import org.walden.storage.table.Table;
import org.walden.wal.RecordKind;

/**
 * The buffered changes of one transaction being replayed, kept until its COMMIT (applied) or ABORT
 * (dropped). Data changes to a table known when the record arrives are decoded at once (table, key,
 * row); anything else (DDL, or data changes after DDL in the same transaction, whose decoding
 * depends on that DDL) is kept as a raw body copy and decoded at commit. Reused across transactions
 * to keep replay free of per-record garbage beyond the row itself. Redo thread only.
 */
final class TxnBuffer {
  long xid;
  int size;
  boolean hasDdl;
  RecordKind[] kinds = new RecordKind[4];
  long[] lsns = new long[4];
  Table[] tables = new Table[4];
  Object[] keys = new Object[4];
  byte[][] rows = new byte[4][];
  byte[][] raw = new byte[4][];

  void reset(long newXid) {
    Arrays.fill(tables, 0, size, null);
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(rows, 0, size, null);
    Arrays.fill(raw, 0, size, null);
    xid = newXid;
    size = 0;
    hasDdl = false;
  }

  int add(RecordKind kind, long lsn) {
    if (size == kinds.length) {
      int n = size * 2;
      kinds = Arrays.copyOf(kinds, n);
      lsns = Arrays.copyOf(lsns, n);
      tables = Arrays.copyOf(tables, n);
      keys = Arrays.copyOf(keys, n);
      rows = Arrays.copyOf(rows, n);
      raw = Arrays.copyOf(raw, n);
    }
    kinds[size] = kind;
    lsns[size] = lsn;
    return size++;
  }
}
