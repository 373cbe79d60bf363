package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import org.walden.node.RunningServer;
import org.walden.node.ShutdownMode;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * Failover under real pgbench load: the primary dies (immediate shutdown) in the middle of a run;
 * the standby that received the most is promoted through the {@code promote} signal file (what
 * {@code walden promote} writes); pgbench runs against it at once; the other standby, re-pointed
 * with {@code primary_conninfo} and a reload, follows it onto timeline 2 without a rebuild; the
 * TPC-B invariant (every balance sum equals the history's delta sum) holds on both and their
 * contents are equal.
 */
class PromotionUnderLoadIT {

  @TempDir Path tmp;

  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void failoverUnderPgbench() throws Exception {
    assumeTrue(Files.isExecutable(StreamFaultIT.PGBENCH), "pgbench is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Map<String, String> fast = Map.of("wal_retrieve_retry_interval", "100ms");
      Path adir = c.cloneStandby("a", fast);
      Path bdir = c.cloneStandby("b", fast);
      Node p = c.startPrimary(Map.of());
      Node a = c.start(adir, Map.of());
      Node b = c.start(bdir, Map.of());
      assertThat(StreamFaultIT.pgbench(c, "-i", "-s", "1").exitValue()).isZero();
      Process load = pgbench(c.root, c.primaryPort, "-n", "-c", "4", "-j", "2", "-T", "60");
      try {
        Lsn mark = p.wal().flushedUpto().plus(2L << 20);
        await().atMost(WAIT).until(() -> p.wal().flushedUpto().isAfter(mark));
        for (Node s : List.of(a, b)) {
          await()
              .atMost(WAIT)
              .until(() -> s.lastReceivedLsn().map(l -> l.isAfter(mark)).orElse(false));
        }
        p.shutdown(ShutdownMode.IMMEDIATE); // the primary dies mid-run
      } finally {
        load.waitFor(60, TimeUnit.SECONDS);
        load.destroyForcibly();
      }
      // promote the one that received more, as an operator would: the other can then follow
      Node first = received(a).isAtOrAfter(received(b)) ? a : b;
      Node second = first == a ? b : a;
      Path firstDir = first == a ? adir : bdir;
      assertThat(RunningServer.find(firstDir)).isPresent();
      assertThat(RunningServer.find(firstDir).get().promote(WAIT)).isTrue();
      assertThat(first.isStandby()).isFalse();
      assertThat(first.currentTimeline()).isEqualTo(new TimelineId(2));
      assertThat(firstDir.resolve("promote")).doesNotExist();

      // pgbench against the promoted standby at once
      Process load2 = pgbench(c.root, first.port(), "-n", "-c", "4", "-j", "2", "-t", "300");
      TestCluster.exec(
          second,
          "alter system set primary_conninfo = '"
              + TestCluster.conninfo("second", first.port())
              + "'");
      TestCluster.query(second, "select pg_reload_conf()");
      assertThat(load2.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(load2.exitValue()).isZero();
      Lsn end = first.wal().flushedUpto();
      TestCluster.awaitReplayed(second, end, WAIT);
      assertThat(second.currentTimeline()).isEqualTo(new TimelineId(2));
      for (Node n : List.of(first, second)) {
        String ab = TestCluster.query(n, "select sum(abalance) from pgbench_accounts");
        String bb = TestCluster.query(n, "select sum(bbalance) from pgbench_branches");
        String tb = TestCluster.query(n, "select sum(tbalance) from pgbench_tellers");
        String h = TestCluster.query(n, "select sum(delta) from pgbench_history");
        assertThat(List.of(ab, bb, tb)).as("TPC-B invariant").containsOnly(h);
      }
      assertThat(Long.parseLong(TestCluster.query(second, "select count(*) from pgbench_history")))
          .isGreaterThanOrEqualTo(1200);
      assertThat(
              StreamingIT.dumpOf(second, "select aid, abalance from pgbench_accounts order by aid"))
          .isEqualTo(
              StreamingIT.dumpOf(first, "select aid, abalance from pgbench_accounts order by aid"));
    }
  }

  private static Lsn received(Node s) {
    return s.lastReceivedLsn().orElse(Lsn.INVALID);
  }

  static Process pgbench(Path logDir, int port, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(StreamFaultIT.PGBENCH.toString());
    cmd.addAll(
        List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-U", TestCluster.SUPERUSER));
    cmd.addAll(List.of(args));
    cmd.add("postgres");
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(logDir.resolve("pgbench-" + System.nanoTime() + ".log").toFile())
        .start();
  }
}
