package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;
import org.walden.recovery.TimelineFollower;
import org.walden.testing.LogCapture;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * A standby that replayed further than the point where a sibling was promoted refuses to follow the
 * sibling's timeline (it forked before the standby's replay position) with PostgreSQL's message,
 * stays on timeline 1 with its data intact, and keeps running as a standby.
 */
class ForkedTimelineIT {

  @TempDir Path tmp;

  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void timelineForkedBeforeOurReplayPositionIsRefused() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Map<String, String> fast = Map.of("wal_retrieve_retry_interval", "100ms");
      Path s1dir = c.cloneStandby("s1", fast);
      Path s2dir = c.cloneStandby("s2", fast);
      Node p = c.startPrimary(Map.of());
      Node s1 = c.start(s1dir, Map.of());
      Node s2 = c.start(s2dir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 1000) g");
      Lsn first = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s1, first, WAIT);
      s1.close(); // s1 misses what follows
      TestCluster.exec(p, "insert into t select g, g from generate_series(1001, 2000) g");
      Lsn second = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s2, second, WAIT);
      p.close();

      Node s1b = c.start(s1dir, Map.of());
      assertThat(s1b.promote(true, WAIT)).isTrue();
      Lsn s2replayed = s2.lastReplayedLsn().orElseThrow();
      try (LogCapture log = new LogCapture(TimelineFollower.class)) {
        TestCluster.exec(
            s2,
            "alter system set primary_conninfo = '" + TestCluster.conninfo("s2", s1b.port()) + "'");
        TestCluster.query(s2, "select pg_reload_conf()");
        String expected =
            "WARN new timeline 2 forked off current database system timeline 1 before current"
                + " recovery point "
                + s2replayed;
        await().atMost(WAIT).until(() -> log.lines().contains(expected));
      }
      assertThat(s2.currentTimeline()).isEqualTo(TimelineId.FIRST);
      assertThat(s2.isStandby()).isTrue();
      assertThat(s2.isTerminated()).isFalse();
      assertThat(s2.lastReplayedLsn()).contains(s2replayed);
      assertThat(TestCluster.query(s2, "select count(*) from t")).isEqualTo("2000");
    }
  }
}
