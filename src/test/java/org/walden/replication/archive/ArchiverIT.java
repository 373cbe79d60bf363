package org.walden.replication.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.node.ShutdownMode;
import org.walden.storage.catalog.Column;
import org.walden.storage.table.Table;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.ColumnType;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/** A real node with 1 MiB segments archiving through {@code /bin/sh}. */
class ArchiverIT {

  static final WalSegmentSize SEG = new WalSegmentSize(1 << 20);

  @TempDir Path tmp;
  Path data;
  Path archive;
  Path pgWal;
  Path status;
  int nextId;

  @BeforeEach
  void setUp() throws Exception {
    data = tmp.resolve("data");
    archive = tmp.resolve("archive");
    Files.createDirectories(archive);
    Node.init(new InitOptions(data, SEG, "tester", "trust"));
    pgWal = data.resolve("pg_wal");
    status = pgWal.resolve("archive_status");
  }

  Node start(Map<String, String> settings) throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> all = new HashMap<>(settings);
    all.put("port", Integer.toString(port));
    return Node.start(new DataDirectory(data), all);
  }

  Map<String, String> archiving(String command) {
    return Map.of("archive_mode", "on", "archive_command", command);
  }

  static void createAccounts(Node n) {
    Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
    t.createTable(
        "accounts",
        List.of(Column.notNull("id", ColumnType.INTEGER), Column.of("bal", ColumnType.BIGINT)),
        new int[] {0});
    t.commit(SynchronousCommit.ON);
  }

  /** Commits rows until {@code count} more segments are complete; returns the first of them. */
  long completeSegments(Node n, int count) {
    long first = segNo(n);
    while (segNo(n) < first + count) {
      Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
      Table a = t.table("accounts");
      for (int i = 0; i < 2000; i++, nextId++) {
        t.insert(a, new Object[] {nextId, (long) nextId * 10});
      }
      t.commit(SynchronousCommit.ON);
    }
    return first;
  }

  static long segNo(Node n) {
    return SEG.segmentOf(n.wal().flushedUpto());
  }

  static String name(Node n, long segNo) {
    return new WalSegmentName(n.wal().timeline(), segNo, SEG).fileName();
  }

  void assertArchived(String name) throws Exception {
    assertThat(status.resolve(name + ".done")).exists();
    assertThat(status.resolve(name + ".ready")).doesNotExist();
    assertThat(Files.readAllBytes(archive.resolve(name)))
        .as("archived copy of %s", name)
        .isEqualTo(Files.readAllBytes(pgWal.resolve(name)));
  }

  @Test
  void completedSegments_areArchivedByteIdentical_andMarkedDone() throws Exception {
    try (Node node = start(archiving("cp %p " + archive + "/%f"))) {
      createAccounts(node);
      long first = completeSegments(node, 3);
      long current = segNo(node);

      for (long s = first; s < current; s++) {
        String n = name(node, s);
        await().until(() -> Files.exists(status.resolve(n + ".done")));
        assertArchived(n);
      }
      assertThat(status.resolve(name(node, current) + ".ready")).doesNotExist();
      assertThat(archive.resolve(name(node, current))).doesNotExist();
      ArchiverStats.Row row = node.archiver().orElseThrow().stats().row();
      assertThat(row.archivedCount()).isGreaterThanOrEqualTo(current - first);
      assertThat(row.failedCount()).isZero();
      assertThat(node.archiver().orElseThrow().oldestNeeded()).isEmpty();
    }
  }

  @Test
  void failingCommand_keepsReadyAndTheSegmentThroughCheckpoints_untilALaterSuccess()
      throws Exception {
    Path allow = tmp.resolve("allow");
    try (Node node = start(archiving("test -f " + allow + " && cp %p " + archive + "/%f"))) {
      createAccounts(node);
      long first = completeSegments(node, 2);
      String held = name(node, first);
      Archiver archiver = node.archiver().orElseThrow();
      await().until(() -> archiver.stats().row().failedCount() >= 3);
      assertThat(archiver.stats().row().lastFailedWal()).isEqualTo(held);

      // a checkpoint may not remove or recycle the unarchived segment
      node.checkpoint();
      assertThat(pgWal.resolve(held)).exists();
      assertThat(status.resolve(held + ".ready")).exists();
      assertThat(archiver.oldestNeeded()).contains(SEG.startOf(first));

      // the command works again; the next completed segment wakes the archiver
      Files.createFile(allow);
      completeSegments(node, 1);
      await().until(() -> archiver.oldestNeeded().isEmpty());
      assertArchived(held);
      assertArchived(name(node, first + 1));

      // now the checkpoint takes it, with its status file
      node.checkpoint();
      assertThat(pgWal.resolve(held)).doesNotExist();
      assertThat(status.resolve(held + ".done")).doesNotExist();
      assertThat(archive.resolve(held)).exists();
    }
  }

  @Test
  void segmentsWrittenWhileArchivingWasOff_areArchivedAfterRestartWithArchivingOn()
      throws Exception {
    long first;
    long current;
    // an immediate stop writes no shutdown checkpoint, so the old segments stay for recovery
    try (Node node = start(Map.of())) {
      createAccounts(node);
      first = completeSegments(node, 2);
      current = segNo(node);
      node.shutdown(ShutdownMode.IMMEDIATE);
    }
    assertThat(status).isEmptyDirectory();
    Path order = tmp.resolve("order");
    try (Node node = start(archiving("echo %f >> " + order + " && cp %p " + archive + "/%f"))) {
      String last = name(node, current - 1);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.exists(status.resolve(last + ".done")));
      for (long s = first; s < current; s++) {
        assertArchived(name(node, s));
      }
      List<String> archived = Files.readAllLines(order);
      assertThat(archived).isSorted().contains(name(node, first), last);
      // nothing at or after the segment being written (nor a recycled future one) was marked
      for (long s = current; s <= current + 8; s++) {
        assertThat(status.resolve(name(node, s) + ".ready")).doesNotExist();
        assertThat(status.resolve(name(node, s) + ".done")).doesNotExist();
      }
    }
  }

  @Test
  void shutdown_archivesWhatIsReadyBeforeTheNodeStops() throws Exception {
    Path allow = tmp.resolve("allow");
    long first;
    long current;
    try (Node node = start(archiving("test -f " + allow + " && cp %p " + archive + "/%f"))) {
      createAccounts(node);
      first = completeSegments(node, 2);
      current = segNo(node);
      Archiver archiver = node.archiver().orElseThrow();
      await().until(() -> archiver.stats().row().failedCount() >= 3);
      Files.createFile(allow); // nothing wakes the archiver now but the shutdown
    }
    for (long s = first; s < current; s++) {
      String n = new WalSegmentName(org.walden.wal.TimelineId.FIRST, s, SEG).fileName();
      assertThat(status.resolve(n + ".done")).as(n).exists();
      assertThat(archive.resolve(n)).exists();
    }
  }

  @Test
  void archiveTimeout_forcesASwitch_soAnIdleNodesWalIsArchived() throws Exception {
    Map<String, String> settings = new HashMap<>(archiving("cp %p " + archive + "/%f"));
    settings.put("archive_timeout", "1");
    try (Node node = start(settings)) {
      long seg = segNo(node);
      createAccounts(node); // a little WAL in the current segment, then nothing

      String n = name(node, seg);
      await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(status.resolve(n + ".done")));
      assertArchived(n);
    }
  }
}
