package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;
import org.walden.node.ShutdownMode;
import org.walden.wal.TimelineId;

/**
 * Failover with a synchronous standby: writers commit on a primary whose {@code
 * synchronous_standby_names} names s1 ({@code synchronous_commit = on}); the primary stops dead
 * (immediate shutdown) in the middle of the load, s1 is promoted, and every commit any writer saw
 * acknowledged is on s1, now a primary on timeline 2, while the async s2 follows it there.
 */
class SyncFailoverIT {

  @TempDir Path tmp;

  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void everyAcknowledgedCommitSurvivesPromotionOfTheSyncStandby() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path s1dir = c.cloneStandby("s1", Map.of());
      Path s2dir = c.cloneStandby("s2", Map.of());
      Node p = c.startPrimary(Map.of("synchronous_standby_names", "FIRST 1 (s1)"));
      Node s1 = c.start(s1dir, Map.of());
      Node s2 = c.start(s2dir, Map.of());
      TestCluster.exec(p, "create table acked (id int primary key, writer int)");
      await()
          .atMost(WAIT)
          .until(() ->
              "sync"
                  .equals(
                      TestCluster.query(
                          p,
                          "select sync_state from pg_stat_replication"
                              + " where application_name = 's1'")));

      Set<Integer> acked = ConcurrentHashMap.newKeySet();
      AtomicInteger next = new AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        writers.add(
            Thread.ofPlatform()
                .start(() -> {
                  try (Connection conn = TestCluster.connect(p);
                      Statement st = conn.createStatement()) {
                    while (true) {
                      int id = next.incrementAndGet();
                      st.execute("insert into acked values (" + id + ", " + writer + ")");
                      acked.add(id); // the server acknowledged it: it must survive
                    }
                  } catch (SQLException e) {
                    // the primary went away: this writer is done
                  }
                }));
      }
      await().atMost(WAIT).until(() -> acked.size() >= 400);
      p.shutdown(ShutdownMode.IMMEDIATE);
      for (Thread t : writers) {
        t.join(WAIT.toMillis());
        assertThat(t.isAlive()).isFalse();
      }
      Set<Integer> seen = Set.copyOf(acked);

      assertThat(TestCluster.query(s1, "select pg_promote()")).isEqualTo("t");
      assertThat(s1.currentTimeline()).isEqualTo(new TimelineId(2));
      Set<Integer> onS1 = ids(s1);
      assertThat(onS1).as("acknowledged commits on the promoted sync standby").containsAll(seen);

      // the async sibling follows the new primary onto timeline 2 and holds the same rows
      TestCluster.exec(
          s2,
          "alter system set primary_conninfo = '" + TestCluster.conninfo("s2", s1.port()) + "'");
      TestCluster.query(s2, "select pg_reload_conf()");
      TestCluster.exec(s1, "insert into acked values (-1, -1)");
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () -> "1".equals(TestCluster.query(s2, "select count(*) from acked where id = -1")));
      assertThat(s2.currentTimeline()).isEqualTo(new TimelineId(2));
      assertThat(ids(s2)).isEqualTo(ids(s1));
    }
  }

  private static Set<Integer> ids(Node n) throws SQLException {
    Set<Integer> out = new HashSet<>();
    try (Connection conn = TestCluster.connect(n);
        Statement st = conn.createStatement();
        var rs = st.executeQuery("select id from acked")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }
}
