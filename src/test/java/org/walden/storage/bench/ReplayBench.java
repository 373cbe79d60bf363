package org.walden.storage.bench;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.walden.storage.catalog.Catalog;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.record.StorageRecords;
import org.walden.storage.redo.Redo;
import org.walden.storage.table.RowVersion;
import org.walden.storage.table.Table;
import org.walden.storage.txn.TransactionManager;
import org.walden.storage.type.ByteSink;
import org.walden.storage.type.ColumnType;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.Xid;

/**
 * Redo throughput for single-row update transactions (UPDATE + COMMIT) on a table of N rows
 * (default 5M accounts-shaped rows): the WAL is pre-generated in memory, then replayed through
 * {@link Redo#apply}. WAL bytes are counted as 24-byte record headers plus bodies, 8-aligned. Run:
 * {@code java -Xmx6g -cp target/classes:target/test-classes org.walden.storage.bench.ReplayBench
 * [rows] [transactions]}.
 */
public final class ReplayBench {
  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    int txns = args.length > 1 ? Integer.parseInt(args[1]) : 3_000_000;
    long start = 0x1000;
    TableSchema schema =
        new TableSchema(
            Catalog.FIRST_USER_OID,
            "pgbench_accounts",
            List.of(
                Column.notNull("aid", ColumnType.INTEGER),
                Column.of("bid", ColumnType.INTEGER),
                Column.of("abalance", ColumnType.INTEGER),
                Column.of("filler", ColumnType.bpchar(84))),
            new int[] {0});
    Table table = new Table(schema, 1);
    Catalog.Builder b = Catalog.empty(start).toBuilder();
    b.putTable(table);
    long t0 = System.nanoTime();
    for (int i = 1; i <= rows; i++) {
      table
          .index()
          .putIfAbsent(
              (long) i, new RowVersion(schema.encodeRow(new Object[] {i, 1, 0, ""}), start, null));
    }
    System.out.printf("loaded %d rows in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
    TransactionManager mgr =
        new TransactionManager(
            null, b.build(start, null), Lsn.of(start), Xid.of(1), Clock.systemUTC());
    mgr.setInRecovery(true);

    // pre-generate WAL: bodies in one arena, (kind, xid, offset, length) per record
    Random rnd = new Random(42);
    ByteSink arena = new ByteSink(txns * 130);
    ByteSink body = new ByteSink(256);
    int n = txns * 2;
    int[] off = new int[n];
    int[] len = new int[n];
    long walBytes = 0;
    for (int i = 0; i < txns; i++) {
      int aid = 1 + rnd.nextInt(rows);
      StorageRecords.change(
          body,
          schema,
          (long) aid,
          schema.encodeRow(new Object[] {aid, 1, rnd.nextInt(10000), ""}));
      off[2 * i] = arena.length();
      len[2 * i] = body.length();
      arena.putBytes(body.array(), 0, body.length());
      StorageRecords.commit(body, 0);
      off[2 * i + 1] = arena.length();
      len[2 * i + 1] = body.length();
      arena.putBytes(body.array(), 0, body.length());
    }
    byte[] wal = arena.array();
    Redo redo = new Redo(mgr, Lsn.INVALID);
    Xid[] xids = new Xid[txns];
    for (int i = 0; i < txns; i++) {
      xids[i] = Xid.of(i + 1);
    }
    for (int round = 0; round < 2; round++) {
      ByteBuffer view = ByteBuffer.wrap(wal);
      long lsn = start + (round + 1) * 100_000_000_000L;
      walBytes = 0;
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int recLen = 24 + len[i];
        long end = lsn + recLen;
        view.limit(off[i] + len[i]).position(off[i]);
        redo.apply(
            (i & 1) == 0 ? RecordKind.UPDATE : RecordKind.COMMIT,
            xids[i >>> 1],
            Lsn.of(lsn),
            Lsn.of(end),
            view);
        lsn = (end + 7) & ~7L;
        walBytes += ((recLen + 7) & ~7);
      }
      double secs = (System.nanoTime() - t1) / 1e9;
      System.out.printf(
          "round %d: replayed %d transactions, %.1f MB of WAL in %.2f s: %.0f MB/s, %.0f txn/s%n",
          round, txns, walBytes / 1e6, secs, walBytes / 1e6 / secs, txns / secs);
    }
  }
}
