package org.walden.storage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.storage.Fixture;
import org.walden.storage.TestWal;
import org.walden.storage.catalog.Column;
import org.walden.storage.snapshot.SnapshotLoad;
import org.walden.storage.snapshot.SnapshotReader;
import org.walden.storage.snapshot.SnapshotWriter;
import org.walden.storage.table.Table;
import org.walden.storage.txn.CheckpointPoint;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.ColumnType;

/**
 * Writes and loads a checkpoint snapshot of N accounts-shaped rows (default 5M) in a temporary
 * directory and prints the times. Run: {@code java -Xmx8g -cp target/classes:target/test-classes
 * org.walden.storage.bench.SnapshotBench [rows]}.
 */
public final class SnapshotBench {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    TestWal wal = new TestWal();
    wal.setKeepBodies(false);
    Fixture f = new Fixture(wal);
    Transaction ddl = f.rc();
    Table t =
        ddl.createTable(
            "pgbench_accounts",
            List.of(
                Column.notNull("aid", ColumnType.INTEGER),
                Column.of("bid", ColumnType.INTEGER),
                Column.of("abalance", ColumnType.INTEGER),
                Column.of("filler", ColumnType.bpchar(84))),
            new int[] {0});
    ddl.commit(SynchronousCommit.ON);
    for (int from = 0; from < rows; from += 50_000) {
      Transaction tx = f.rc();
      for (int i = from; i < Math.min(rows, from + 50_000); i++) {
        tx.insert(t, new Object[] {i + 1, 1, 0, ""});
      }
      tx.commit(SynchronousCommit.OFF);
    }
    Path dir = Files.createTempDirectory("walden-snapbench");
    Path file = dir.resolve("snapshot");
    try {
      long t0 = System.nanoTime();
      SnapshotWriter.Written w;
      try (CheckpointPoint p = f.mgr.checkpointPoint()) {
        w = SnapshotWriter.write(f.mgr, p, file, new DurableFiles(FileIo.nio()));
      }
      double ws = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      SnapshotLoad l = SnapshotReader.load(file, FileIo.nio());
      double ls = (System.nanoTime() - t1) / 1e9;
      if (!(l instanceof SnapshotLoad.Loaded loaded) || loaded.rows() != rows) {
        throw new AssertionError(l);
      }
      System.out.printf(
          "rows=%d file=%.1f MB write=%.2f s (%.0f MB/s) load=%.2f s (%.0f MB/s)%n",
          rows, w.bytes() / 1e6, ws, w.bytes() / 1e6 / ws, ls, w.bytes() / 1e6 / ls);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }
}
