package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.cli.Main;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.replication.ReplicationClient.Stream;
import org.walden.replication.slot.ReplicationSlots;
import org.walden.replication.slot.SlotState;
import org.walden.wal.Lsn;
import org.walden.wal.WalSegmentSize;

/** A slot survives a kill -9 of its primary (a child JVM) with the position last written. */
class ReplicationSlotCrashIT {
  @TempDir Path tmp;

  private static Process startChild(Path dir, int port, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of("start", "-D", dir.toString(), "-c", "port=" + port, "-c", "max_wal_size=2MB"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static boolean accepting(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void writeRows(int port, int rows) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", Primary.USER);
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
        Statement s = c.createStatement()) {
      s.execute("create table if not exists t (id int, v text)");
      for (int i = 0; i < rows / 100; i++) {
        s.execute(
            "insert into t select g, '" + "x".repeat(1000) + "' from generate_series(1, 100) g");
      }
    }
  }

  private static Lsn flushed(ReplicationClient c) throws Exception {
    return Lsn.parse(c.query("IDENTIFY_SYSTEM").rows().get(0).get(2));
  }

  private static void confirm(ReplicationClient c, Lsn flush) throws Exception {
    c.statusUpdate(flush, flush, Lsn.INVALID, true);
    while (!(c.readStream() instanceof Stream.Keepalive k && !k.replyRequested())) {
      // XLogData before the answer
    }
  }

  @Test
  void aSlotSurvivesKill9WithItsLastWrittenPosition_andItsWal() throws Exception {
    Path dir = tmp.resolve("primary");
    Node.init(new InitOptions(dir, new WalSegmentSize(Primary.SEGMENT), Primary.USER, "trust"));
    int port = Primary.freePort();
    Path log = tmp.resolve("child.log");
    DurableFiles durable = new DurableFiles(FileIo.nio());
    Path slots = dir.resolve("pg_replslot");
    Process child = startChild(dir, port, log);
    Lsn checkpointed;
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !child.isAlive() || accepting(port));
      assertThat(child.isAlive()).as("child primary (see %s)", log).isTrue();
      try (ReplicationClient c = ReplicationClient.connect(port, "crash")) {
        assertThat(c.query("CREATE_REPLICATION_SLOT k1 PHYSICAL ( RESERVE_WAL )").error()).isNull();
        Lsn reserved = Lsn.parse(c.query("READ_REPLICATION_SLOT k1").rows().get(0).get(1));
        assertThat(ReplicationSlots.readStateFile(slots, "k1", durable).orElseThrow().restartLsn())
            .as("written at creation")
            .isEqualTo(reserved);
        writeRows(port, 300);
        Lsn x = flushed(c);
        checkpointed = x;
        Lsn start = new WalSegmentSize(Primary.SEGMENT).segmentStart(reserved);
        c.startReplication("START_REPLICATION SLOT k1 PHYSICAL " + start);
        confirm(c, x);
        // enough WAL for max_wal_size to trigger checkpoints, which write the slot
        writeRows(port, 3000);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() ->
                ReplicationSlots.readStateFile(slots, "k1", durable)
                    .map(s -> s.restartLsn().equals(x))
                    .orElse(false));
        confirm(c, x.plus(4096)); // in memory only, until the next checkpoint
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    Optional<SlotState> onDisk = ReplicationSlots.readStateFile(slots, "k1", durable);
    assertThat(onDisk).isPresent();
    assertThat(onDisk.get().restartLsn())
        .as("at least the position a checkpoint wrote")
        .isGreaterThanOrEqualTo(checkpointed);
    try (Node again =
        Node.start(new DataDirectory(dir), Map.of("port", Integer.toString(Primary.freePort())))) {
      Lsn restored = again.slots().row("k1").orElseThrow().restartLsn();
      assertThat(restored).isEqualTo(onDisk.get().restartLsn());
      long segNo = again.identity().segmentSize().segmentOf(restored);
      assertThat(again.segments().exists(again.wal().timeline(), segNo))
          .as("the WAL the restored slot points at is there")
          .isTrue();
    }
  }
}
