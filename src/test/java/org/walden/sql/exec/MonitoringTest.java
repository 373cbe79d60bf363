package org.walden.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.walden.sql.exec.ExecutorTest.assertError;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

/**
 * The replication monitoring surface of the SQL layer: pg_lsn, the WAL functions and the system
 * views, run through the real parser and executor against a {@link ServerStatus} with fixed rows.
 */
class MonitoringTest {

  /** A primary with two walsenders, an archiver that archived two files, and WAL at 0/3000060. */
  static final class FixedStatus implements ServerStatus {
    Lsn write = Lsn.parse("0/3000060");
    Lsn flush = Lsn.parse("0/3000000");
    Lsn insert = Lsn.parse("0/30000A8");
    Optional<Lsn> receive = Optional.empty();
    Optional<Lsn> replay = Optional.empty();
    Optional<WalReceiverStatRow> receiver = Optional.empty();
    List<ReplicationStatRow> senders = new ArrayList<>();
    final List<String> alterations = new ArrayList<>();
    int reloads;
    int switches;

    @Override
    public Optional<Lsn> currentWriteLsn() {
      return Optional.of(write);
    }

    @Override
    public Optional<Lsn> currentFlushLsn() {
      return Optional.of(flush);
    }

    @Override
    public Optional<Lsn> currentInsertLsn() {
      return Optional.of(insert);
    }

    @Override
    public Optional<Lsn> lastReceiveLsn() {
      return receive;
    }

    @Override
    public Optional<Lsn> lastReplayLsn() {
      return replay;
    }

    @Override
    public Optional<Instant> lastReplayedCommitTime() {
      return replay.map(l -> Instant.parse("2026-12-03T16:00:00.123456Z"));
    }

    @Override
    public TimelineId timeline() {
      return new TimelineId(2);
    }

    @Override
    public WalSegmentSize segmentSize() {
      return WalSegmentSize.DEFAULT;
    }

    @Override
    public Lsn switchWal() {
      switches++;
      Lsn end = insert;
      write = Lsn.parse("0/4000000");
      return end;
    }

    @Override
    public boolean reloadConf() {
      reloads++;
      return true;
    }

    @Override
    public List<ReplicationStatRow> replication() {
      return senders;
    }

    @Override
    public Optional<WalReceiverStatRow> walReceiver() {
      return receiver;
    }

    @Override
    public ArchiverStatRow archiver() {
      return new ArchiverStatRow(
          2,
          "000000010000000000000002",
          Instant.parse("2026-12-03T15:00:00Z"),
          1,
          "000000010000000000000001",
          Instant.parse("2026-12-03T14:00:00Z"),
          Instant.parse("2026-12-01T00:00:00Z"));
    }
  }

  private TestSession s;
  private FixedStatus st;

  @BeforeEach
  void setUp() throws Exception {
    s = new TestSession();
    st = new FixedStatus();
    s.status = st;
    st.senders.add(
        new ReplicationStatRow(
            4711,
            10L,
            "replicator",
            "standby1",
            InetAddress.getByName("127.0.0.1"),
            null,
            54321,
            Instant.parse("2026-12-03T15:30:00Z"),
            null,
            "streaming",
            Lsn.parse("0/3000060"),
            Lsn.parse("0/3000060"),
            Lsn.parse("0/3000000"),
            Lsn.INVALID,
            Duration.ofNanos(2_659_000),
            Duration.ofMillis(1500),
            null,
            1,
            "sync",
            Instant.parse("2026-12-03T16:00:00Z")));
    st.senders.add(
        new ReplicationStatRow(
            4712,
            10L,
            "replicator",
            "pg_receivewal",
            InetAddress.getByName("::1"),
            null,
            54322,
            Instant.parse("2026-12-03T15:31:00Z"),
            null,
            "streaming",
            Lsn.parse("0/2000000"),
            null,
            null,
            null,
            null,
            null,
            null,
            0,
            "async",
            null));
  }

