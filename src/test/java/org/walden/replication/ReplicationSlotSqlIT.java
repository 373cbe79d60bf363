package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import org.walden.wal.Lsn;

/** The slot functions and pg_replication_slots over SQL (pgjdbc). */
class ReplicationSlotSqlIT {
  @TempDir Path tmp;

  private static List<String> row(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getString(i));
      }
      return out;
    }
  }

  /** The type OIDs as sent in RowDescription (pgjdbc would look pg_lsn up in pg_type). */
  private static List<Integer> typeOids(ResultSetMetaData md) throws Exception {
    java.lang.reflect.Method getField = md.getClass().getDeclaredMethod("getField", int.class);
    getField.setAccessible(true);
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      out.add(((org.postgresql.core.Field) getField.invoke(md, i)).getOID());
    }
    return out;
  }

  private static String sqlState(Statement s, String sql) {
    try {
      s.execute(sql);
    } catch (PSQLException e) {
      return e.getSQLState() + " " + e.getServerErrorMessage().getMessage();
    } catch (SQLException e) {
      return e.getSQLState();
    }
    throw new AssertionError("no error from " + sql);
  }

  @Test
  void functionsAndView() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of());
        Connection c = p.connect();
        Statement s = c.createStatement()) {
      Lsn redo = p.node.controlData().redoLsn();
      assertThat(row(s, "select * from pg_create_physical_replication_slot('q1')"))
          .containsExactly("q1", null);
      assertThat(row(s, "select * from pg_create_physical_replication_slot('q2', true)"))
          .containsExactly("q2", redo.toString());
      assertThat(row(s, "select pg_create_physical_replication_slot('q3', false, true)"))
          .containsExactly("(q3,)");
      assertThat(sqlState(s, "select pg_create_physical_replication_slot('q1')"))
          .isEqualTo("42710 replication slot \"q1\" already exists");
      assertThat(sqlState(s, "select pg_create_physical_replication_slot('Q-1')"))
          .isEqualTo("42602 replication slot name \"Q-1\" contains invalid character");

      try (ResultSet rs =
          s.executeQuery("select * from pg_replication_slots where slot_name = 'q2'")) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          cols.add(md.getColumnName(i));
        }
        assertThat(cols)
            .containsExactly(
                "slot_name",
                "plugin",
                "slot_type",
                "datoid",
                "database",
                "temporary",
                "active",
                "active_pid",
                "xmin",
                "catalog_xmin",
                "restart_lsn",
                "confirmed_flush_lsn",
                "wal_status",
                "safe_wal_size",
                "two_phase");
        // name, name, text, oid, name, bool, bool, int4, xid, xid, pg_lsn, pg_lsn, text, int8, bool
        assertThat(typeOids(md))
            .containsExactly(19, 19, 25, 26, 19, 16, 16, 23, 28, 28, 3220, 3220, 25, 20, 16);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("slot_type")).isEqualTo("physical");
        assertThat(rs.getBoolean("temporary")).isFalse();
        assertThat(rs.getBoolean("active")).isFalse();
        assertThat(rs.getObject("active_pid")).isNull();
        assertThat(rs.getString("restart_lsn")).isEqualTo(redo.toString());
        assertThat(rs.getString("wal_status")).isEqualTo("reserved");
        assertThat(rs.getObject("safe_wal_size")).as("max_slot_wal_keep_size = -1").isNull();
        assertThat(rs.getBoolean("two_phase")).isFalse();
      }
      assertThat(
              row(
                  s,
                  "select temporary, active, wal_status from pg_replication_slots where slot_name = 'q3'"))
          .containsExactly("t", "t", null);
      assertThat(
              row(
                  s,
                  "select restart_lsn, wal_status, safe_wal_size from pg_replication_slots where slot_name = 'q1'"))
          .containsExactly(null, null, null);

      s.execute("alter system set max_slot_wal_keep_size = '10MB'");
      s.execute("select pg_reload_conf()");
      long safe =
          Long.parseLong(
              row(s, "select safe_wal_size from pg_replication_slots where slot_name = 'q2'")
                  .get(0));
      long segBytes = p.node.identity().segmentSize().bytes();
      long expected =
          p.node
                  .identity()
                  .segmentSize()
                  .startOf(p.node.identity().segmentSize().segmentOf(redo) + 11)
                  .value()
              - p.node.wal().writtenUpto().value();
      assertThat(safe).isEqualTo(expected).isPositive().isLessThanOrEqualTo(11 * segBytes);

      // advance: forward to (at most) the flush position; an unreserved slot cannot be advanced
      Lsn flushed = p.flushed();
      assertThat(row(s, "select * from pg_replication_slot_advance('q2', '" + flushed + "')"))
          .containsExactly("q2", flushed.toString());
      assertThat(row(s, "select end_lsn from pg_replication_slot_advance('q2', '0/10')"))
          .as("never back")
          .containsExactly(flushed.toString());
      assertThat(sqlState(s, "select pg_replication_slot_advance('q1', '0/10')"))
          .isEqualTo("55000 replication slot \"q1\" cannot be advanced");

      // in use by a walsender: 55006; dropped once free
      try (ReplicationClient rc = ReplicationClient.connect(p.port(), "user")) {
        rc.startReplication(
            "START_REPLICATION SLOT q1 PHYSICAL "
                + p.node.identity().segmentSize().segmentStart(flushed));
        int pid = p.node.slots().row("q1").orElseThrow().activePid();
        assertThat(
                row(
                    s,
                    "select active, active_pid from pg_replication_slots where slot_name = 'q1'"))
            .containsExactly("t", Integer.toString(pid));
        assertThat(sqlState(s, "select pg_drop_replication_slot('q1')"))
            .isEqualTo("55006 replication slot \"q1\" is active for PID " + pid);
        rc.copyDone();
        rc.collect();
      }
      assertThat(p.node.slots().awaitInactive("q1", Duration.ofSeconds(30))).isTrue();
      s.execute("select pg_drop_replication_slot('q1')");
      assertThat(sqlState(s, "select pg_drop_replication_slot('q1')"))
          .isEqualTo("42704 replication slot \"q1\" does not exist");
    }
  }

  @Test
  void aTemporarySlotGoesWithItsSession() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of())) {
      try (Connection c = p.connect();
          Statement s = c.createStatement()) {
        s.execute("select pg_create_physical_replication_slot('tq', true, true)");
        assertThat(p.node.slots().row("tq")).isPresent();
      }
      assertThat(p.node.slots().awaitInactive("tq", Duration.ofSeconds(30))).isTrue();
      assertThat(p.node.slots().row("tq")).isEmpty();
    }
  }
}
