package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;
import org.walden.testing.FaultProxy;
import org.walden.wal.Lsn;
import org.walden.wal.WalSegmentName;

/**
 * Streaming under faults: a standby whose connection a proxy cuts again and again during a pgbench
 * run reconnects by itself and ends with exactly the primary's data; a standby that was stopped
 * while the primary archived and removed the WAL it needs gets it through {@code restore_command},
 * then streams.
 */
class StreamFaultIT {

  @TempDir Path tmp;

  static final Duration WAIT = Duration.ofSeconds(90);
  static final Path PGBENCH = Path.of("/usr/bin/pgbench");

  @Test
  void cutConnectionsUnderPgbenchLoad() throws Exception {
    assumeTrue(Files.isExecutable(PGBENCH), "pgbench is not installed");
    try (TestCluster c = TestCluster.create(tmp);
        FaultProxy proxy = FaultProxy.start(c.primaryPort)) {
      Path sdir =
          c.cloneStandby(
              "s1",
              Map.of(
                  "primary_conninfo",
                  TestCluster.conninfo("s1", proxy.port()),
                  "wal_retrieve_retry_interval",
                  "100ms"));
      Node p = c.startPrimary(Map.of());
      Node s = c.start(sdir, Map.of());
      assertThat(pgbench(c, "-i", "-s", "1").exitValue).isZero();
      Process load = start(c, "-n", "-c", "4", "-j", "2", "-t", "1500", "-M", "prepared").process;
      int cuts = 0;
      while (load.isAlive() && cuts < 5) {
        Lsn before = s.lastReceivedLsn().orElse(Lsn.INVALID);
        // wait until the standby has received something new over this connection, then cut it
        await()
            .atMost(WAIT)
            .until(() ->
                !load.isAlive() || s.lastReceivedLsn().map(l -> l.isAfter(before)).orElse(false));
        proxy.cut();
        cuts++;
      }
      assertThat(load.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(load.exitValue()).isZero();
      assertThat(cuts).isGreaterThanOrEqualTo(1);
      Lsn end = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s, end, WAIT);
      for (Node n : List.of(p, s)) {
        String a = TestCluster.query(n, "select sum(abalance) from pgbench_accounts");
        String b = TestCluster.query(n, "select sum(bbalance) from pgbench_branches");
        String t = TestCluster.query(n, "select sum(tbalance) from pgbench_tellers");
        String h = TestCluster.query(n, "select sum(delta) from pgbench_history");
        assertThat(List.of(a, b, t)).as("TPC-B invariant").containsOnly(h);
        assertThat(TestCluster.query(n, "select count(*) from pgbench_history")).isEqualTo("6000");
      }
      assertThat(StreamingIT.dumpOf(s, "select aid, abalance from pgbench_accounts order by aid"))
          .isEqualTo(
              StreamingIT.dumpOf(p, "select aid, abalance from pgbench_accounts order by aid"));
    }
  }

  @Test
  void standbyBehindRemovedWalRestoresFromArchiveThenStreams() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path archive = Files.createDirectories(tmp.resolve("archive"));
      Path restoreLog = tmp.resolve("restored.log");
      Path sdir =
          c.cloneStandby(
              "s1",
              Map.of(
                  "restore_command",
                  "echo %f >> " + restoreLog + " && cp " + archive + "/%f %p",
                  "wal_retrieve_retry_interval",
                  "100ms"));
      Node p =
          c.startPrimary(
              Map.of(
                  "archive_mode",
                  "on",
                  "archive_command",
                  "cp %p " + archive + "/%f",
                  "max_wal_size",
                  "4MB",
                  "min_wal_size",
                  "2MB",
                  "wal_keep_size",
                  "0"));
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      for (int batch = 0; batch < 30; batch++) {
        TestCluster.exec(
            p,
            "insert into t select g, g from generate_series("
                + (batch * 2000 + 1)
                + ", "
                + (batch + 1) * 2000
                + ") g");
      }
      p.checkpoint();
      p.checkpoint();
      // the first segment after the clone's checkpoint is archived and gone from the primary
      WalSegmentName first = p.identity().segmentSize().name(p.wal().timeline(), 1);
      await().atMost(WAIT).until(() -> Files.exists(archive.resolve(first.fileName())));
      p.checkpoint();
      assertThat(p.segments().pathOf(first)).doesNotExist();

