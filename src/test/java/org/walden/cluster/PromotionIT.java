package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * Promotion of a standby: pg_promote's errors, the new timeline's files on disk, writes at once
 * after pg_promote(false), and a sibling standby that is re-pointed to the promoted one (reload of
 * primary_conninfo) following it onto timeline 2 without a rebuild.
 */
class PromotionIT {

  @TempDir Path tmp;

  static final Duration WAIT = Duration.ofSeconds(60);
  static final TimelineId T2 = new TimelineId(2);

  @Test
  void promotedStandbyTakesWrites_andItsSiblingFollowsTimeline2() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path s1dir = c.cloneStandby("s1", Map.of());
      Path s2dir = c.cloneStandby("s2", Map.of());
      Node p = c.startPrimary(Map.of());
      Node s1 = c.start(s1dir, Map.of());
      Node s2 = c.start(s2dir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 5000) g");
      Lsn end = p.wal().flushedUpto();
      for (Node s : List.of(s1, s2)) {
        TestCluster.awaitReplayed(s, end, WAIT);
      }
      // errors: on a primary, and wait_seconds <= 0
      assertSqlError(p, "select pg_promote()", "55000", "recovery is not in progress");
      assertSqlError(
          s1,
          "select pg_promote(true, 0)",
          "22003",
          "\"wait_seconds\" must not be negative or zero");
      p.close();

      try (Connection conn = TestCluster.connect(s1);
          Statement st = conn.createStatement()) {
        assertThat(one(st, "select pg_promote(false)")).isEqualTo("t");
        // the same session writes as soon as the promotion is through
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(2))
            .ignoreExceptions()
            .until(() -> {
              st.execute("insert into t values (100001, 1)");
              return true;
            });
        assertThat(one(st, "select pg_is_in_recovery()")).isEqualTo("f");
        assertThat(one(st, "select count(*) from t")).isEqualTo("5001");
      }
      // the rest of the promotion (standby.signal, control file) follows the first writes
      await().atMost(WAIT).until(() -> !s1.isStandby());
      assertThat(s1.currentTimeline()).isEqualTo(T2);
      Path wal1 = s1.segments().dir();
      String history = Files.readString(wal1.resolve("00000002.history"));
      assertThat(history).matches("1\t[0-9A-F]+/[0-9A-F]+\tno recovery target specified\n");
      Lsn switchPoint = Lsn.parse(history.split("\t")[1]);
      assertThat(switchPoint.isAtOrAfter(end)).isTrue();
      long seg = s1.identity().segmentSize().segmentOf(switchPoint);
      String segName = s1.identity().segmentSize().name(T2, seg).fileName();
      assertThat(wal1.resolve(segName)).exists();
      assertThat(segName).startsWith("00000002");
      assertThat(s1.dataDirectory().standbySignal()).doesNotExist();
      // pg_last_wal_replay_lsn stays where recovery ended
      assertThat(TestCluster.query(s1, "select pg_last_wal_replay_lsn()"))
          .isEqualTo(switchPoint.toString());
      assertThat(TestCluster.query(s1, "select pg_walfile_name(pg_current_wal_lsn())"))
          .startsWith("00000002");

      // the sibling, re-pointed at the promoted standby, follows it onto timeline 2
      TestCluster.exec(
          s2,
          "alter system set primary_conninfo = '" + TestCluster.conninfo("s2", s1.port()) + "'");
      assertThat(TestCluster.query(s2, "select pg_reload_conf()")).isEqualTo("t");
      TestCluster.exec(s1, "insert into t values (100002, 2)");
      Lsn end2 = s1.wal().flushedUpto();
      TestCluster.awaitReplayed(s2, end2, WAIT);
      assertThat(s2.currentTimeline()).isEqualTo(T2);
      assertThat(TestCluster.query(s2, "select count(*) from t")).isEqualTo("5002");
      assertThat(s2.segments().dir().resolve("00000002.history")).exists();
      assertThat(Files.readString(s2.segments().dir().resolve("00000002.history")))
          .isEqualTo(history);
      assertThat(TestCluster.query(s1, "select count(*) from pg_stat_replication")).isEqualTo("1");

      // both survive a restart on the new timeline
      s1.close();
      s2.close();
      Node s1b = c.start(s1dir, Map.of());
      Node s2b = c.start(s2dir, Map.of("primary_conninfo", TestCluster.conninfo("s2", s1b.port())));
      assertThat(s1b.currentTimeline()).isEqualTo(T2);
      TestCluster.exec(s1b, "insert into t values (100003, 3)");
      Lsn end3 = s1b.wal().flushedUpto();
      TestCluster.awaitReplayed(s2b, end3, WAIT);
      assertThat(TestCluster.query(s2b, "select count(*) from t")).isEqualTo("5003");
    }
  }

  private static String one(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static void assertSqlError(Node n, String sql, String state, String message) {
    assertThatThrownBy(() -> TestCluster.query(n, sql))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo(state);
              assertThat(e.getMessage()).contains(message);
            });
  }
}
