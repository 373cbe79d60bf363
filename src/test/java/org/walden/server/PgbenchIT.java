package org.walden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgbench 15 against a real node: initialization with client-side (COPY) and server-side
 * (generate_series) data generation, then a TPC-B-like run in each query mode, after which the
 * balances must still add up. Skipped when pgbench is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgbenchIT {

  /** pgbench's built-in TPC-B script (its "tpcb-like"). */
  static final String TPCB =
      """
      \\set aid random(1, 100000 * :scale)
      \\set bid random(1, 1 * :scale)
      \\set tid random(1, 10 * :scale)
      \\set delta random(-5000, 5000)
      BEGIN;
      UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
      SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
      UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
      UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
      INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
      END;
      """;

  @TempDir static Path tmp;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ClientProcess.available(ClientProcess.PGBENCH), "pgbench is not installed");
    server = TestServer.start(tmp);
    Files.writeString(tmp.resolve("tpcb.sql"), TPCB, StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void initialize_serverSideGenerate_loadsScaleOne() throws Exception {
    ClientProcess.Result r = ClientProcess.pgbench(server, tmp, 300, "-i", "-s", "1", "-I", "dtGp");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(count("pgbench_accounts")).isEqualTo(100_000);
  }

  @Test
  @Order(2)
  void initialize_clientSideCopy_loadsScaleOne() throws Exception {
    ClientProcess.Result r = ClientProcess.pgbench(server, tmp, 300, "-i", "-s", "1", "-I", "dtgp");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(count("pgbench_accounts")).isEqualTo(100_000);
    assertThat(count("pgbench_tellers")).isEqualTo(10);
    assertThat(count("pgbench_branches")).isEqualTo(1);
  }

  @Test
  @Order(3)
  void run_simpleProtocol_keepsBalancesConsistent() throws Exception {
    runAndCheck("simple");
  }

  @Test
  @Order(4)
  void run_extendedProtocol_keepsBalancesConsistent() throws Exception {
    runAndCheck("extended");
  }

  @Test
  @Order(5)
  void run_preparedStatements_keepsBalancesConsistent() throws Exception {
    runAndCheck("prepared");
  }

  private void runAndCheck(String mode) throws Exception {
    long before = count("pgbench_history");
    ClientProcess.Result r =
        ClientProcess.pgbench(
            server,
            tmp,
            600,
            "-n",
            "-c",
            "8",
            "-j",
            "2",
            "-t",
            "200",
            "-M",
            mode,
            "-f",
            "tpcb.sql");
    System.out.println("pgbench -M " + mode + ":\n" + r.stdout());
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.stdout()).contains("number of transactions actually processed: 1600/1600");
    assertThat(count("pgbench_history") - before).isEqualTo(1600);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      // one snapshot for the four sums
      s.execute("begin isolation level repeatable read");
      long a = sum(s, "select sum(abalance) from pgbench_accounts");
      assertThat(sum(s, "select sum(tbalance) from pgbench_tellers")).as("tellers").isEqualTo(a);
      assertThat(sum(s, "select sum(bbalance) from pgbench_branches")).as("branches").isEqualTo(a);
      assertThat(sum(s, "select sum(delta) from pgbench_history")).as("history").isEqualTo(a);
      s.execute("commit");
    }
  }

  private static long sum(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  private static long count(String table) throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
