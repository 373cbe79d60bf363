package org.walden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** pgjdbc 42.7 against a real node: connect, DDL, prepared statements, transactions, errors. */
class PgJdbcIT {

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

  @Test
  void connect_trust_runsDdlAndQueries() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create table t1 (id int primary key, v text)");
      assertThat(s.executeUpdate("insert into t1 values (1, 'one'), (2, 'two')")).isEqualTo(2);
      try (ResultSet rs = s.executeQuery("select id, v from t1 order by id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getString(2)).isEqualTo("one");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("v")).isEqualTo("two");
        assertThat(rs.next()).isFalse();
      }
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  void preparedStatement_switchesToBinaryAfterFiveExecutions() throws Exception {
    try (Connection c = server.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "create table typed (id int primary key, big bigint, name varchar(40),"
                + " at timestamp, amount numeric)");
      }
      LocalDateTime base = LocalDateTime.of(2026, 11, 22, 4, 5, 6, 123456000);
      try (PreparedStatement ins = c.prepareStatement("insert into typed values (?, ?, ?, ?, ?)")) {
        for (int i = 0; i < 12; i++) {
          ins.setInt(1, i);
          ins.setLong(2, 10_000_000_000L + i);
          ins.setString(3, "name-" + i);
          ins.setTimestamp(4, Timestamp.valueOf(base.plusDays(i)));
          ins.setBigDecimal(5, new BigDecimal("12345.67").add(BigDecimal.valueOf(i)));
          assertThat(ins.executeUpdate()).isEqualTo(1);
        }
      }
      try (PreparedStatement q =
          c.prepareStatement("select id, big, name, at, amount from typed where id = ?")) {
        for (int i = 0; i < 12; i++) {
          q.setInt(1, i);
          try (ResultSet rs = q.executeQuery()) {
            assertThat(rs.next()).as("row %d", i).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(i);
            assertThat(rs.getLong(2)).isEqualTo(10_000_000_000L + i);
            assertThat(rs.getString(3)).isEqualTo("name-" + i);
            assertThat(rs.getTimestamp(4).toLocalDateTime()).isEqualTo(base.plusDays(i));
            assertThat(rs.getBigDecimal(5))
                .isEqualByComparingTo(new BigDecimal("12345.67").add(BigDecimal.valueOf(i)));
            assertThat(rs.next()).isFalse();
          }
        }
      }
    }
  }

  @Test
  void setTransactionIsolationAndReadOnly_applyToTheNextTransaction() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      // pgjdbc sends SET SESSION CHARACTERISTICS AS TRANSACTION ... for both
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
      try (ResultSet rs = s.executeQuery("show transaction_isolation")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("repeatable read");
      }
      c.setReadOnly(true);
      c.setAutoCommit(false);
      assertThatThrownBy(() -> s.execute("create table ro (id int primary key)"))
          .isInstanceOf(java.sql.SQLException.class)
          .satisfies(e -> assertThat(((java.sql.SQLException) e).getSQLState()).isEqualTo("25006"));
      c.rollback();
    }
  }

  @Test
  void autocommitOff_commitKeepsAndRollbackDiscards() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create table ac (id int primary key)");
      c.setAutoCommit(false);
      s.executeUpdate("insert into ac values (1)");
      c.commit();
      s.executeUpdate("insert into ac values (2)");
      c.rollback();
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("select count(*) from ac")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void errorInTransaction_abortsBlockUntilRollback() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create table dup (id int primary key)");
      c.setAutoCommit(false);
      s.executeUpdate("insert into dup values (1)");
      assertThatThrownBy(() -> s.executeUpdate("insert into dup values (1)"))
          .isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("23505");
      assertThatThrownBy(() -> s.executeQuery("select 1"))
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("25P02");
      c.rollback();
      try (ResultSet rs = s.executeQuery("select count(*) from dup")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
      c.commit();
    }
  }

  @Test
  void fetchSize_withAutocommitOff_suspendsAndResumesThePortal() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create table many (id int primary key)");
      try (PreparedStatement ins = c.prepareStatement("insert into many values (?)")) {
        for (int i = 0; i < 250; i++) {
          ins.setInt(1, i);
          ins.addBatch();
        }
        ins.executeBatch();
      }
      c.setAutoCommit(false);
      try (Statement q = c.createStatement()) {
        q.setFetchSize(17);
        long sum = 0;
        int n = 0;
        try (ResultSet rs = q.executeQuery("select id from many order by id")) {
          while (rs.next()) {
            assertThat(rs.getInt(1)).isEqualTo(n);
            sum += rs.getInt(1);
            n++;
          }
        }
        assertThat(n).isEqualTo(250);
        assertThat(sum).isEqualTo(249L * 250 / 2);
      }
      c.commit();
    }
  }

  @Test
  void deadlock_betweenTwoConnections_failsOneWith40P01() throws Exception {
    try (Connection setup = server.connect();
        Statement s = setup.createStatement()) {
      s.execute("create table dl (id int primary key, v int)");
      s.executeUpdate("insert into dl values (1, 0), (2, 0)");
    }
    try (Connection a = server.connect();
        Connection b = server.connect()) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      a.createStatement().executeUpdate("update dl set v = v + 1 where id = 1");
      b.createStatement().executeUpdate("update dl set v = v + 1 where id = 2");
      CompletableFuture<Integer> aWaits =
          CompletableFuture.supplyAsync(() -> {
            try {
              return a.createStatement().executeUpdate("update dl set v = v + 1 where id = 2");
            } catch (SQLException e) {
              throw new RuntimeException(e);
            }
          });
      String bState = null;
      try {
        b.createStatement().executeUpdate("update dl set v = v + 1 where id = 1");
      } catch (SQLException e) {
        bState = e.getSQLState();
        b.rollback();
      }
      String aState = null;
      try {
        aWaits.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        aState = ((SQLException) e.getCause().getCause()).getSQLState();
        a.rollback();
      }
      assertThat(new String[] {aState, bState}).containsOnlyOnce("40P01");
      if (aState == null) {
        a.commit();
      } else {
        b.commit();
      }
    }
  }

  @Test
  void scram_roleCreatedBySql_canLogInWithItsPassword() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create role app login password 'secret'");
    }
    server.writeHba(
        """
        host all app 127.0.0.1/32 scram-sha-256
        host all all 127.0.0.1/32 trust
        host all all ::1/128 trust
        """);
    try (Connection c = server.connect("app", "secret");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show session_authorization")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("app");
    }
    assertThatThrownBy(() -> server.connect("app", "wrong"))
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("28P01");
  }

  @Test
  void setAndShow_followSessionAndTransactionRules() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      assertThat(show(s, "application_name")).isEqualTo("PostgreSQL JDBC Driver");
      s.execute("set application_name = 'walden-test'");
      assertThat(show(s, "application_name")).isEqualTo("walden-test");
      s.execute("set time zone 'Europe/Berlin'");
      assertThat(show(s, "TimeZone")).isEqualTo("Europe/Berlin");
      c.setAutoCommit(false);
      s.execute("set local statement_timeout = '5s'");
      assertThat(show(s, "statement_timeout")).isEqualTo("5s");
      assertThat(show(s, "transaction_isolation")).isEqualTo("read committed");
      c.commit();
      assertThat(show(s, "statement_timeout")).isEqualTo("0");
      s.execute("set application_name = 'rolled-back'");
      c.rollback();
      assertThat(show(s, "application_name")).isEqualTo("walden-test");
      c.setAutoCommit(true);
      assertThatThrownBy(() -> s.execute("set port = 1"))
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("55P02");
      assertThatThrownBy(() -> s.execute("show no_such_thing"))
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("42704");
    }
  }

  @Test
  void copyManager_copiesInAndOut() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("create table cp (id int primary key, name text, n numeric)");
      CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
      long in =
          cm.copyIn(
              "copy cp from stdin",
              new java.io.StringReader("1\tone\t1.5\n2\t\\N\t2\n3\ttab\\there\t\\N\n"));
      assertThat(in).isEqualTo(3);
      java.io.StringWriter out = new java.io.StringWriter();
      assertThat(cm.copyOut("copy cp to stdout with (format csv)", out)).isEqualTo(3);
      assertThat(out.toString()).isEqualTo("1,one,1.5\n2,,2\n3,tab\there,\n");
    }
  }

  @Test
  void setDateStyle_reportsParameterStatusThatPgjdbcChecks() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      // pgjdbc closes the connection when the reported DateStyle does not start with ISO:
      // proof that the SET produced a ParameterStatus
      assertThatThrownBy(() -> s.execute("set datestyle = 'German'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("DateStyle");
    }
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("set datestyle = 'iso, dmy'");
      assertThat(show(s, "DateStyle")).isEqualTo("ISO, DMY");
    }
  }

  @Test
  void statementTimeout_cancelsALongQueryWith57014() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("set statement_timeout = '50ms'");
      assertThatThrownBy(
              () -> s.executeQuery("select count(*) from generate_series(1, 2000000000) as g"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("statement timeout")
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("57014");
      s.execute("set statement_timeout = 0");
      assertThat(show(s, "statement_timeout")).isEqualTo("0");
    }
  }

  private static String show(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("show " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
