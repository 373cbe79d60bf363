package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * A cascading chain primary → A → B: A, a standby, serves B's walreceiver (its own
 * pg_stat_replication shows B); B receives every commit; B resumes when A restarts; when A is
 * promoted, B follows it onto timeline 2 over the same connection settings.
 */
class CascadeIT {

  @TempDir Path tmp;

  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void chainThroughAStandby() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      int aport = TestCluster.freePort();
      Map<String, String> fast = Map.of("wal_retrieve_retry_interval", "100ms");
      Path adir = c.cloneStandby("a", fast);
      Path bdir =
          c.cloneStandby(
              "b",
              Map.of(
                  "primary_conninfo",
                  TestCluster.conninfo("b", aport),
                  "wal_retrieve_retry_interval",
                  "100ms"));
      Node p = c.startPrimary(Map.of());
      Node a = c.start(adir, Map.of("port", Integer.toString(aport)));
      Node b = c.start(bdir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 3000) g");
      awaitReplayed(b, p.wal().flushedUpto());
      assertThat(TestCluster.query(b, "select count(*) from t")).isEqualTo("3000");
      assertThat(TestCluster.query(a, "select application_name from pg_stat_replication"))
          .isEqualTo("b");
      assertThat(TestCluster.query(p, "select application_name from pg_stat_replication"))
          .isEqualTo("a");

      // A restarts: B reconnects and goes on
      a.close();
      TestCluster.exec(p, "insert into t select g, g from generate_series(3001, 6000) g");
      Node a2 = c.start(adir, Map.of("port", Integer.toString(aport)));
      awaitReplayed(b, p.wal().flushedUpto());
      assertThat(TestCluster.query(b, "select count(*) from t")).isEqualTo("6000");

      // the primary goes away and A is promoted: B follows A onto timeline 2
      p.close();
      assertThat(a2.promote(true, WAIT)).isTrue();
      TestCluster.exec(a2, "insert into t values (7000, 7)");
      awaitReplayed(b, a2.wal().flushedUpto());
      assertThat(b.currentTimeline()).isEqualTo(new TimelineId(2));
      assertThat(TestCluster.query(b, "select count(*) from t")).isEqualTo("6001");
      assertThat(b.isStandby()).isTrue();
    }
  }

  private static void awaitReplayed(Node s, Lsn end) {
    TestCluster.awaitReplayed(s, end, WAIT);
  }
}
