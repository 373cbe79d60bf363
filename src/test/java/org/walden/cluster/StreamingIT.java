package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;
import org.walden.storage.control.ControlData;
import org.walden.wal.Lsn;
import org.walden.wal.WalSegmentName;

/**
 * A primary streaming to two standbys over real sockets: rows appear on both, their contents equal
 * the primary's at the same LSN, their completed segments are byte-identical to the primary's, and
 * after a fast shutdown of the primary each standby has received and replayed its shutdown
 * checkpoint.
 */
class StreamingIT {

  @TempDir Path tmp;

  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void twoStandbysFollowThePrimary() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path s1dir = c.cloneStandby("s1", Map.of());
      Path s2dir = c.cloneStandby("s2", Map.of());
      Node p = c.startPrimary(Map.of());
      Node s1 = c.start(s1dir, Map.of());
      Node s2 = c.start(s2dir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      try (Connection conn = TestCluster.connect(p);
          Statement st = conn.createStatement()) {
        for (int batch = 0; batch < 40; batch++) {
          st.execute(
              "insert into t select g, g * 3 from generate_series("
                  + (batch * 1000 + 1)
                  + ", "
                  + (batch + 1) * 1000
                  + ") g");
          st.execute("update t set v = v + 1 where id = " + (batch * 1000 + 7));
        }
      }
      Lsn end = p.wal().flushedUpto();
      for (Node s : List.of(s1, s2)) {
        TestCluster.awaitReplayed(s, end, WAIT);
        assertThat(TestCluster.query(s, "select count(*) from t")).isEqualTo("40000");
        assertThat(dump(s)).isEqualTo(dump(p));
      }
      // completed segments are byte-identical (the primary's current one is still being written)
      long current = p.identity().segmentSize().segmentOf(end);
      int compared = 0;
      for (WalSegmentName seg : p.segments().list()) {
        if (seg.segNo() >= current) {
          continue;
        }
        byte[] primaryBytes = Files.readAllBytes(p.segments().pathOf(seg));
        for (Node s : List.of(s1, s2)) {
          Path sp = s.segments().pathOf(seg);
          assertThat(sp).exists();
          assertThat(Files.readAllBytes(sp)).as("segment %s", seg).isEqualTo(primaryBytes);
        }
        compared++;
      }
      assertThat(compared).as("completed segments compared").isGreaterThanOrEqualTo(2);

      // fast shutdown: the walsenders hand over everything up to the shutdown checkpoint
      p.close();
      ControlData pc = readControl(c.primaryDir);
      for (Node s : List.of(s1, s2)) {
        await()
            .atMost(WAIT)
            .until(() -> s.lastReplayedLsn().map(l -> l.isAfter(pc.checkpointLsn())).orElse(false));
        // the last record replayed is the shutdown checkpoint itself, and nothing came after it
        assertThat(s.lastReplayedRecordStart()).contains(pc.checkpointLsn());
        assertThat(s.lastReceivedLsn()).isPresent();
        assertThat(s.lastReceivedLsn().get()).isGreaterThan(pc.checkpointLsn());
      }
    }
  }

  /**
   * Hot standby: a REPEATABLE READ transaction on the standby keeps its snapshot while replay goes
   * on underneath (replay neither waits for it nor cancels it); a new statement sees the new rows.
   */
  @Test
  void standbyQueriesKeepTheirSnapshotWhileReplayGoesOn() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path sdir = c.cloneStandby("s1", Map.of());
      Node p = c.startPrimary(Map.of());
      Node s = c.start(sdir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 100) g");
      Lsn first = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s, first, WAIT);
      try (Connection reader = TestCluster.connect(s)) {
        reader.setAutoCommit(false);
        reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        assertThat(count(reader)).isEqualTo(100);
        TestCluster.exec(p, "insert into t select g, g from generate_series(101, 200) g");
        TestCluster.exec(p, "update t set v = 0 where id <= 50");
        Lsn second = p.wal().flushedUpto();
        TestCluster.awaitReplayed(s, second, WAIT);
        assertThat(count(reader)).as("the open transaction's snapshot").isEqualTo(100);
        assertThat(TestCluster.query(s, "select count(*) from t where v = 0")).isEqualTo("50");
        reader.commit();
        assertThat(count(reader)).isEqualTo(200);
      }
    }
  }

  /**
   * The primary learns of an apply as soon as replay has caught up, not at the next WAL arrival or
   * status interval: with keepalives and pings off and a status interval of weeks, the only report
   * carrying the replayed commit is the one recovery forces when it goes back to waiting.
   */
  @Test
  void primaryHearsOfTheApplyWithoutWaitingForTheNextArrival() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path sdir =
          c.cloneStandby(
              "s1", Map.of("wal_receiver_status_interval", "2000000", "wal_receiver_timeout", "0"));
      Node p = c.startPrimary(Map.of("wal_sender_timeout", "0"));
      Node s = c.start(sdir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key)");
      for (int i = 1; i <= 3; i++) {
        TestCluster.exec(p, "insert into t values (" + i + ")");
        Lsn end = p.wal().flushedUpto();
        TestCluster.awaitReplayed(s, end, WAIT);
        await()
            .atMost(WAIT)
            .untilAsserted(() ->
                assertThat(
                        TestCluster.query(
                            p, "select replay_lsn >= '" + end + "' from pg_stat_replication"))
                    .isEqualTo("t"));
      }
    }
  }

  /** {@code archive_mode = always}: a standby archives the segments it receives. */
  @Test
  void standbyWithArchiveModeAlwaysArchivesWhatItReceives() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path archive = Files.createDirectories(tmp.resolve("standby-archive"));
      Path sdir =
          c.cloneStandby(
              "s1",
              Map.of("archive_mode", "always", "archive_command", "cp %p " + archive + "/%f"));
      Node p = c.startPrimary(Map.of());
      Node s = c.start(sdir, Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 40000) g");
      Lsn end = p.wal().flushedUpto();
      long lastComplete = p.identity().segmentSize().segmentOf(end) - 1;
      WalSegmentName seg = p.identity().segmentSize().name(p.wal().timeline(), lastComplete);
      await().atMost(WAIT).until(() -> Files.exists(archive.resolve(seg.fileName())));
      await()
          .atMost(WAIT)
          .untilAsserted(() ->
              assertThat(Files.readAllBytes(archive.resolve(seg.fileName())))
                  .isEqualTo(Files.readAllBytes(p.segments().pathOf(seg))));
      assertThat(s.archiver()).isPresent();
    }
  }

  private static int count(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from t")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static ControlData readControl(Path dir) throws Exception {
    var r =
        new org.walden.storage.control.ControlFileStore(
                dir, new org.walden.fs.DurableFiles(org.walden.fs.FileIo.nio()))
            .read();
    return ((org.walden.storage.control.ControlFileReadResult.Valid) r).data();
  }

  static List<String> dump(Node n) throws Exception {
    return dumpOf(n, "select id, v from t order by id");
  }

  /** Every row of a two-column query, as "a:b" strings. */
  static List<String> dumpOf(Node n, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection conn = TestCluster.connect(n);
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1) + ":" + rs.getString(2));
      }
    }
    return rows;
  }
}
