package org.walden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.DataDirectory;
import org.walden.node.Node;
import org.walden.node.ShutdownMode;

/** Smart and fast shutdown with connected clients. */
class ShutdownIT {

  @TempDir Path tmp;

  @Test
  void fastShutdown_closesSessionsAndRollsBackTheirTransactions() throws Exception {
    TestServer s = TestServer.start(tmp);
    try (Connection c = s.connect();
        Statement st = c.createStatement()) {
      st.execute("create table f (id int primary key)");
      c.setAutoCommit(false);
      st.executeUpdate("insert into f values (1)");
      s.node.shutdown(ShutdownMode.FAST);
      assertThat(s.node.isTerminated()).isTrue();
      assertThatThrownBy(() -> st.executeQuery("select 1")).isInstanceOf(SQLException.class);
    }
    try (Node again =
            Node.start(
                new DataDirectory(s.dataDir),
                Map.of("port", Integer.toString(TestServer.freePort())));
        Connection c =
            java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + again.port() + "/postgres?user=tester");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from f")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  void smartShutdown_refusesNewLoginsAndWaitsForClientsToLeave() throws Exception {
    TestServer s = TestServer.start(tmp);
    Connection c = s.connect();
    try (Statement st = c.createStatement()) {
      st.execute("create table sm (id int primary key)");
      s.node.requestShutdown(ShutdownMode.SMART);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() ->
              assertThatThrownBy(s::connect)
                  .extracting(e -> ((SQLException) e).getSQLState())
                  .isEqualTo("57P03"));
      // the connected client keeps working while the node waits for it
      assertThat(st.executeUpdate("insert into sm values (1)")).isEqualTo(1);
      assertThat(s.node.isTerminated()).isFalse();
    } finally {
      c.close();
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(s.node::isTerminated);
    assertThat(s.node.exitCode()).isZero();
  }
}
