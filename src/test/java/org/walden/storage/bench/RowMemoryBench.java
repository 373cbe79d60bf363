package org.walden.storage.bench;

import java.time.Clock;
import java.util.List;
import org.walden.storage.Fixture;
import org.walden.storage.TestWal;
import org.walden.storage.catalog.Column;
import org.walden.storage.table.Table;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.ColumnType;

/**
 * Heap bytes per stored pgbench_accounts-shaped row (int, int, int, char(84)): inserts N rows
 * through transactions, vacuums, and measures the retained heap after GC. Run: {@code java -cp
 * target/classes:target/test-classes org.walden.storage.bench.RowMemoryBench [rows]}.
 */
public final class RowMemoryBench {
  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    TestWal wal = new TestWal();
    wal.setKeepBodies(false);
    Fixture f = new Fixture(wal);
    Transaction ddl = f.rc();
    ddl.createTable(
        "pgbench_accounts",
        List.of(
            Column.notNull("aid", ColumnType.INTEGER),
            Column.of("bid", ColumnType.INTEGER),
            Column.of("abalance", ColumnType.INTEGER),
            Column.of("filler", ColumnType.bpchar(84))),
        new int[] {0});
    ddl.commit(SynchronousCommit.ON);
    long before = usedAfterGc();
    Table t = f.table("pgbench_accounts");
    for (int from = 0; from < rows; from += 10_000) {
      Transaction tx = f.rc();
      for (int i = from; i < Math.min(rows, from + 10_000); i++) {
        tx.insert(t, new Object[] {i + 1, 1 + i / 100_000, 0, ""});
      }
      tx.commit(SynchronousCommit.OFF);
    }
    f.mgr.vacuum();
    long after = usedAfterGc();
    System.out.printf(
        "rows=%d rowBytes=%d heapBytesPerRow=%.1f (index %s, clock %s)%n",
        rows,
        t.index().get(1L).row.length,
        (after - before) / (double) rows,
        t.index().getClass().getSimpleName(),
        Clock.systemUTC().instant());
    if (t.index().size() != rows) {
      throw new AssertionError("size " + t.index().size());
    }
  }

  static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