      Node s = c.start(sdir, Map.of());
      TestCluster.exec(p, "insert into t values (1000000, 1)");
      Lsn end = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s, end, WAIT);
      assertThat(TestCluster.query(s, "select count(*) from t")).isEqualTo("60001");
      List<String> restored = Files.readAllLines(restoreLog, StandardCharsets.UTF_8);
      assertThat(restored).contains(first.fileName());
      // and the last row came by streaming: the primary never archived its segment
      assertThat(s.lastReceivedLsn()).isPresent();
    }
  }

  /**
   * {@code primary_conninfo} changed with ALTER SYSTEM on the standby takes effect on {@code
   * pg_reload_conf()}: the walreceiver restarts against the new address, as in PostgreSQL 15.
   */
  @Test
  void reloadWithANewPrimaryConninfoRestartsTheWalReceiver() throws Exception {
    try (TestCluster c = TestCluster.create(tmp);
        FaultProxy proxy = FaultProxy.start(c.primaryPort)) {
      Path sdir =
          c.cloneStandby(
              "s1",
              Map.of(
                  "primary_conninfo",
                  TestCluster.conninfo("viaproxy", proxy.port()),
                  "wal_retrieve_retry_interval",
                  "100ms"));
      Node p = c.startPrimary(Map.of());
      Node s = c.start(sdir, Map.of());
      await()
          .atMost(WAIT)
          .until(() ->
              "viaproxy"
                  .equals(
                      TestCluster.query(p, "select application_name from pg_stat_replication")));
      TestCluster.exec(s, "alter system set primary_conninfo = '" + c.conninfo("direct") + "'");
      assertThat(TestCluster.query(s, "select pg_reload_conf()")).isEqualTo("t");
      await()
          .atMost(WAIT)
          .until(() ->
              "direct"
                  .equals(
                      TestCluster.query(p, "select application_name from pg_stat_replication")));
      proxy.close(); // nothing goes through the old address any more
      TestCluster.exec(p, "create table t (id int primary key)");
      TestCluster.exec(p, "insert into t values (1)");
      Lsn end = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s, end, WAIT);
      assertThat(TestCluster.query(s, "select count(*) from t")).isEqualTo("1");
      assertThat(TestCluster.query(s, "select status from pg_stat_wal_receiver"))
          .isEqualTo("streaming");
    }
  }

  /**
   * A standby stopped while the primary writes a few segments' worth, then started again, catches
   * up by streaming from where its own WAL ends (the walsender sends whole 128 KiB chunks then).
   */
  @Test
  void restartedStandbyCatchesUpByStreaming() throws Exception {
    try (TestCluster c = TestCluster.create(tmp, 16);
        FaultProxy proxy = FaultProxy.start(c.primaryPort)) {
      Path sdir =
          c.cloneStandby(
              "s1",
              Map.of(
                  "primary_conninfo",
                  TestCluster.conninfo("s1", proxy.port()),
                  "wal_retrieve_retry_interval",
                  "100ms"));
      Node p = c.startPrimary(Map.of());
      Node s = c.start(sdir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 20000) g");
      Lsn first = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s, first, WAIT);
      s.close();
      for (int b = 1; b < 30; b++) {
        TestCluster.exec(
            p,
            "insert into t select g, g from generate_series("
                + (b * 20000 + 1)
                + ", "
                + (b + 1) * 20000
                + ") g");
      }
      Lsn end = p.wal().flushedUpto();
      Node s2 = c.start(sdir, Map.of("wal_retrieve_retry_interval", "100ms"));
      // cut the catch-up stream twice, in the middle of its 128 KiB chunks: replay, waiting
      // inside a record whose end has not arrived, must notice the walreceiver died and restart it
      for (int cut = 0; cut < 2; cut++) {
        Lsn before = s2.lastReceivedLsn().orElse(Lsn.INVALID);
        await()
            .atMost(WAIT)
            .until(() -> s2.lastReceivedLsn().map(l -> l.isAfter(before)).orElse(false));
        proxy.cut();
      }
      TestCluster.awaitReplayed(s2, end, WAIT);
      assertThat(TestCluster.query(s2, "select count(*) from t")).isEqualTo("600000");
    }
  }

  record Run(Process process, int exitValue) {}

  static Run pgbench(TestCluster c, String... args) throws IOException, InterruptedException {
    Run r = start(c, args);
    if (!r.process.waitFor(300, TimeUnit.SECONDS)) {
      r.process.destroyForcibly();
      throw new AssertionError("pgbench did not finish");
    }
    return new Run(r.process, r.process.exitValue());
  }

  static Run start(TestCluster c, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PGBENCH.toString());
    cmd.addAll(
        List.of(
            "-h", "127.0.0.1", "-p", Integer.toString(c.primaryPort), "-U", TestCluster.SUPERUSER));
    cmd.addAll(List.of(args));
    cmd.add("postgres");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(c.root.resolve("pgbench-" + System.nanoTime() + ".log").toFile());
    return new Run(pb.start(), -1);
  }
}
