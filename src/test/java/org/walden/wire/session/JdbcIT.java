package org.walden.wire.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** pgjdbc 42.7 against the listener: login, simple and extended queries, cancel, refusals. */
class JdbcIT {
  private WireTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new WireTestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Connection connect(String db, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + db, p);
  }

  @Test
  void getConnection_scramPassword_selectOneOverExtendedProtocol() throws Exception {
    try (Connection c = connect("app", "alice", "secret");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getMetaData().getColumnName(1)).isEqualTo("?column?");
      assertThat(rs.next()).isFalse();
      assertThat(((PGConnection) c).getBackendPID()).isPositive();
      assertThat(c.getMetaData().getDatabaseProductVersion()).isEqualTo("15.4");
    }
  }

  @Test
  void getConnection_wrongPassword_fails28P01() {
    assertThatThrownBy(() -> connect("app", "alice", "wrong"))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("28P01");
              assertThat(e.getMessage())
                  .contains("password authentication failed for user \"alice\"");
            });
  }

  @Test
  void getConnection_unknownUser_fails28P01LikeWrongPassword() {
    assertThatThrownBy(() -> connect("app", "mallory", "x"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void getConnection_md5RuleWithScramSecret_usesScram() throws Exception {
    try (Connection c = connect("md5db", "alice", "secret")) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  void getConnection_md5RuleWithMd5Secret_usesMd5() throws Exception {
    try (Connection c = connect("md5db", "bob", "hunter2")) {
      assertThat(c.isValid(5)).isTrue();
    }
    assertThatThrownBy(() -> connect("md5db", "bob", "hunter3"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void getConnection_passwordRule_checksCleartextAgainstScram() throws Exception {
    try (Connection c = connect("pwdb", "alice", "secret")) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  void getConnection_hbaReject_fails28000() {
    assertThatThrownBy(() -> connect("nodb", "alice", "secret"))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("28000");
              assertThat(e.getMessage()).contains("pg_hba.conf rejects connection for host");
            });
  }

  @Test
  void getConnection_noHbaEntry_fails28000() throws Exception {
    server.close();
    server = new WireTestServer("host onlydb all 127.0.0.1/32 trust\n", 10, Duration.ofSeconds(5));
    assertThatThrownBy(() -> connect("app", "alice", "secret"))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("28000");
              assertThat(e.getMessage())
                  .contains(
                      "no pg_hba.conf entry for host \"127.0.0.1\", user \"alice\", database"
                          + " \"app\", no encryption");
            });
  }

  @Test
  void getConnection_trustNoLoginRole_fails28000() {
    assertThatThrownBy(() -> connect("trustdb", "nologin", ""))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("28000");
              assertThat(e.getMessage()).contains("is not permitted to log in");
            });
  }

  @Test
  void getConnection_tooManyClients_fails53300() throws Exception {
    server.close();
    server = new WireTestServer(WireTestServer.DEFAULT_HBA, 2, Duration.ofSeconds(5));
    try (Connection a = connect("trustdb", "alice", "");
        Connection b = connect("trustdb", "alice", "")) {
      assertThatThrownBy(() -> connect("trustdb", "alice", ""))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("53300");
                assertThat(e.getMessage()).contains("sorry, too many clients already");
              });
      assertThat(a.isValid(5) && b.isValid(5)).isTrue();
    }
    // the slots come back when the sessions end
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.listener.registry().slotsInUse() == 0);
    try (Connection c = connect("trustdb", "alice", "")) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  void cancel_blockedQuery_fails57014AndSessionSurvives() throws Exception {
    try (Connection c = connect("app", "alice", "secret");
        Statement st = c.createStatement()) {
      CompletableFuture<Throwable> outcome =
          CompletableFuture.supplyAsync(() -> {
            try (ResultSet rs = st.executeQuery("select pg_sleep(1000)")) {
              return null;
            } catch (SQLException e) {
              return e;
            }
          });
      assertThat(server.blocking.await(10, TimeUnit.SECONDS)).isTrue();
      st.cancel();
      Throwable t = outcome.get(10, TimeUnit.SECONDS);
      assertThat(t).isInstanceOf(SQLException.class);
      assertThat(((SQLException) t).getSQLState()).isEqualTo("57014");
      assertThat(t.getMessage()).contains("canceling statement due to user request");
      try (ResultSet rs = st.executeQuery("select 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void transaction_errorThenRollback_statusTracked() throws Exception {
    try (Connection c = connect("app", "alice", "secret");
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      try (ResultSet rs = st.executeQuery("select 1")) {
        assertThat(rs.next()).isTrue();
      }
      assertThatThrownBy(() -> st.executeQuery("select nonsense"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42601"));
      assertThatThrownBy(() -> st.executeQuery("select 1"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
      c.rollback();
      c.setAutoCommit(true);
      try (ResultSet rs = st.executeQuery("select 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void getConnection_manyConcurrent_allServed() throws Exception {
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(
          CompletableFuture.supplyAsync(() -> {
            try (Connection c = connect("app", "alice", "secret");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select 1")) {
              rs.next();
              return rs.getInt(1);
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          }));
    }
    for (CompletableFuture<Integer> f : all) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    }
  }
}
