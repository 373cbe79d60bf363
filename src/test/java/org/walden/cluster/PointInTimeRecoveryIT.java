package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.cli.Main;
import org.walden.node.Node;
import org.walden.node.StartupException;
import org.walden.wal.Lsn;

/**
 * Point-in-time recovery from a real base backup ({@code walden basebackup}) plus a real archive
 * ({@code archive_command = cp}): each target kind finds exactly the transactions up to it; the
 * shutdown action stops the server; and pausing replay on a streaming standby holds replay while
 * the walreceiver goes on receiving.
 */
class PointInTimeRecoveryIT {

  @TempDir Path tmp;

  /** What the primary wrote between the targets. */
  record History(Path backup, Path archive, String lsn, String time) {}

  private History history(TestCluster c) throws Exception {
    Path arch = Files.createDirectories(tmp.resolve("archive"));
    Node p =
        c.startPrimary(Map.of("archive_mode", "on", "archive_command", "cp %p " + arch + "/%f"));
    TestCluster.exec(p, "create table t (id int primary key)");
    Path backup = tmp.resolve("backup");
    assertThat(
            Main.execute(
                "basebackup",
                "-D",
                backup.toString(),
                "-d",
                TestCluster.conninfo("bb", c.primaryPort),
                "-X",
                "fetch",
                "-c",
                "fast"))
        .isZero();
    String lsn;
    String time;
    try (Connection conn = TestCluster.connect(p);
        Statement s = conn.createStatement()) {
      s.execute("insert into t values (1)");
      // the next record after this position is transaction 2's commit
      s.execute("begin");
      s.execute("insert into t values (2)");
      lsn = one(s, "select pg_current_wal_insert_lsn()");
      s.execute("commit");
      s.execute("insert into t values (3)");
      time = one(s, "select now()");
      s.execute("insert into t values (4)");
      assertThat(one(s, "select pg_create_restore_point('before five')")).isNotEmpty();
      s.execute("insert into t values (5)");
      String last = one(s, "select pg_walfile_name(pg_switch_wal())");
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(arch.resolve(last)));
    }
    return new History(backup, arch, lsn, time);
  }

  private static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Node restore(TestCluster c, History h, String name, Map<String, String> targets)
      throws Exception {
    Path d = tmp.resolve(name);
    copyTree(h.backup(), d);
    Files.setPosixFilePermissions(
        d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Files.createFile(d.resolve("recovery.signal"));
    Map<String, String> o = new HashMap<>(targets);
    o.put("restore_command", "cp " + h.archive() + "/%f %p");
    return c.start(d, o);
  }

  private static String ids(Node n) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Connection conn = TestCluster.connect(n);
        Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("select id from t order by id")) {
      while (rs.next()) {
        b.append(b.isEmpty() ? "" : ",").append(rs.getInt(1));
      }
    }
    return b.toString();
  }

  @Test
  void eachTargetKindRecoversExactlyTheTransactionsUpToIt() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      History h = history(c);
      Map<String, String> promote = Map.of("recovery_target_action", "promote");

      Node incl = restore(c, h, "lsn-incl", with(promote, "recovery_target_lsn", h.lsn()));
      assertThat(ids(incl)).isEqualTo("1,2");
      assertThat(incl.isStandby()).isFalse();
      incl.close();

      Map<String, String> excl = with(promote, "recovery_target_lsn", h.lsn());
      excl.put("recovery_target_inclusive", "off");
      Node ex = restore(c, h, "lsn-excl", excl);
      assertThat(ids(ex)).isEqualTo("1");
      ex.close();

      Node time = restore(c, h, "time", with(promote, "recovery_target_time", h.time()));
      assertThat(ids(time)).isEqualTo("1,2,3");
      time.close();

      Node name = restore(c, h, "name", with(promote, "recovery_target_name", "before five"));
      assertThat(ids(name)).isEqualTo("1,2,3,4");
      assertThat(tmp.resolve("name").resolve("recovery.signal")).doesNotExist();
      // open for writes after recovery
      TestCluster.exec(name, "insert into t values (6)");
      assertThat(ids(name)).isEqualTo("1,2,3,4,6");
      name.close();

      Node all = restore(c, h, "all", Map.of());
      assertThat(ids(all)).isEqualTo("1,2,3,4,5");
      all.close();
    }
  }

  @Test
  void shutdownActionStopsTheServerAtTheTarget() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      History h = history(c);
      Map<String, String> t =
          Map.of("recovery_target_name", "before five", "recovery_target_action", "shutdown");
      assertThatThrownBy(() -> restore(c, h, "shut", t))
          .isInstanceOf(StartupException.class)
          .hasMessage("shutdown at recovery target");
      // still to be recovered: the signal stays, as in PostgreSQL
      assertThat(tmp.resolve("shut").resolve("recovery.signal")).exists();
    }
  }

  @Test
  void pausedReplayHoldsRowsBackWhileTheWalreceiverGoesOn() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path sdir = c.cloneStandby("s", Map.of());
      Node p = c.startPrimary(Map.of());
      Node s = c.start(sdir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key)");
      TestCluster.exec(p, "insert into t values (1)");
      awaitReplay(p, s);
      assertThat(TestCluster.query(s, "select pg_get_wal_replay_pause_state()"))
          .isEqualTo("not paused");
      TestCluster.exec(s, "select pg_wal_replay_pause()");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> TestCluster.query(s, "select pg_is_wal_replay_paused()").equals("t"));
      assertThat(TestCluster.query(s, "select pg_get_wal_replay_pause_state()"))
          .isEqualTo("paused");
      Lsn replayed = s.lastReplayedLsn().orElseThrow();
      TestCluster.exec(p, "insert into t values (2)");
      Lsn end = p.wal().flushedUpto();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              Lsn.parse(TestCluster.query(s, "select pg_last_wal_receive_lsn()")).isAtOrAfter(end));
      assertThat(ids(s)).isEqualTo("1");
      assertThat(s.lastReplayedLsn().orElseThrow()).isEqualTo(replayed);
      TestCluster.exec(s, "select pg_wal_replay_resume()");
      awaitReplay(p, s);
      assertThat(ids(s)).isEqualTo("1,2");
      assertThat(TestCluster.query(s, "select pg_is_wal_replay_paused()")).isEqualTo("f");
      // on a primary: PostgreSQL's errors
      assertThatThrownBy(() -> TestCluster.exec(p, "select pg_wal_replay_pause()"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("recovery is not in progress")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"));
      assertThatThrownBy(() -> TestCluster.exec(s, "select pg_create_restore_point('x')"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("recovery is in progress")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"));
    }
  }

  private static void awaitReplay(Node p, Node s) {
    Lsn end = p.wal().flushedUpto();
    TestCluster.awaitReplayed(s, end, Duration.ofSeconds(30));
  }

  private static Map<String, String> with(Map<String, String> base, String k, String v) {
    Map<String, String> m = new HashMap<>(base);
    m.put(k, v);
    return m;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path f : (Iterable<Path>) all::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
  }
}
