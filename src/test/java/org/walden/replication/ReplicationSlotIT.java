package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.ReplicationSlotInfo;
import org.walden.node.DataDirectory;
import org.walden.node.Node;
import org.walden.node.StartupException;
import org.walden.replication.ReplicationClient.Result;
import org.walden.replication.ReplicationClient.Stream;
import org.walden.wal.Lsn;

/** Physical replication slots over the replication protocol: commands, errors, durability. */
class ReplicationSlotIT {
  @TempDir Path tmp;

  private static String error(Result r) {
    assertThat(r.error()).as("an error was expected, got %s", r.rows()).isNotNull();
    return r.error().get('C') + " " + r.error().get('M');
  }

  private static void ok(Result r) {
    assertThat(r.error()).as("error").isNull();
  }

  @Test
  void createReadDrop_answerAsPostgres() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of("max_replication_slots", "4"));
        ReplicationClient c = ReplicationClient.connect(p.port(), "t")) {
      Result made = c.query("CREATE_REPLICATION_SLOT s1 PHYSICAL");
      ok(made);
      assertThat(made.columns())
          .containsExactly("slot_name", "consistent_point", "snapshot_name", "output_plugin");
      assertThat(made.types()).containsExactly(25, 25, 25, 25);
      assertThat(made.rows()).containsExactly(Arrays.asList("s1", "0/0", null, null));
      assertThat(made.tags()).containsExactly("CREATE_REPLICATION_SLOT");
      assertThat(error(c.query("CREATE_REPLICATION_SLOT s1 PHYSICAL")))
          .isEqualTo("42710 replication slot \"s1\" already exists");
      Result bad = c.query("CREATE_REPLICATION_SLOT \"Bad-Name\" PHYSICAL");
      assertThat(error(bad))
          .isEqualTo("42602 replication slot name \"Bad-Name\" contains invalid character");
      assertThat(bad.error().get('H'))
          .isEqualTo(
              "Replication slot names may only contain lower case letters, numbers, and the"
                  + " underscore character.");
      assertThat(error(c.query("CREATE_REPLICATION_SLOT " + "a".repeat(64) + " PHYSICAL")))
          .startsWith("42622 replication slot name \"aaa");
      assertThat(error(c.query("CREATE_REPLICATION_SLOT l1 LOGICAL test_decoding")))
          .isEqualTo("55000 logical decoding requires a database connection");
      assertThat(error(c.query("CREATE_REPLICATION_SLOT x PHYSICAL ( SNAPSHOT 'nothing')")))
          .isEqualTo("42601 conflicting or redundant options");
      assertThat(error(c.query("CREATE_REPLICATION_SLOT x PHYSICAL (RESERVE_WAL, RESERVE_WAL)")))
          .isEqualTo("42601 conflicting or redundant options");

      // RESERVE_WAL: the last checkpoint's redo point (PostgreSQL's observed behaviour)
      Lsn redo = p.node.controlData().redoLsn();
      ok(c.query("CREATE_REPLICATION_SLOT r1 PHYSICAL ( RESERVE_WAL )"));
      ok(c.query("CREATE_REPLICATION_SLOT r2 PHYSICAL RESERVE_WAL"));
      Result read = c.query("READ_REPLICATION_SLOT r1");
      assertThat(read.columns()).containsExactly("slot_type", "restart_lsn", "restart_tli");
      assertThat(read.types()).containsExactly(25, 25, 20);
      assertThat(read.rows()).containsExactly(List.of("physical", redo.toString(), "1"));
      assertThat(c.query("READ_REPLICATION_SLOT r2").rows().get(0).get(1))
          .isEqualTo(redo.toString());
      assertThat(c.query("READ_REPLICATION_SLOT s1").rows())
          .containsExactly(Arrays.asList("physical", null, null));
      assertThat(c.query("READ_REPLICATION_SLOT nope").rows())
          .containsExactly(Arrays.asList(null, null, null));

      ok(c.query("CREATE_REPLICATION_SLOT s5 PHYSICAL"));
      assertThat(error(c.query("CREATE_REPLICATION_SLOT s6 PHYSICAL")))
          .isEqualTo("53400 all replication slots are in use");

      assertThat(error(c.query("DROP_REPLICATION_SLOT nope")))
          .isEqualTo("42704 replication slot \"nope\" does not exist");
      Result dropped = c.query("DROP_REPLICATION_SLOT \"r2\"");
      ok(dropped);
      assertThat(dropped.rows()).isEmpty();
      assertThat(dropped.tags()).containsExactly("DROP_REPLICATION_SLOT");
      assertThat(p.dataDir.resolve("pg_replslot/r2")).doesNotExist();
      assertThat(p.dataDir.resolve("pg_replslot/r1/state")).exists();
    }
  }

  @Test
  void aSlotServesOneConnection_andDropWaitWaitsForIt() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of());
        ReplicationClient a = ReplicationClient.connect(p.port(), "a");
        ReplicationClient b = ReplicationClient.connect(p.port(), "b");
        ReplicationClient c = ReplicationClient.connect(p.port(), "c")) {
      ok(a.query("CREATE_REPLICATION_SLOT s1 PHYSICAL"));
      Lsn start = p.node.identity().segmentSize().segmentStart(p.flushed());
      a.startReplication("START_REPLICATION SLOT s1 PHYSICAL " + start);
      int pidA = p.node.slots().row("s1").orElseThrow().activePid();
      assertThat(pidA).isNotZero();
      // first stream through an unreserved slot: WAL is held from the start position
      assertThat(p.node.slots().row("s1").orElseThrow().restartLsn()).isEqualTo(start);

      assertThat(error(b.query("START_REPLICATION SLOT s1 PHYSICAL " + start)))
          .isEqualTo("55006 replication slot \"s1\" is active for PID " + pidA);
      assertThat(error(b.query("DROP_REPLICATION_SLOT s1")))
          .isEqualTo("55006 replication slot \"s1\" is active for PID " + pidA);
      assertThat(error(b.query("START_REPLICATION SLOT nope PHYSICAL " + start)))
          .isEqualTo("42704 replication slot \"nope\" does not exist");

      // each flush report moves restart_lsn forward, never back; 0/0 moves nothing
      Lsn flush = start.plus(100);
      a.statusUpdate(flush, flush, Lsn.INVALID, true);
      awaitKeepalive(a);
      assertThat(c.query("READ_REPLICATION_SLOT s1").rows().get(0).get(1))
          .isEqualTo(flush.toString());
      a.statusUpdate(start, start, Lsn.INVALID, false);
      a.statusUpdate(Lsn.INVALID, Lsn.INVALID, Lsn.INVALID, true);
      awaitKeepalive(a);
      assertThat(p.node.slots().row("s1").orElseThrow().restartLsn()).isEqualTo(flush);

      b.sendQuery("DROP_REPLICATION_SLOT s1 WAIT");
      assertThat(c.query("READ_REPLICATION_SLOT s1").rows().get(0).get(0))
          .as("the slot stays while its user streams")
          .isEqualTo("physical");
      a.copyDone();
      Result waited = b.collect();
      ok(waited);
      assertThat(waited.tags()).containsExactly("DROP_REPLICATION_SLOT");
      assertThat(c.query("READ_REPLICATION_SLOT s1").rows().get(0).get(0)).isNull();
    }
  }

  /** Reads the stream until the keepalive answering a replyRequested status update. */
  private static void awaitKeepalive(ReplicationClient c) throws Exception {
    while (true) {
      if (c.readStream() instanceof Stream.Keepalive k && !k.replyRequested()) {
        return;
      }
    }
  }

  @Test
  void temporarySlot_asPgBasebackupUsesIt_goesWithItsConnection() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of());
        ReplicationClient other = ReplicationClient.connect(p.port(), "other")) {
      Lsn redo = p.node.controlData().redoLsn();
      Lsn start = p.node.identity().segmentSize().segmentStart(p.flushed());
      int ownerPid;
      try (ReplicationClient a = ReplicationClient.connect(p.port(), "pg_basebackup")) {
        Result made =
            a.query(
                "CREATE_REPLICATION_SLOT \"pg_basebackup_123\" TEMPORARY PHYSICAL ( RESERVE_WAL)");
        ok(made);
        assertThat(made.rows())
            .containsExactly(Arrays.asList("pg_basebackup_123", "0/0", null, null));
        assertThat(p.dataDir.resolve("pg_replslot/pg_basebackup_123")).doesNotExist();
        ownerPid = p.node.slots().row("pg_basebackup_123").orElseThrow().activePid();
        assertThat(p.node.slots().row("pg_basebackup_123").orElseThrow().restartLsn())
            .isEqualTo(redo);
        ok(a.query("IDENTIFY_SYSTEM"));
        assertThat(error(other.query("START_REPLICATION SLOT \"pg_basebackup_123\" " + start)))
            .isEqualTo(
                "55006 replication slot \"pg_basebackup_123\" is active for PID " + ownerPid);
        a.startReplication("START_REPLICATION SLOT \"pg_basebackup_123\" " + start + " TIMELINE 1");
        p.writeRows(10);
        assertThat(a.readStream()).isInstanceOf(Stream.XLogData.class);
        a.copyDone();
        // after the stream the temporary slot still belongs to its connection
        assertThat(p.node.slots().row("pg_basebackup_123").orElseThrow().activePid())
            .isEqualTo(ownerPid);
      }
      assertThat(p.node.slots().awaitInactive("pg_basebackup_123", Duration.ofSeconds(30)))
          .isTrue();
      assertThat(p.node.slots().row("pg_basebackup_123")).isEmpty();
    }
  }

  @Test
  void aSlotInvalidatedWhileStreamedEndsItsWalsender() throws Exception {
    try (Primary p =
            Primary.start(tmp, Map.of("max_slot_wal_keep_size", "1MB", "wal_keep_size", "0"));
        ReplicationClient a = ReplicationClient.connect(p.port(), "a")) {
      ok(a.query("CREATE_REPLICATION_SLOT s1 PHYSICAL"));
      Lsn start = p.node.identity().segmentSize().segmentStart(p.flushed());
      a.startReplication("START_REPLICATION SLOT s1 PHYSICAL " + start);
      // no flush reports: the slot stays at the start while four segments are written
      p.writeRows(4 * Primary.SEGMENT / 1000);
      p.node.checkpoint();
      assertThat(p.node.slots().row("s1").orElseThrow().lost()).isTrue();
      ReplicationClient.Message end;
      while (true) {
        try {
          a.readStream();
        } catch (ReplicationClient.UnexpectedMessage m) {
          end = m.message;
          break;
        }
      }
      assertThat(end.type()).isEqualTo('E');
      assertThat(ReplicationClient.fields(end.body()))
          .containsEntry('S', "FATAL")
          .containsEntry('C', "57P01")
          .containsEntry('M', "terminating connection due to administrator command");
      assertThat(p.node.slots().awaitInactive("s1", Duration.ofSeconds(30))).isTrue();
      try (ReplicationClient b = ReplicationClient.connect(p.port(), "b")) {
        Result again = b.query("START_REPLICATION SLOT s1 PHYSICAL " + start);
        assertThat(error(again))
            .isEqualTo("55000 can no longer get changes from replication slot \"s1\"");
      }
    }
  }

  @Test
  void pgjdbcCreatesAndDropsPhysicalSlots() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of())) {
      Properties props = new Properties();
      PGProperty.USER.set(props, Primary.USER);
      PGProperty.REPLICATION.set(props, "database");
      PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "9.4");
      PGProperty.PREFER_QUERY_MODE.set(props, "simple");
      try (Connection conn =
          DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + p.port() + "/postgres", props)) {
        PGConnection pg = conn.unwrap(PGConnection.class);
        ReplicationSlotInfo info =
            pg.getReplicationAPI().createReplicationSlot().physical().withSlotName("js1").make();
        assertThat(info.getSlotName()).isEqualTo("js1");
        assertThat(info.getConsistentPoint())
            .isEqualTo(org.postgresql.replication.LogSequenceNumber.valueOf("0/0"));
        pg.getReplicationAPI()
            .createReplicationSlot()
            .physical()
            .withSlotName("jt1")
            .withTemporaryOption()
            .make();
        assertThat(p.node.slots().row("jt1").orElseThrow().temporary()).isTrue();
        assertThatThrownBy(() ->
                pg.getReplicationAPI()
                    .createReplicationSlot()
                    .physical()
                    .withSlotName("js1")
                    .make())
            .hasMessageContaining("replication slot \"js1\" already exists");
        pg.getReplicationAPI().dropReplicationSlot("js1");
        assertThat(p.node.slots().row("js1")).isEmpty();
      }
      assertThat(p.node.slots().awaitInactive("jt1", Duration.ofSeconds(30))).isTrue();
      assertThat(p.node.slots().row("jt1")).isEmpty();
    }
  }

  @Test
  void aSlotSurvivesACleanRestart_andACorruptStateFileStopsTheStart() throws Exception {
    Lsn flush;
    Path dataDir;
    Map<String, String> overrides = new HashMap<>();
    try (Primary p = Primary.start(tmp, Map.of());
        ReplicationClient a = ReplicationClient.connect(p.port(), "a")) {
      dataDir = p.dataDir;
      overrides.put("port", Integer.toString(p.port()));
      ok(a.query("CREATE_REPLICATION_SLOT keep PHYSICAL"));
      ok(a.query("CREATE_REPLICATION_SLOT gone TEMPORARY PHYSICAL"));
      p.writeRows(50);
      Lsn start = p.node.identity().segmentSize().segmentStart(p.flushed());
      a.startReplication("START_REPLICATION SLOT keep PHYSICAL " + start);
      flush = p.flushed();
      a.statusUpdate(flush, flush, Lsn.INVALID, true);
      awaitKeepalive(a);
      a.copyDone();
      a.collect();
    }
    overrides.put("port", Integer.toString(Primary.freePort()));
    try (Node again = Node.start(new DataDirectory(dataDir), overrides)) {
      assertThat(again.slots().rows()).hasSize(1);
      assertThat(again.slots().row("keep").orElseThrow().restartLsn()).isEqualTo(flush);
    }
    Path state = dataDir.resolve("pg_replslot/keep/state");
    byte[] bytes = Files.readAllBytes(state);
    bytes[bytes.length - 1] ^= 0x40;
    Files.write(state, bytes);
    assertThatThrownBy(() -> Node.start(new DataDirectory(dataDir), overrides))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining(
            "replication slot file \"" + state + "\" is corrupt: checksum mismatch");
  }
}
