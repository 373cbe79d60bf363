package org.walden.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The client side of bench/compare-promote.sh, the same for Walden and PostgreSQL 15 (pgjdbc):
 *
 * <ul>
 *   <li>{@code promote PORT USER}: in one open session on a standby, {@code SELECT
 *       pg_promote(false)}, then {@code INSERT INTO promote_probe VALUES (1)} again and again from
 *       that same session (every {@code POLL_MS}, 1 ms) until one commits; prints the milliseconds
 *       from just before pg_promote to that commit.
 *   <li>{@code follow PORT USER CONNINFO TLI}: on the other standby, {@code ALTER SYSTEM SET
 *       primary_conninfo} to the promoted one, then {@code pg_reload_conf()}, and polls {@code
 *       pg_stat_wal_receiver} until it streams on timeline {@code TLI}; prints the milliseconds
 *       from just before the reload.
 * </ul>
 *
 * Run with pgjdbc on the class path after {@code ./mvnw test-compile}. Gives up after 120 s.
 */
public final class PromoteProbe {

  private static final long GIVE_UP_NANOS = 120_000_000_000L;

  private PromoteProbe() {}

  public static void main(String[] args) throws Exception {
    long pollMs = Long.getLong("POLL_MS", 1);
    Properties p = new Properties();
    p.setProperty("user", args[2]);
    String url = "jdbc:postgresql://127.0.0.1:" + args[1] + "/postgres";
    try (Connection c = DriverManager.getConnection(url, p);
        Statement st = c.createStatement()) {
      switch (args[0]) {
        case "promote" -> {
          long t0 = System.nanoTime();
          st.execute("select pg_promote(false)");
          while (true) {
            try {
              st.execute("insert into promote_probe values (1)");
              break;
            } catch (SQLException e) {
              check(t0, e);
              Thread.sleep(pollMs);
            }
          }
          System.out.printf(java.util.Locale.ROOT, "%.2f%n", (System.nanoTime() - t0) / 1e6);
        }
        case "follow" -> {
          int target = Integer.parseInt(args[4]);
          st.execute("alter system set primary_conninfo = '" + args[3].replace("'", "''") + "'");
          long t0 = System.nanoTime();
          st.execute("select pg_reload_conf()");
          while (receivedTli(st) < target) {
            check(t0, null);
            Thread.sleep(pollMs);
          }
          System.out.printf(java.util.Locale.ROOT, "%.2f%n", (System.nanoTime() - t0) / 1e6);
        }
        default -> throw new IllegalArgumentException("promote | follow");
      }
    }
  }

  /** The walreceiver's timeline while it streams; 0 when none streams. */
  private static int receivedTli(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "select received_tli from pg_stat_wal_receiver where status = 'streaming'")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void check(long t0, SQLException last) throws SQLException {
    if (System.nanoTime() - t0 > GIVE_UP_NANOS) {
      throw last != null ? last : new SQLException("gave up after 120 s");
    }
  }
}
