package org.walden.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.FaultyFileIo;
import org.walden.fs.FaultyFileIo.Times;
import org.walden.fs.FileIo;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.Column;
import org.walden.storage.table.Table;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.RowCursor;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.ColumnType;
import org.walden.wal.WalFailedException;
import org.walden.wal.WalSegmentSize;

/**
 * The WAL's failure contract, end to end through a node: a failed WAL write (full disk) or fsync
 * fails the committing transaction, is never retried, stops the node with exit code 2, and after a
 * restart every acknowledged commit is there and the failed one is all or nothing.
 *
 * <p>Each transaction inserts {@link #ROWS_PER_TXN} padded rows (several WAL pages), so a short
 * write can cut a transaction's records in the middle; recovery must then drop all of it.
 */
class WalFaultIT {

  private static final int ROWS_PER_TXN = 40;
  private static final String PAD = "x".repeat(300);
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;

  private DataDirectory init() throws Exception {
    Path d = tmp.resolve("data");
    Node.init(new InitOptions(d, new WalSegmentSize(1 << 20), "tester", "trust"));
    return new DataDirectory(d);
  }

  private static String walSegments(DataDirectory d) {
    return d.wal().toAbsolutePath().normalize() + "/0000*";
  }

  @Test
  void diskFullDuringWalWrite_failsTheCommit_stopsTheNode_andRecoveryKeepsAcknowledged()
      throws Exception {
    long seed = Long.getLong("walden.walfault.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int attempt = 0; attempt < 3; attempt++) {
      long limit = random.nextInt(60_000);
      String where = "seed " + seed + ", attempt " + attempt + ", limit " + limit;
      System.out.println("WalFaultIT disk full: " + where);
      diskFullOnce(tmp.resolve("a" + attempt), limit, where);
    }
  }

  private void diskFullOnce(Path root, long limit, String where) throws Exception {
    Node.init(new InitOptions(root, new WalSegmentSize(1 << 20), "tester", "trust"));
    DataDirectory d = new DataDirectory(root);
    FaultyFileIo io = new FaultyFileIo(FileIo.nio());
    Node node = Node.start(d, Map.of("port", freePort()), io, Clock.systemUTC());
    List<Integer> acked = new ArrayList<>();
    int failedTxn;
    try {
      createTable(node);
      for (int i = 0; i < 3; i++) {
        insertTxn(node, i);
        acked.add(i);
      }
      io.failWritesAfter(walSegments(d), limit, Times.ALWAYS);
      failedTxn = -1;
      for (int i = 3; i < 10_000 && failedTxn < 0; i++) {
        try {
          insertTxn(node, i);
          acked.add(i);
        } catch (WalFailedException | StorageException e) {
          assertWalFailure(e, where);
          failedTxn = i;
        }
      }
      assertThat(failedTxn).as("a commit failed (%s)", where).isPositive();
      int after = failedTxn + 1;
      assertThatThrownBy(() -> insertTxn(node, after))
          .as("a commit after the failure (%s)", where)
          .satisfies(e -> assertWalFailure(e, where));
      await().atMost(STOP_WAIT).until(node::isTerminated);
      assertThat(node.exitCode()).as("exit code (%s)", where).isEqualTo(2);
    } finally {
      node.shutdown(ShutdownMode.IMMEDIATE);
    }
    io.disarm();
    try (Node again = Node.start(d, Map.of("port", freePort()), io, Clock.systemUTC())) {
      assertRecovered(again, acked, failedTxn, where);
      insertTxn(again, 20_000);
    }
  }

  @Test
  void walFsyncFailsOnce_failsTheCommit_isNotRetried_andStopsTheNode() throws Exception {
    DataDirectory d = init();
    FaultyFileIo io = new FaultyFileIo(FileIo.nio());
    Node node = Node.start(d, Map.of("port", freePort()), io, Clock.systemUTC());
    List<Integer> acked = new ArrayList<>();
    String glob = walSegments(d);
    int forcesAtFailure;
    try {
      createTable(node);
      for (int i = 0; i < 3; i++) {
        insertTxn(node, i);
        acked.add(i);
      }
      io.clearForceLog();
      io.failForce(glob, Times.ONCE);
      assertThatThrownBy(() -> insertTxn(node, 3)).satisfies(e -> assertWalFailure(e, "fsync"));
      forcesAtFailure = io.forceCount(glob);
      assertThat(forcesAtFailure).as("the failing fsync was asked for").isEqualTo(1);
      // The fault disarmed itself: a retried fsync would now succeed and hide the failure.
      assertThatThrownBy(() -> insertTxn(node, 4)).satisfies(e -> assertWalFailure(e, "fsync"));
      await().atMost(STOP_WAIT).until(node::isTerminated);
      assertThat(node.exitCode()).isEqualTo(2);
      assertThatThrownBy(() -> insertTxn(node, 5)).satisfies(e -> assertWalFailure(e, "fsync"));
      assertThat(io.forceCount(glob)).as("WAL fsyncs after the failed one").isEqualTo(1);
    } finally {
      node.shutdown(ShutdownMode.IMMEDIATE);
    }
    try (Node again = Node.start(d, Map.of("port", freePort()), io, Clock.systemUTC())) {
      assertRecovered(again, acked, 3, "fsync");
    }
  }

  private static void assertWalFailure(Throwable e, String where) {
    Throwable c = e;
    while (c != null && !(c instanceof WalFailedException)) {
      c = c.getCause();
    }
    assertThat(c).as("a WalFailedException in %s (%s)", e, where).isNotNull();
  }

  private static void createTable(Node n) {
    Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
    t.createTable(
        "t",
        List.of(
            Column.notNull("id", ColumnType.INTEGER),
            Column.of("txn", ColumnType.INTEGER),
            Column.of("pad", ColumnType.TEXT)),
        new int[] {0});
    t.commit(SynchronousCommit.ON);
  }

  /** One transaction of ROWS_PER_TXN rows tagged {@code txn}; returns only once acknowledged. */
  private static void insertTxn(Node n, int txn) {
    Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
    Table table = t.table("t");
    for (int i = 0; i < ROWS_PER_TXN; i++) {
      t.insert(table, new Object[] {txn * ROWS_PER_TXN + i, txn, PAD});
    }
    t.commit(SynchronousCommit.ON);
  }

  private static void assertRecovered(Node n, List<Integer> acked, int failedTxn, String where) {
    Transaction t = n.transactions().begin(IsolationLevel.REPEATABLE_READ, 1);
    Table table = t.table("t");
    TreeMap<Integer, Integer> rowsPerTxn = new TreeMap<>();
    RowCursor c = t.scan(table);
    while (c.next()) {
      rowsPerTxn.merge((Integer) table.schema().rowCodec().get(c.row(), 1), 1, Integer::sum);
    }
    t.rollback();
    for (int txn : acked) {
      assertThat(rowsPerTxn.get(txn))
          .as("acknowledged txn %d (%s)", txn, where)
          .isEqualTo(ROWS_PER_TXN);
    }
    // A commit that failed may or may not have reached the disk whole; never in part.
    assertThat(rowsPerTxn.getOrDefault(failedTxn, ROWS_PER_TXN))
        .as("failed txn %d (%s)", failedTxn, where)
        .isEqualTo(ROWS_PER_TXN);
    assertThat(rowsPerTxn.keySet())
        .as("nothing after the failed txn (%s)", where)
        .allMatch(k -> k <= failedTxn);
  }

  /** A loopback port free right now: the embedded node's listener must not collide with others. */
  static String freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return Integer.toString(s.getLocalPort());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