  // ------------------------------------------------------------------ pg_lsn

  @Test
  void pgLsn_castsTextAndCompares() {
    TestSession.Result r = s.run("select '0/3000000'::pg_lsn, '0/16b3748'::pg_lsn::text");
    assertThat(r.columns()).extracting(ResultColumn::typeOid).containsExactly(3220, 25);
    assertThat(r.rows().get(0)).containsExactly(Lsn.parse("0/3000000"), "0/16B3748");
    // unsigned comparison: FFFFFFFF/0 is the largest
    assertThat(
            s.texts(
                "select 'FFFFFFFF/0'::pg_lsn > '0/1'::pg_lsn and '1/0'::pg_lsn >= '0/FFFFFFFF'"))
        .containsExactly("t");
    assertThat(s.texts("select '0/10'::pg_lsn = '0/10'")).containsExactly("t");
    assertThat(s.texts("select greatest('0/10'::pg_lsn, '0/20'::pg_lsn)")).containsExactly("0/20");
  }

  @Test
  void pgLsn_badInput_22P02() {
    assertError(
        () -> s.run("select 'x'::pg_lsn"), "22P02", "invalid input syntax for type pg_lsn: \"x\"");
    assertError(
        () -> s.run("select '0/123456789'::pg_lsn"),
        "22P02",
        "invalid input syntax for type pg_lsn: \"0/123456789\"");
  }

  @Test
  void pgLsn_arithmetic() {
    TestSession.Result r = s.run("select '0/3000000'::pg_lsn - '0/1000000'::pg_lsn");
    assertThat(r.columns().get(0).typeOid()).isEqualTo(1700);
    assertThat(r.value()).isEqualTo(new BigDecimal(0x2000000));
    assertThat(s.texts("select '0/1000000'::pg_lsn - '0/3000000'")).containsExactly("-33554432");
    assertThat(s.texts("select '0/1000000'::pg_lsn + 16")).containsExactly("0/1000010");
    assertThat(s.texts("select 16 + '0/1000000'::pg_lsn")).containsExactly("0/1000010");
    assertThat(s.texts("select '0/1000000'::pg_lsn - 1.0")).containsExactly("0/FFFFFF");
    assertThat(s.texts("select 'FFFFFFFF/FFFFFFFF'::pg_lsn - '0/0'::pg_lsn"))
        .containsExactly("18446744073709551615");
    assertError(() -> s.run("select '0/1'::pg_lsn - 2"), "22003", "pg_lsn out of range");
    assertError(
        () -> s.run("select '0/1'::pg_lsn * 2"),
        "42883",
        "operator does not exist: pg_lsn * integer");
  }

