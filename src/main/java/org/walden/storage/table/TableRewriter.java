package org.walden.storage.table;

import org.walden.storage.SqlState;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.index.IndexCursor;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.RowCodec;

/**
 * Copies the current rows of one table generation into a new one with a different schema (ALTER
 * TABLE ADD/DROP COLUMN, ADD PRIMARY KEY). Each new column takes either an old column ({@code
 * columnMap[i] >= 0}) or the value from {@code fillRow} (a row of the new schema). Used by the
 * primary (new versions owned by the altering transaction, which holds the table exclusively, so
 * every head is committed or its own) and by redo (new versions committed at the commit LSN), so
 * both produce the same table. Stateless.
 */
public final class TableRewriter {
  private TableRewriter() {}

  /**
   * @param owner the altering transaction (primary), or null for redo
   * @param commitLsn for redo: the stamp of the new versions
   */
  public static void rewrite(
      Table from, Table to, int[] columnMap, byte[] fillRow, Transaction owner, long commitLsn) {
    TableSchema ns = to.schema();
    RowCodec oldCodec = from.schema().rowCodec();
    RowCodec newCodec = ns.rowCodec();
    Object[] fill = newCodec.decode(fillRow);
    IndexCursor<RowVersion> c = from.index().all();
    while (c.next()) {
      RowVersion v = c.value();
      // the newest version that is committed or ours (nobody else can have one: exclusive lock)
      while (v != null && !(v.isCommitted() || (owner != null && v.owner() == owner))) {
        v = v.older();
      }
      if (v == null || v.row == null) {
        continue;
      }
      Object[] oldValues = oldCodec.decode(v.row);
      Object[] nv = new Object[columnMap.length];
      for (int i = 0; i < nv.length; i++) {
        nv[i] = columnMap[i] >= 0 ? oldValues[columnMap[i]] : fill[i];
        if (nv[i] == null && ns.column(i).notNull()) {
          throw new StorageException(
              SqlState.NOT_NULL_VIOLATION,
              "column \""
                  + ns.column(i).name()
                  + "\" of relation \""
                  + ns.name()
                  + "\" contains null values");
        }
      }
      byte[] row = newCodec.encode(nv);
      Object key = ns.hasPrimaryKey() ? ns.keyOf(row) : c.key();
      if (!ns.hasPrimaryKey()) {
        to.noteRowId((Long) key);
      }
      RowVersion nvVersion =
          owner != null ? new RowVersion(row, owner, null) : new RowVersion(row, commitLsn, null);
      if (to.index().putIfAbsent(key, nvVersion) != null) {
        throw new StorageException(
            SqlState.UNIQUE_VIOLATION,
            "could not create unique index \"" + ns.primaryKeyName() + "\"",
            ns.describeKey(key) + " is duplicated.");
      }
    }
  }
}
