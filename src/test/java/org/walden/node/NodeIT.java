package org.walden.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.storage.catalog.Column;
import org.walden.storage.table.Table;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.RowCursor;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.ColumnType;
import org.walden.wal.WalSegmentSize;

class NodeIT {

  @TempDir Path tmp;

  DataDirectory init() throws Exception {
    Path d = tmp.resolve("data");
    Node.init(new InitOptions(d, new WalSegmentSize(1 << 20), "tester", "trust"));
    return new DataDirectory(d);
  }

  /** Starts on a free port: every node now listens for clients. */
  static Node start(DataDirectory d) throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return Node.start(d, Map.of("port", Integer.toString(port)));
  }

  static void createAccounts(Node n) {
    Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
    t.createTable(
        "accounts",
        List.of(Column.notNull("id", ColumnType.INTEGER), Column.of("bal", ColumnType.BIGINT)),
        new int[] {0});
    t.commit(SynchronousCommit.ON);
  }

  static void insertRange(Node n, int from, int to) {
    Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
    Table a = t.table("accounts");
    for (int i = from; i < to; i++) {
      t.insert(a, new Object[] {i, (long) i * 10});
    }
    t.commit(SynchronousCommit.ON);
  }

  static long sum(Node n) {
    Transaction t = n.transactions().begin(IsolationLevel.REPEATABLE_READ, 1);
    Table a = t.table("accounts");
    RowCursor c = t.scan(a);
    long s = 0;
    while (c.next()) {
      s += (Long) a.schema().rowCodec().get(c.row(), 1);
    }
    t.rollback();
    return s;
  }

  static long expectedSum(int n) {
    return 10L * n * (n - 1) / 2;
  }

  /**
   * wal_keep_size larger than all the WAL written so far keeps every segment through checkpoints
   * (it once answered "nothing needed" then, and checkpoints removed what a standby still needed).
   */
  @Test
  void walKeepSize_largerThanTheWalWritten_keepsEverySegment() throws Exception {
    DataDirectory d = init();
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (Node n =
        Node.start(
            d,
            Map.of(
                "port",
                Integer.toString(port),
                "wal_keep_size",
                "64MB",
                "max_wal_size",
                "2MB",
                "min_wal_size",
                "2MB"))) {
      createAccounts(n);
      for (int b = 0; b < 10; b++) {
        insertRange(n, b * 5000, (b + 1) * 5000);
        n.checkpoint();
      }
      assertThat(n.wal().insertPosition().value()).isGreaterThan(3L << 20);
      assertThat(d.wal().resolve("000000010000000000000001")).exists();
    }
  }

  @Test
  void cleanShutdown_restartSeesEverything() throws Exception {
    DataDirectory d = init();
    try (Node n = start(d)) {
      createAccounts(n);
      insertRange(n, 0, 1000);
    }
    try (Node n = start(d)) {
      assertThat(sum(n)).isEqualTo(expectedSum(1000));
      assertThat(n.controlData().state().name()).isEqualTo("IN_PRODUCTION");
    }
  }

  @Test
  void immediateShutdown_recoversFromWal() throws Exception {
    DataDirectory d = init();
    Node n = start(d);
    createAccounts(n);
    insertRange(n, 0, 500);
    n.checkpoint();
    insertRange(n, 500, 2000);
    n.shutdown(ShutdownMode.IMMEDIATE);
    try (Node again = start(d)) {
      assertThat(sum(again)).isEqualTo(expectedSum(2000));
      insertRange(again, 2000, 2100);
      assertThat(sum(again)).isEqualTo(expectedSum(2100));
    }
    try (Node third = start(d)) {
      assertThat(sum(third)).isEqualTo(expectedSum(2100));
    }
  }

  @Test
  void uncommittedWork_isGoneAfterRecovery() throws Exception {
    DataDirectory d = init();
    Node n = start(d);
    createAccounts(n);
    insertRange(n, 0, 10);
    Transaction open = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
    open.insert(open.table("accounts"), new Object[] {999, 5L});
    n.wal().waitForFlush(n.wal().insertPosition());
    n.shutdown(ShutdownMode.IMMEDIATE);
    try (Node again = start(d)) {
      assertThat(sum(again)).isEqualTo(expectedSum(10));
    }
  }

  @Test
  void secondServerOnSameDirectory_isRefused() throws Exception {
    DataDirectory d = init();
    try (Node n = start(d)) {
      assertThatThrownBy(() -> start(d))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("postmaster.pid");
    }
  }

  @Test
  void corruptControlFile_isRefusedWithItsName() throws Exception {
    DataDirectory d = init();
    try (FileChannel ch = FileChannel.open(d.controlFile(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x42}), 20);
    }
    assertThatThrownBy(() -> start(d))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("global/control")
        .hasMessageContaining("corrupt");
  }

  @Test
  void missingCheckpointSegment_isRefusedNamingTheFile() throws Exception {
    DataDirectory d = init();
    Files.delete(d.wal().resolve("000000010000000000000001"));
    assertThatThrownBy(() -> start(d))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("could not locate a valid checkpoint record")
        .satisfies(
            e -> assertThat(((StartupException) e).hint()).contains("000000010000000000000001"));
  }

  @Test
  void notADataDirectory_isRefused() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> start(new DataDirectory(empty)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("WALDEN_VERSION");
    Files.writeString(empty.resolve("PG_VERSION"), "15\n");
    assertThatThrownBy(() -> start(new DataDirectory(empty)))
        .hasMessageContaining("PostgreSQL data directory");
  }

  @Test
  void otherFormatVersion_isRefused() throws Exception {
    DataDirectory d = init();
    Files.writeString(d.versionFile(), "99\n");
    assertThatThrownBy(() -> start(d)).hasMessageContaining("incompatible");
  }

  @Test
  void groupWritablePermissions_areRefused() throws Exception {
    DataDirectory d = init();
    Files.setPosixFilePermissions(d.root(), PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> start(d)).hasMessageContaining("invalid permissions");
  }

  @Test
  void badSetting_isRefusedNamingIt() throws Exception {
    DataDirectory d = init();
    Files.writeString(d.conf(), "max_wal_size = 'lots'\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> start(d))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("max_wal_size");
  }

  @Test
  void initWithPasswordAuthButNoPassword_isRefused() throws Exception {
    Path d = tmp.resolve("pw");
    assertThatThrownBy(
            () -> Node.init(new InitOptions(d, WalSegmentSize.DEFAULT, "x", "scram-sha-256")))
        .hasMessageContaining("must specify a password");
    Node.init(new InitOptions(d, new WalSegmentSize(1 << 20), "x", "scram-sha-256", "secret"));
    assertThat(Files.readString(d.resolve("hba.conf"))).contains("scram-sha-256");
  }

  @Test
  void initTwice_isRefused() throws Exception {
    DataDirectory d = init();
    assertThatThrownBy(
            () -> Node.init(new InitOptions(d.root(), WalSegmentSize.DEFAULT, "x", "trust")))
        .hasMessageContaining("exists but is not empty");
  }
}
