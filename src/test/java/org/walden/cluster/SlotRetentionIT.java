package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.slf4j.LoggerFactory;
import org.walden.node.Node;
import org.walden.replication.slot.ReplicationSlots;
import org.walden.replication.slot.SlotRow;
import org.walden.wal.Lsn;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/**
 * A slot is what keeps a stopped standby's WAL on the primary (wal_keep_size 0, no archive), and
 * max_slot_wal_keep_size is what stops a slot from filling the primary's disk.
 */
class SlotRetentionIT {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private static void createSlot(Node p, String name) throws Exception {
    Properties props = new Properties();
    PGProperty.USER.set(props, TestCluster.SUPERUSER);
    PGProperty.REPLICATION.set(props, "database");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "9.4");
    PGProperty.PREFER_QUERY_MODE.set(props, "simple");
    try (Connection conn =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + p.port() + "/postgres", props)) {
      conn.unwrap(PGConnection.class)
          .getReplicationAPI()
          .createReplicationSlot()
          .physical()
          .withSlotName(name)
          .make();
    }
  }

  /** About {@code mb} MiB of WAL, with a checkpoint (which removes WAL) after each MiB. */
  private static void churn(Node p, int mb) throws Exception {
    for (int i = 0; i < mb; i++) {
      TestCluster.exec(
          p, "insert into t select g, '" + "x".repeat(1000) + "' from generate_series(1, 1000) g");
      p.checkpoint();
    }
  }

  private static long oldestSegment(Node n) throws Exception {
    return n.segments().list().stream().mapToLong(WalSegmentName::segNo).min().orElseThrow();
  }

  /** Streams a standby (with or without the slot) to the end, stops it, churns the primary. */
  private record Stopped(TestCluster cluster, Node primary, Path standbyDir, Lsn standbyFlushed) {}

  private Stopped stopStandbyWhilePrimaryChurns(
      TestCluster c, Map<String, String> primarySettings, boolean useSlot) throws Exception {
    Node p = c.startPrimary(primarySettings);
    createSlot(p, "sb1");
    TestCluster.exec(p, "create table t (id int, v text)");
    p.close();
    Map<String, String> standbySettings = new HashMap<>();
    if (useSlot) {
      standbySettings.put("primary_slot_name", "sb1");
    }
    Path sdir = c.cloneStandby("s1", standbySettings);
    p = c.startPrimary(primarySettings);
    if (!useSlot) {
      TestCluster.exec(p, "select 1"); // (the slot stays unused: it reserves nothing)
    }
    Node s = c.start(sdir, Map.of());
    TestCluster.exec(p, "insert into t select g, 'a' from generate_series(1, 100) g");
    Lsn end = p.wal().flushedUpto();
    await()
        .atMost(WAIT)
        .until(() -> s.lastReceivedLsn().map(l -> l.isAtOrAfter(end)).orElse(false));
    if (useSlot) {
      Node primary = p;
      await()
          .atMost(WAIT)
          .until(() -> primary.slots().row("sb1").orElseThrow().restartLsn().isAtOrAfter(end));
    }
    Lsn received = s.lastReceivedLsn().orElseThrow();
    s.close();
    churn(p, 6);
    return new Stopped(c, p, sdir, received);
  }

  @Test
  void aStandbyStoppedForLongFindsAllItsWalThanksToItsSlot() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Stopped st = stopStandbyWhilePrimaryChurns(c, Map.of("wal_keep_size", "0"), true);
      Node p = st.primary();
      WalSegmentSize seg = p.identity().segmentSize();
      long needed = seg.segmentOf(st.standbyFlushed());
      assertThat(oldestSegment(p))
          .as("the slot's segment is still there")
          .isLessThanOrEqualTo(needed);
      assertThat(seg.segmentOf(p.wal().flushedUpto()) - needed).isGreaterThanOrEqualTo(5);

      Node s = c.start(st.standbyDir(), Map.of());
      Lsn end = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s, end, WAIT);
      assertThat(TestCluster.query(s, "select count(*) from t")).isEqualTo("6100");
      // slots can exist on a standby too (for cascading)
      TestCluster.exec(s, "select pg_create_physical_replication_slot('cascade', true)");
      assertThat(
              TestCluster.query(
                  s, "select wal_status from pg_replication_slots where slot_name = 'cascade'"))
          .isEqualTo("reserved");
      // and once it has caught up, the next checkpoint lets the old WAL go
      await()
          .atMost(WAIT)
          .until(() -> p.slots().row("sb1").orElseThrow().restartLsn().isAtOrAfter(end));
      p.checkpoint();
      assertThat(oldestSegment(p)).isGreaterThan(needed);
    }
  }

  @Test
  void withoutTheSlotTheSameStandbysWalIsRemoved() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Stopped st = stopStandbyWhilePrimaryChurns(c, Map.of("wal_keep_size", "0"), false);
      long needed = st.primary().identity().segmentSize().segmentOf(st.standbyFlushed());
      assertThat(oldestSegment(st.primary()))
          .as("nothing held the standby's WAL: it is gone, and archiving is off")
          .isGreaterThan(needed);
    }
  }

  @Test
  void maxSlotWalKeepSizeInvalidatesTheSlot_andThePrimaryRemovesWalAndGoesOn() throws Exception {
    Logger slotLog = (Logger) LoggerFactory.getLogger(ReplicationSlots.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    slotLog.addAppender(lines);
    Level old = slotLog.getLevel();
    slotLog.setLevel(Level.INFO);
    try (TestCluster c = TestCluster.create(tmp)) {
      Map<String, String> settings = Map.of("wal_keep_size", "0", "max_slot_wal_keep_size", "2MB");
      Stopped st = stopStandbyWhilePrimaryChurns(c, settings, true);
      Node p = st.primary();
      SlotRow row = p.slots().row("sb1").orElseThrow();
      assertThat(row.lost()).isTrue();
      assertThat(row.restartLsn().isValid()).isFalse();
      assertThat(p.slotRetention().orElseThrow().availability(row).walStatus()).isEqualTo("lost");
      assertThat(p.slotRetention().orElseThrow().availability(row).safeWalSize()).isNull();
      synchronized (lines.list) {
        assertThat(lines.list.stream().map(ILoggingEvent::getFormattedMessage))
            .anyMatch(m ->
                m.startsWith("invalidating slot \"sb1\" because its restart_lsn ")
                    && m.endsWith(" exceeds max_slot_wal_keep_size"));
      }
      long needed = p.identity().segmentSize().segmentOf(st.standbyFlushed());
      assertThat(oldestSegment(p)).as("WAL was removed past the slot").isGreaterThan(needed);
      TestCluster.exec(p, "insert into t values (1, 'still running')");
      assertThat(TestCluster.query(p, "select count(*) from t")).isEqualTo("6101");
    } finally {
      slotLog.detachAppender(lines);
      slotLog.setLevel(old);
    }
  }
}
