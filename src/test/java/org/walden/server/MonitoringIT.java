package org.walden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import org.walden.wal.Lsn;

/**
 * The replication monitoring surface against a real lone primary, through pgjdbc 42.7 and psql 15:
 * the system views, the WAL functions, pg_switch_wal, ALTER SYSTEM with pg_reload_conf, and the hot
 * standby read-only errors.
 */
class MonitoringIT {

  private static final long SEGMENT = 1 << 24;

  @TempDir static Path tmp;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(tmp);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The type OIDs of a result, as the server sent them in RowDescription. */
  static List<Integer> typeOids(ResultSetMetaData md) throws Exception {
    // pgjdbc looks unknown OIDs (pg_lsn) up in pg_type for getColumnTypeName; the field is exact
    Method getField = md.getClass().getDeclaredMethod("getField", int.class);
    getField.setAccessible(true);
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      out.add(((org.postgresql.core.Field) getField.invoke(md, i)).getOID());
    }
    return out;
  }

  static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getString(1);
    }
  }

  static void assertSqlState(Statement s, String sql, String state, String message) {
    assertThatThrownBy(() -> s.execute(sql))
        .isInstanceOf(PSQLException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo(state));
  }

  @Test
  void pgStatReplication_emptyOnALonePrimary_pg15ColumnsAndTypes() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM pg_stat_replication")) {
      assertThat(rs.next()).isFalse();
      ResultSetMetaData md = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnName(i));
      }
      assertThat(names)
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
      assertThat(typeOids(md))
          .containsExactly(
              23, 26, 19, 25, 869, 25, 23, 1184, 28, 25, 3220, 3220, 3220, 3220, 1186, 1186, 1186,
              23, 25, 1184);
    }
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      assertThat(one(s, "select count(*) from pg_catalog.pg_stat_replication")).isEqualTo("0");
      assertThat(one(s, "select count(*) from pg_stat_wal_receiver")).isEqualTo("0");
      assertThat(one(s, "select archived_count from pg_stat_archiver")).isEqualTo("0");
      assertSqlState(
          s,
          "insert into pg_stat_replication (pid) values (1)",
          "55000",
          "cannot insert into view \"pg_stat_replication\"");
    }
  }

  @Test
  void walFunctions_currentLsnDiffAndFileName() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create table wf (id int primary key)");
      s.execute("insert into wf values (1)");
      try (ResultSet rs =
          s.executeQuery(
              "select pg_current_wal_lsn(), pg_current_wal_flush_lsn(),"
                  + " pg_current_wal_insert_lsn(), pg_last_wal_receive_lsn(),"
                  + " pg_last_wal_replay_lsn(), pg_is_in_recovery()")) {
        assertThat(rs.next()).isTrue();
        assertThat(typeOids(rs.getMetaData())).containsExactly(3220, 3220, 3220, 3220, 3220, 16);
        Lsn write = Lsn.parse(rs.getString(1));
        Lsn flush = Lsn.parse(rs.getString(2));
        Lsn insert = Lsn.parse(rs.getString(3));
        assertThat(rs.getString(1)).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(write.isValid()).isTrue();
        assertThat(flush.isAfter(write)).isFalse();
        assertThat(write.isAfter(insert)).isFalse();
        assertThat(rs.getString(4)).isNull();
        assertThat(rs.getString(5)).isNull();
        assertThat(rs.getBoolean(6)).isFalse();
      }
      try (ResultSet rs =
          s.executeQuery("select pg_wal_lsn_diff('0/3000000', '0/1000000'), '0/10'::pg_lsn - 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBigDecimal(1)).isEqualTo(new BigDecimal(33554432));
        assertThat(rs.getString(2)).isEqualTo("0/F");
      }
      assertThat(one(s, "select pg_walfile_name('0/1000000')"))
          .isEqualTo("000000010000000000000000");
      assertThat(one(s, "select pg_walfile_name('0/16B3748')"))
          .isEqualTo("000000010000000000000001");
      assertSqlState(
          s, "select 'x'::pg_lsn", "22P02", "invalid input syntax for type pg_lsn: \"x\"");
    }
  }

  @Test
  void switchWal_nextCurrentLsnIsInTheNextSegment() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create table sw (id int primary key)");
      s.execute("insert into sw values (1)");
      Lsn switched = Lsn.parse(one(s, "select pg_switch_wal()"));
      Lsn after = Lsn.parse(one(s, "select pg_current_wal_lsn()"));
      long switchSeg = (switched.value() - 1) / SEGMENT;
      assertThat(after.value() / SEGMENT).isGreaterThan(switchSeg);
      // nothing written since: a second switch does nothing and returns the segment start
      Lsn again = Lsn.parse(one(s, "select pg_switch_wal()"));
      assertThat(again.value() % SEGMENT).isZero();
      assertThat(again.value() / SEGMENT).isEqualTo(switchSeg + 1);
    }
  }

  @Test
  void alterSystem_thenReload_changesShow() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      assertThat(one(s, "show checkpoint_timeout")).isEqualTo("5min");
      s.execute("ALTER SYSTEM SET checkpoint_timeout = '7min'");
      assertThat(Files.readString(server.dataDir.resolve("postgresql.auto.conf")))
          .contains("checkpoint_timeout = '7min'");
      assertThat(one(s, "show checkpoint_timeout")).isEqualTo("5min");
      assertThat(one(s, "select pg_reload_conf()")).isEqualTo("t");
      assertThat(one(s, "show checkpoint_timeout")).isEqualTo("7min");

      assertSqlState(
          s,
          "alter system set no_such_thing = 1",
          "42704",
          "unrecognized configuration parameter \"no_such_thing\"");
      assertSqlState(
          s,
          "alter system set checkpoint_timeout = 'soon'",
          "22023",
          "invalid value for parameter \"checkpoint_timeout\": \"soon\"");
      c.setAutoCommit(false);
      assertSqlState(
          s,
          "alter system set checkpoint_timeout to 600",
          "25001",
          "ALTER SYSTEM cannot run inside a transaction block");
      c.rollback();
      c.setAutoCommit(true);

      s.execute("ALTER SYSTEM RESET checkpoint_timeout");
      s.execute("select pg_reload_conf()");
      assertThat(one(s, "show checkpoint_timeout")).isEqualTo("5min");
      s.execute("create role monitor login");
    }
    try (Connection c = server.connect("monitor", null);
        Statement s = c.createStatement()) {
      assertSqlState(
          s,
          "alter system set checkpoint_timeout to 600",
          "42501",
          "must be superuser to execute ALTER SYSTEM command");
      assertSqlState(
          s, "select pg_switch_wal()", "42501", "permission denied for function pg_switch_wal");
      assertThat(one(s, "select pg_current_wal_lsn() is not null")).isEqualTo("t");
    }
  }

  @Test
  void inRecovery_writesAreReadOnly_walControlRefused() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create table hs (id int primary key)");
      server.node.transactions().setInRecovery(true);
      try {
        assertSqlState(
            s,
            "insert into hs values (1)",
            "25006",
            "cannot execute INSERT in a read-only transaction");
        assertSqlState(
            s,
            "create table hs2 (id int)",
            "25006",
            "cannot execute CREATE TABLE in a read-only transaction");
        assertThat(one(s, "show transaction_read_only")).isEqualTo("on");
        assertSqlState(
            s,
            "begin read write",
            "0A000",
            "cannot set transaction read-write mode during recovery");
        assertThat(one(s, "show default_transaction_read_only")).isEqualTo("off");
        assertThat(one(s, "select pg_is_in_recovery()")).isEqualTo("t");
        assertThatThrownBy(() -> s.execute("select pg_current_wal_lsn()"))
            .isInstanceOf(PSQLException.class)
            .satisfies(e -> {
              PSQLException p = (PSQLException) e;
              assertThat(p.getSQLState()).isEqualTo("55000");
              assertThat(p.getServerErrorMessage().getMessage())
                  .isEqualTo("recovery is in progress");
              assertThat(p.getServerErrorMessage().getHint())
                  .isEqualTo("WAL control functions cannot be executed during recovery.");
            });
        assertSqlState(s, "select pg_switch_wal()", "55000", "recovery is in progress");
        assertThatThrownBy(() -> s.execute("select pg_walfile_name('0/1')"))
            .satisfies(e ->
                assertThat(((PSQLException) e).getServerErrorMessage().getHint())
                    .isEqualTo("pg_walfile_name() cannot be executed during recovery."));
        assertThat(one(s, "select count(*) from hs")).isEqualTo("0");
      } finally {
        server.node.transactions().setInRecovery(false);
      }
      s.execute("insert into hs values (1)");
    }
  }

  @Test
  void psql_printsViewsAndLsns() throws Exception {
    assumeTrue(ClientProcess.available(ClientProcess.PSQL), "psql is not installed");
    ClientProcess.Result r =
        ClientProcess.psql(
            server,
            tmp,
            "-At",
            "-c",
            "select * from pg_stat_replication",
            "-c",
            "select pg_walfile_name('0/16B3748'), pg_wal_lsn_diff('0/3000000', '0/1000000')",
            "-c",
            "select pg_current_wal_lsn()",
            "-c",
            "select count(*), max(archived_count) from pg_stat_archiver");
    assertThat(r.exitCode()).as("%s", r).isZero();
    String[] lines = r.stdout().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isEqualTo("000000010000000000000001|33554432");
    assertThat(lines[1]).matches("[0-9A-F]+/[0-9A-F]+");
    assertThat(lines[2]).isEqualTo("1|0");
    ClientProcess.Result header =
        ClientProcess.psql(
            server, tmp, "-c", "select pid, sent_lsn, replay_lag from pg_stat_replication");
    assertThat(header.exitCode()).as("%s", header).isZero();
    assertThat(header.stdout()).contains("pid | sent_lsn | replay_lag", "(0 rows)");
  }
}
