package org.walden.storage.redo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.walden.storage.catalog.Catalog;
import org.walden.storage.catalog.CatalogCodec;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.record.StorageRecords;
import org.walden.storage.table.RowVersion;
import org.walden.storage.table.Table;
import org.walden.storage.table.TableRewriter;
import org.walden.storage.txn.TransactionManager;
import org.walden.storage.type.ByteSink;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.Xid;

/**
 * Replays the storage layer's WAL records into a {@link TransactionManager} in recovery, record by
 * record in WAL order, while read-only queries run (hot standby).
 *
 * <p>Each transaction's changes are buffered until its COMMIT record; then they are applied as
 * versions stamped with the commit's end LSN, the catalog changes are installed, and only then is
 * the visibility horizon moved to that LSN, so a standby query sees a whole transaction or none of
 * it. ABORT drops the buffer; a transaction with neither (cut off by a crash or promotion) is
 * dropped by {@link #discardOpenTransactions()}. Commits at or before {@code skipThrough} (the
 * loaded snapshot's LSN) are already in the store and are skipped.
 *
 * <p>Not thread-safe: one applying thread (the startup/recovery thread). A malformed body or a
 * change to a missing table throws {@link RedoException} naming the record's LSN.
 */
public final class Redo {

  private final TransactionManager mgr;
  private final long skipThrough;
  private final List<TxnBuffer> open = new ArrayList<>();
  private final List<TxnBuffer> free = new ArrayList<>();
  private final List<Table[]> successions = new ArrayList<>();
  private final List<Table> drops = new ArrayList<>();
  private Catalog cachedCatalog;
  private int cachedOid;
  private Table cachedTable;
  private long lastCommit;

  /** Replays into {@code mgr}, skipping commits at or before {@code skipThrough}. */
  public Redo(TransactionManager mgr, Lsn skipThrough) {
    this.mgr = mgr;
    this.skipThrough = skipThrough.value();
  }

  /** The end LSN of the last commit applied (or skipped), or 0/0. */
  public Lsn lastAppliedCommit() {
    return Lsn.of(lastCommit);
  }

  /** Transactions with buffered changes and no COMMIT/ABORT yet. */
  public int openTransactions() {
    return open.size();
  }

  /**
   * Drops the buffers of transactions that never finished (end of recovery). Their xids count as
   * used: their records stay in the WAL, and a later recovery from a redo point before them would
   * otherwise buffer them together with a new transaction given the same xid and apply the dead
   * transaction's changes at that one's COMMIT.
   */
  public void discardOpenTransactions() {
    for (TxnBuffer b : open) {
      mgr.recoveryNoteXid(b.xid);
      b.reset(0);
      free.add(b);
    }
    open.clear();
  }

  /**
   * Applies one record. Records of kinds storage does not own (checkpoints, switches, …) are
   * ignored. {@code body} is read from its position to its limit and not retained.
   */
  public void apply(RecordKind kind, Xid xid, Lsn start, Lsn end, ByteBuffer body) {
    try {
      switch (kind) {
        case INSERT, UPDATE, DELETE -> bufferChange(kind, xid.value(), start.value(), body);
        case TRUNCATE, CREATE_TABLE, DROP_TABLE, ALTER_TABLE, ROLE -> {
          TxnBuffer b = buffer(xid.value());
          if (!body.hasRemaining() || body.get(body.position()) != StorageRecords.VERSION) {
            throw new IllegalArgumentException("unknown storage record version");
          }
          int i = b.add(kind, start.value());
          b.raw[i] = copyRest(body);
          b.hasDdl = true;
        }
        case COMMIT -> commit(xid.value(), start.value(), end.value(), body);
        case ABORT -> {
          StorageRecords.readVersion(body);
          TxnBuffer b = take(xid.value());
          if (b != null) {
            release(b);
          }
          mgr.recoveryNoteXid(xid.value());
        }
        default -> {}
      }
    } catch (RedoException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RedoException(start, "malformed " + kind + " record: " + e.getMessage(), e);
    }
  }

  private void bufferChange(RecordKind kind, long xid, long lsn, ByteBuffer body) {
    TxnBuffer b = buffer(xid);
    int i = b.add(kind, lsn);
    if (b.hasDdl) {
      b.raw[i] = copyRest(body);
      return;
    }
    int pos = body.position();
    StorageRecords.readVersion(body);
    Table t = table(mgr.latestCatalog(), body.getInt());
    if (t == null) {
      // maybe created by a DDL record of this transaction we have not seen applied; decide at
      // commit
      body.position(pos);
      b.raw[i] = copyRest(body);
      return;
    }
    b.tables[i] = t;
    b.keys[i] = t.schema().readKey(body);
    b.rows[i] = kind == RecordKind.DELETE ? checkEmpty(body) : copyRest(body);
  }

  private static byte[] checkEmpty(ByteBuffer body) {
    if (body.hasRemaining()) {
      throw new IllegalArgumentException(body.remaining() + " trailing bytes in DELETE");
    }
    return null;
  }

  private Table table(Catalog c, int oid) {
    if (c == cachedCatalog && oid == cachedOid) {
      return cachedTable;
    }
    Table t = c.table(oid);
    cachedCatalog = c;
    cachedOid = oid;
    cachedTable = t;
    return t;
  }

  private static byte[] copyRest(ByteBuffer body) {
    byte[] b = new byte[body.remaining()];
    body.get(b);
    return b;
  }

  private TxnBuffer buffer(long xid) {
    for (int i = open.size() - 1; i >= 0; i--) {
      TxnBuffer b = open.get(i);
      if (b.xid == xid) {
        return b;
      }
    }
    TxnBuffer b = free.isEmpty() ? new TxnBuffer() : free.remove(free.size() - 1);
    b.reset(xid);
    open.add(b);
    return b;
  }

