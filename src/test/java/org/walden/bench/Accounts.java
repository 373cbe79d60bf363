package org.walden.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.node.StartupException;
import org.walden.storage.catalog.Column;
import org.walden.storage.table.Table;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.WriteOutcome;
import org.walden.storage.type.ColumnType;
import org.walden.wal.WalSegmentSize;

/**
 * The storage benches' shared fixture: a data directory holding a table shaped like pgbench's
 * {@code pgbench_accounts} ({@code aid int primary key, bid int, abalance int, filler char(84)}),
 * loaded through the embedded API. Not a test.
 */
final class Accounts {

  static final String TABLE = "pgbench_accounts";

  /** pgbench fills {@code filler} with blanks. */
  static final String FILLER = " ".repeat(84);

  /** Settings that keep the checkpointer out of a measurement. */
  static final Map<String, String> NO_CHECKPOINTS =
      Map.of("max_wal_size", "100GB", "checkpoint_timeout", "1d");

  private Accounts() {}

  /** Deletes {@code dir} if present and initialises a fresh data directory there. */
  static DataDirectory freshDataDirectory(Path dir) throws IOException, StartupException {
    deleteTree(dir);
    Node.init(new InitOptions(dir, WalSegmentSize.DEFAULT, "bench", "trust"));
    return new DataDirectory(dir);
  }

  static Node start(DataDirectory dir, Map<String, String> extra) throws StartupException {
    Map<String, String> s = new HashMap<>(NO_CHECKPOINTS);
    s.putAll(extra);
    return Node.start(dir, s);
  }

  static void createTable(Node n) {
    Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
    t.createTable(
        TABLE,
        List.of(
            Column.notNull("aid", ColumnType.INTEGER),
            Column.of("bid", ColumnType.INTEGER),
            Column.of("abalance", ColumnType.INTEGER),
            Column.of("filler", ColumnType.bpchar(84))),
        new int[] {0});
    t.commit(SynchronousCommit.ON);
  }

  /**
   * Inserts aids {@code 1..rows} in transactions of {@code batch} rows (synchronous_commit off).
   */
  static void load(Node n, int rows, int batch) {
    for (int from = 1; from <= rows; from += batch) {
      Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
      Table a = t.table(TABLE);
      int to = Math.min(rows, from + batch - 1);
      for (int aid = from; aid <= to; aid++) {
        t.insert(a, row(aid, 0));
      }
      t.commit(SynchronousCommit.OFF);
    }
  }

  static Object[] row(int aid, int abalance) {
    // pgbench: bid = (aid - 1) / 100000 + 1
    return new Object[] {aid, (aid - 1) / 100_000 + 1, abalance, FILLER};
  }

  /**
   * pgbench's {@code UPDATE pgbench_accounts SET abalance = abalance + delta WHERE aid = ?} as one
   * transaction: read, update based on the row read, commit. Returns false if a concurrent writer
   * won the race (READ COMMITTED re-check), in which case the transaction rolled back and the
   * caller simply counts nothing.
   */
  static boolean updateOne(Node n, int aid, int delta, SynchronousCommit sync) {
    Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
    Table a = t.table(TABLE);
    byte[] row = t.get(a, aid);
    while (true) {
      int bal = (Integer) a.schema().rowCodec().get(row, 2);
      WriteOutcome o = t.update(a, aid, row(aid, bal + delta), row);
      if (o.kind() == WriteOutcome.Kind.DONE) {
        break;
      }
      if (o.kind() == WriteOutcome.Kind.NOT_FOUND) {
        t.rollback();
        return false;
      }
      row = o.row(); // EvalPlanQual: recompute from the newest committed image
    }
    t.commit(sync);
    return true;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Bytes in the files under {@code dir} (recursively). */
  static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      long sum = 0;
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        sum += Files.size(p);
      }
      return sum;
    }
  }
}