  @Test
  void pgLsn_wireForms() {
    Lsn l = Lsn.parse("1/16B3748");
    assertThat(PgValues.text(l, 3220)).isEqualTo("1/16B3748");
    assertThat(PgValues.encodeBinary(l, 3220)).containsExactly(0, 0, 0, 1, 0x01, 0x6B, 0x37, 0x48);
    assertThat(PgValues.decodeBinary(PgValues.encodeBinary(l, 3220), 3220)).isEqualTo(l);
    assertThat(PgValues.decodeText("0/10".getBytes(), 3220)).isEqualTo(Lsn.parse("0/10"));
    assertThat(PgValues.text(Duration.ofNanos(2_659_000), 1186)).isEqualTo("00:00:00.002659");
    assertThat(PgValues.text(Duration.ofSeconds(90061), 1186)).isEqualTo("25:01:01");
    assertThat(PgValues.text(Duration.ofMillis(-1500), 1186)).isEqualTo("-00:00:01.5");
    assertThat(PgValues.text(Duration.ZERO, 1186)).isEqualTo("00:00:00");
    assertThat(PgValues.encodeBinary(Duration.ofMillis(2), 1186))
        .containsExactly(0, 0, 0, 0, 0, 0, 0x07, 0xD0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(s.texts("select '00:00:01.5'::interval")).containsExactly("00:00:01.5");
  }

  @Test
  void oidXidNameInet_castsAndComparisons() {
    TestSession.Result r = s.run("select 1::oid, '42'::xid, 'abc'::name, '::1'::inet");
    assertThat(r.columns()).extracting(ResultColumn::typeOid).containsExactly(26, 28, 19, 869);
    assertThat(r.rows().get(0)).containsExactly(1L, 42L, "abc", "::1");
    assertThat(s.texts("select 10::oid = 10 and 7::oid::int8 = 7")).containsExactly("t");
    assertError(
        () -> s.run("select 'nope'::inet"),
        "22P02",
        "invalid input syntax for type inet: \"nope\"");
  }

  @Test
  void pgLsn_cannotBeATableColumn() {
    assertError(
        () -> s.run("create table t (l pg_lsn)"),
        "0A000",
        "columns of type pg_lsn is not supported");
  }

  // ------------------------------------------------------------------ functions

  @Test
  void currentWalLsn_fromStatus() {
    TestSession.Result r =
        s.run(
            "select pg_current_wal_lsn(), pg_current_wal_flush_lsn(),"
                + " pg_current_wal_insert_lsn()");
    assertThat(r.columns())
        .extracting(ResultColumn::name)
        .containsExactly(
            "pg_current_wal_lsn", "pg_current_wal_flush_lsn", "pg_current_wal_insert_lsn");
    assertThat(r.columns()).extracting(ResultColumn::typeOid).containsOnly(3220);
    assertThat(r.rows().get(0))
        .containsExactly(Lsn.parse("0/3000060"), Lsn.parse("0/3000000"), Lsn.parse("0/30000A8"));
  }

  @Test
  void walControl_duringRecovery_55000() {
    s.mgr.setInRecovery(true);
    for (String f :
        List.of("pg_current_wal_lsn", "pg_current_wal_flush_lsn", "pg_current_wal_insert_lsn")) {
      assertError(() -> s.run("select " + f + "()"), "55000", "recovery is in progress");
    }
    try {
      s.run("select pg_switch_wal()");
    } catch (SqlException e) {
      assertThat(e.sqlState()).isEqualTo("55000");
      assertThat(e.hint()).isEqualTo("WAL control functions cannot be executed during recovery.");
    }
    assertThat(st.switches).isZero();
    try {
      s.run("select pg_walfile_name('0/1000000')");
      throw new AssertionError("no error");
    } catch (SqlException e) {
      assertThat(e.sqlState()).isEqualTo("55000");
      assertThat(e.getMessage()).isEqualTo("recovery is in progress");
      assertThat(e.hint()).isEqualTo("pg_walfile_name() cannot be executed during recovery.");
    }
    assertThat(s.texts("select pg_is_wal_replay_paused()")).containsExactly("f");
    assertThat(s.texts("select pg_is_in_recovery()")).containsExactly("t");
  }

  @Test
  void walControl_statusWithoutPositions_isAnError() {
    s.status = ServerStatus.NONE;
    assertError(() -> s.run("select pg_current_wal_lsn()"), "55000", "recovery is in progress");
    assertThat(s.texts("select pg_last_wal_receive_lsn()")).containsExactly((String) null);
  }

  @Test
  void lastReceiveAndReplay_nullOnAPrimary_valuesOnAStandby() {
    TestSession.Result r =
        s.run(
            "select pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(),"
                + " pg_last_xact_replay_timestamp()");
    assertThat(r.columns()).extracting(ResultColumn::typeOid).containsExactly(3220, 3220, 1184);
    assertThat(r.rows().get(0)).containsExactly(null, null, null);
    st.receive = Optional.of(Lsn.parse("0/5000000"));
    st.replay = Optional.of(Lsn.parse("0/4FFFFF0"));
    assertThat(s.texts("select pg_last_wal_receive_lsn()")).containsExactly("0/5000000");
    assertThat(s.texts("select pg_last_wal_replay_lsn()")).containsExactly("0/4FFFFF0");
    assertThat(s.texts("select pg_last_xact_replay_timestamp()"))
        .containsExactly("2026-12-03 16:00:00.123456+00");
  }

  @Test
  void walLsnDiff_isNumeric() {
    TestSession.Result r = s.run("select pg_wal_lsn_diff('0/3000000', '0/1000000')");
    assertThat(r.columns().get(0).typeOid()).isEqualTo(1700);
    assertThat(r.columns().get(0).name()).isEqualTo("pg_wal_lsn_diff");
    assertThat(r.value()).isEqualTo(new BigDecimal(33554432));
    assertThat(s.texts("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/3000000')"))
        .containsExactly("96");
    assertThat(s.texts("select pg_wal_lsn_diff(null, '0/1')")).containsExactly((String) null);
    assertError(
        () -> s.run("select pg_wal_lsn_diff(1, 2)"),
        "42883",
        "function pg_wal_lsn_diff(integer, integer) does not exist");
  }

  @Test
  void walfileName_usesTheByteBeforeTheLsn() {
    assertThat(s.texts("select pg_walfile_name('0/1000000')"))
        .containsExactly("000000020000000000000000");
    assertThat(s.texts("select pg_walfile_name('0/16B3748')"))
        .containsExactly("000000020000000000000001");
    assertThat(s.texts("select pg_walfile_name('1/1000001')"))
        .containsExactly("000000020000000100000001");
    assertThat(WalFunctions.fileName(1, Lsn.parse("0/1000000"), 1 << 24))
        .isEqualTo("000000010000000000000000");
  }

  @Test
  void walfileNameOffset_inTargetListAndFrom() {
    TestSession.Result r = s.run("select pg_walfile_name_offset('0/16B3748')");
    assertThat(r.columns().get(0).typeOid()).isEqualTo(2249);
    assertThat(r.value()).isEqualTo("(000000020000000000000001,7026504)");
    r = s.run("select * from pg_walfile_name_offset('0/1000000')");
    assertThat(r.columns())
        .extracting(ResultColumn::name)
        .containsExactly("file_name", "file_offset");
    assertThat(r.columns()).extracting(ResultColumn::typeOid).containsExactly(25, 23);
    // the file holds the byte before the LSN; the offset is the LSN's own
    assertThat(r.rows().get(0)).containsExactly("000000020000000000000000", 0);
    assertThat(s.texts("select file_offset from pg_catalog.pg_walfile_name_offset('0/1000010') w"))
        .containsExactly("16");
    assertThat(s.run("select * from pg_walfile_name_offset(null)").rows().get(0))
        .containsExactly(null, null);
    s.mgr.setInRecovery(true);
    assertError(
        () -> s.run("select * from pg_walfile_name_offset('0/1')"),
        "55000",
        "recovery is in progress");
  }

  @Test
  void switchWal_andReloadConf_superuserOnly() {
    assertThat(s.texts("select pg_switch_wal()")).containsExactly("0/30000A8");
    assertThat(st.switches).isEqualTo(1);
    assertThat(s.texts("select pg_current_wal_lsn()")).containsExactly("0/4000000");
    assertThat(s.texts("select pg_reload_conf()")).containsExactly("t");
    assertThat(st.reloads).isEqualTo(1);
    s.superuser = false;
    assertError(
        () -> s.run("select pg_switch_wal()"),
        "42501",
        "permission denied for function pg_switch_wal");
    assertError(
        () -> s.run("select pg_reload_conf()"),
        "42501",
        "permission denied for function pg_reload_conf");
  }

  @Test
  void walReplayPaused_onAPrimary_55000() {
    assertError(
        () -> s.run("select pg_is_wal_replay_paused()"), "55000", "recovery is not in progress");
  }

  // ------------------------------------------------------------------ views

  @Test
  void pgStatReplication_columnsAndTypesOfPg15() {
    TestSession.Result r = s.run("select * from pg_stat_replication order by pid");
    assertThat(r.columns())
        .extracting(ResultColumn::name)
        .containsExactly(
            "pid",
            "usesysid",
            "usename",
            "application_name",
            "client_addr",
            "client_hostname",
            "client_port",
            "backend_start",
            "backend_xmin",
            "state",
            "sent_lsn",
            "write_lsn",
            "flush_lsn",
            "replay_lsn",
            "write_lag",
            "flush_lag",
            "replay_lag",
            "sync_priority",
            "sync_state",
            "reply_time");
    assertThat(r.columns())
        .extracting(ResultColumn::typeOid)
        .containsExactly(
            23, 26, 19, 25, 869, 25, 23, 1184, 28, 25, 3220, 3220, 3220, 3220, 1186, 1186, 1186, 23,
            25, 1184);
    assertThat(r.tag()).isEqualTo("SELECT 2");
    List<String> first = new ArrayList<>();
    for (int i = 0; i < r.columns().size(); i++) {
      Object v = r.rows().get(0).get(i);
      first.add(v == null ? null : PgValues.text(v, r.columns().get(i).typeOid()));
    }
    assertThat(first)
        .containsExactly(
            "4711",
            "10",
            "replicator",
            "standby1",
            "127.0.0.1",
            null,
            "54321",
            "2026-12-03 15:30:00+00",
            null,
            "streaming",
            "0/3000060",
            "0/3000060",
            "0/3000000",
            null, // invalid LSN shows as NULL
            "00:00:00.002659",
            "00:00:01.5",
            null,
            "1",
            "sync",
            "2026-12-03 16:00:00+00");
    assertThat(r.rows().get(1).get(4)).isEqualTo("::1");
  }

  @Test
  void pgStatReplication_whereAggregatesQualifiedName() {
    assertThat(s.texts("select count(*) from pg_catalog.pg_stat_replication")).containsExactly("2");
    assertThat(
            s.texts(
                "select application_name from pg_stat_replication r where r.sync_state = 'async'"))
        .containsExactly("pg_receivewal");
    assertThat(
            s.texts("select pid from pg_stat_replication where sent_lsn > '0/2000000' order by 1"))
        .containsExactly("4711");
    assertThat(s.texts("select max(sent_lsn) from pg_stat_replication"))
        .containsExactly("0/3000060");
    assertThat(
            s.texts(
                "select pg_wal_lsn_diff(sent_lsn, flush_lsn) from pg_stat_replication"
                    + " where usename = 'replicator' and usesysid = 10 order by pid"))
        .containsExactly("96", null);
    st.senders.clear();
    assertThat(s.run("select * from pg_stat_replication").rows()).isEmpty();
  }

  @Test
  void interval_inputFormsAndComparison() {
    assertThat(s.texts("select interval '1 second'")).containsExactly("00:00:01");
    assertThat(s.texts("select '500 ms'::interval")).containsExactly("00:00:00.5");
    assertThat(s.texts("select '1 day 02:00:00'::interval")).containsExactly("26:00:00");
    assertThat(s.texts("select '2 min 1.25 s'::interval")).containsExactly("00:02:01.25");
    assertThat(
            s.texts(
                "select application_name from pg_stat_replication where flush_lag > '1 second'"))
        .containsExactly("standby1");
    assertThat(s.texts("select count(*) from pg_stat_replication where write_lag < '1ms'"))
        .containsExactly("0");
    assertError(
        () -> s.run("select 'soon'::interval"),
        "22007",
        "invalid input syntax for type interval: \"soon\"");
  }

  @Test
  void views_hideDetailsFromOtherRoles() {
    s.superuser = false;
    s.user = "monitor";
    List<Object> row = s.run("select * from pg_stat_replication order by pid").rows().get(0);
    assertThat(row.subList(0, 4)).containsExactly(4711, 10L, "replicator", "standby1");
    assertThat(row.subList(4, row.size())).containsOnlyNulls();
    s.user = "replicator";
    row = s.run("select * from pg_stat_replication order by pid").rows().get(0);
    assertThat(row.get(4)).isEqualTo("127.0.0.1");
    assertThat(row.subList(9, row.size())).containsOnlyNulls();
  }

  @Test
  void pgStatWalReceiver_rowOnlyWhileRunning() {
    TestSession.Result r = s.run("select * from pg_stat_wal_receiver");
    assertThat(r.rows()).isEmpty();
    assertThat(r.columns())
        .extracting(ResultColumn::name)
        .containsExactly(
            "pid",
            "status",
            "receive_start_lsn",
            "receive_start_tli",
            "written_lsn",
            "flushed_lsn",
            "received_tli",
            "last_msg_send_time",
            "last_msg_receipt_time",
            "latest_end_lsn",
            "latest_end_time",
            "slot_name",
            "sender_host",
            "sender_port",
            "conninfo");
    assertThat(r.columns())
        .extracting(ResultColumn::typeOid)
        .containsExactly(23, 25, 3220, 23, 3220, 3220, 23, 1184, 1184, 3220, 1184, 25, 25, 23, 25);
    st.receiver =
        Optional.of(
            new WalReceiverStatRow(
                99,
                "streaming",
                Lsn.parse("0/3000000"),
                1,
                Lsn.parse("0/3000100"),
                Lsn.parse("0/3000100"),
                1,
                Instant.parse("2026-12-03T16:00:00Z"),
                Instant.parse("2026-12-03T16:00:00.001Z"),
                Lsn.parse("0/3000100"),
                Instant.parse("2026-12-03T16:00:00Z"),
                null,
                "127.0.0.1",
                5432,
                "user=replicator host=127.0.0.1 port=5432"));
    assertThat(s.texts("select status from pg_catalog.pg_stat_wal_receiver"))
        .containsExactly("streaming");
    assertThat(s.texts("select flushed_lsn from pg_stat_wal_receiver"))
        .containsExactly("0/3000100");
  }

  @Test
  void pgStatArchiver_oneRow() {
    TestSession.Result r = s.run("select * from pg_stat_archiver");
    assertThat(r.columns())
        .extracting(ResultColumn::name)
        .containsExactly(
            "archived_count",
            "last_archived_wal",
            "last_archived_time",
            "failed_count",
            "last_failed_wal",
            "last_failed_time",
            "stats_reset");
    assertThat(r.columns())
        .extracting(ResultColumn::typeOid)
        .containsExactly(20, 25, 1184, 20, 25, 1184, 1184);
    assertThat(r.rows()).hasSize(1);
    assertThat(r.rows().get(0).get(0)).isEqualTo(2L);
    s.status = ServerStatus.NONE;
    assertThat(s.run("select archived_count, stats_reset from pg_stat_archiver").rows().get(0))
        .containsExactly(0L, null);
  }

  @Test
  void views_cannotBeWritten() {
    assertError(
        () -> s.run("insert into pg_stat_replication (pid) values (1)"),
        "55000",
        "cannot insert into view \"pg_stat_replication\"");
    assertError(
        () -> s.run("update pg_catalog.pg_stat_archiver set failed_count = 0"),
        "55000",
        "cannot update view \"pg_stat_archiver\"");
    assertError(
        () -> s.run("delete from pg_stat_wal_receiver"),
        "55000",
        "cannot delete from view \"pg_stat_wal_receiver\"");
    assertError(
        () -> s.run("truncate pg_stat_replication"),
        "42809",
        "\"pg_stat_replication\" is not a table");
  }
}