  private TxnBuffer take(long xid) {
    for (int i = open.size() - 1; i >= 0; i--) {
      TxnBuffer b = open.get(i);
      if (b.xid == xid) {
        open.remove(i);
        return b;
      }
    }
    return null;
  }

  private void release(TxnBuffer b) {
    b.reset(0);
    free.add(b);
  }

  private void commit(long xid, long start, long end, ByteBuffer body) {
    StorageRecords.readVersion(body);
    body.getLong(); // commit time: for logical decoding and recovery targets, not needed here
    mgr.recoveryNoteXid(xid);
    TxnBuffer b = take(xid);
    if (Long.compareUnsigned(end, skipThrough) <= 0) {
      if (b != null) {
        release(b);
      }
      lastCommit = end;
      return;
    }
    if (b != null) {
      try {
        applyCommitted(b, end);
      } finally {
        release(b);
      }
    }
    mgr.recoveryPublish(end);
    lastCommit = end;
  }

  private void applyCommitted(TxnBuffer b, long lsn) {
    Catalog.Builder cb = null;
    successions.clear();
    drops.clear();
    long oldest = mgr.recoveryOldestSnapshot();
    for (int i = 0; i < b.size; i++) {
      RecordKind kind = b.kinds[i];
      Lsn at = Lsn.of(b.lsns[i]);
      Table t = b.tables[i];
      Object key = b.keys[i];
      byte[] row = b.rows[i];
      byte[] raw = b.raw[i];
      if (raw != null) {
        ByteBuffer in = ByteBuffer.wrap(raw);
        try {
          StorageRecords.readVersion(in);
          switch (kind) {
            case INSERT, UPDATE, DELETE -> {
              int oid = in.getInt();
              t = cb != null ? cb.table(oid) : mgr.latestCatalog().table(oid);
              if (t == null) {
                throw new RedoException(
                    at, kind + " of table with OID " + oid + ", which does not exist", null);
              }
              key = t.schema().readKey(in);
              row = kind == RecordKind.DELETE ? checkEmpty(in) : copyRest(in);
            }
            default -> {
              if (cb == null) {
                cb = mgr.latestCatalog().toBuilder();
              }
              applyDdl(kind, in, cb, lsn, at);
              continue;
            }
          }
        } catch (RedoException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new RedoException(at, "malformed " + kind + " record: " + e.getMessage(), e);
        }
      } else if (cb != null && cb.table(t.oid()) != t) {
        throw new RedoException(at, "table " + t + " changed under a buffered change", null);
      }
      applyRow(t, key, row, lsn, oldest, kind, at);
    }
    if (cb != null) {
      mgr.recoveryInstallCatalog(cb, lsn);
      for (Table[] s : successions) {
        s[0].setSuccessor(s[1]);
      }
      for (Table d : drops) {
        d.markDropped();
      }
    }
  }

  private static void applyRow(
      Table t, Object key, byte[] row, long lsn, long oldest, RecordKind kind, Lsn at) {
    // One descent of the index per row: replay is single-threaded and this is its hot path.
    t.index()
        .upsert(
            key,
            head -> {
              if (kind == RecordKind.DELETE && (head == null || head.row == null)) {
                throw new RedoException(
                    at, "DELETE of a row that does not exist in " + t.name() + ": " + key, null);
              }
              // a second change of the key in one transaction replaces the first: no snapshot
              // can see the first
              RowVersion older = head != null && head.commitLsn() == lsn ? head.older() : head;
              if (older != null) {
                older.trim(oldest);
              }
              return new RowVersion(row, lsn, older);
            });
    if (!t.schema().hasPrimaryKey() && key instanceof Long id) {
      t.noteRowId(id);
    }
  }

  private void applyDdl(RecordKind kind, ByteBuffer in, Catalog.Builder cb, long lsn, Lsn at) {
    switch (kind) {
      case CREATE_TABLE -> {
        TableSchema s = CatalogCodec.readSchema(in);
        if (cb.table(s.oid()) != null || cb.table(s.name()) != null) {
          throw new RedoException(at, "CREATE TABLE of existing table " + s, null);
        }
        cb.putTable(new Table(s, 1));
      }
      case DROP_TABLE -> {
        Table t = existing(cb, in.getInt(), at, kind);
        cb.removeTable(t);
        drops.add(t);
      }
      case TRUNCATE -> {
        Table t = existing(cb, in.getInt(), at, kind);
        Table fresh = new Table(t.schema(), t.generation() + 1);
        cb.putTable(fresh);
        successions.add(new Table[] {t, fresh});
      }
      case ALTER_TABLE -> {
        StorageRecords.AlterTable a = StorageRecords.AlterTable.read(in);
        Table t = existing(cb, a.schema().oid(), at, kind);
        Table fresh = new Table(a.schema(), t.generation() + 1);
        TableRewriter.rewrite(t, fresh, a.columnMap(), a.fillRow(), null, lsn);
        cb.putTable(fresh);
        successions.add(new Table[] {t, fresh});
      }
      case ROLE -> {
        int op = in.get();
        if (op == StorageRecords.ROLE_PUT) {
          cb.putRole(CatalogCodec.readRole(in));
        } else if (op == StorageRecords.ROLE_DROP) {
          cb.removeRole(ByteSink.getString(in));
        } else {
          throw new IllegalArgumentException("bad role op " + op);
        }
      }
      default -> throw new IllegalStateException("not DDL: " + kind);
    }
  }

  private static Table existing(Catalog.Builder cb, int oid, Lsn at, RecordKind kind) {
    Table t = cb.table(oid);
    if (t == null) {
      throw new RedoException(
          at, kind + " of table with OID " + oid + ", which does not exist", null);
    }
    return t;
  }
}
