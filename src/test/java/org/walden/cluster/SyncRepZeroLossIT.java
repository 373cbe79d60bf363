package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.cli.Main;
import org.walden.node.Node;
import org.walden.testing.FaultProxy;
import org.walden.wal.Lsn;

/**
 * The promise of synchronous replication: with {@code synchronous_commit = on} and {@code FIRST 1
 * (s1)}, every commit a client saw acknowledged is on the standby. The primary runs as a child JVM
 * ({@code walden start}) under a JDBC insert load and is killed with SIGKILL at seeded random
 * moments (measured in acknowledged commits, printed), in some rounds just after the standby's
 * stream was stalled (FaultProxy; what it held is dropped). The standby (in this JVM) must then
 * hold every acknowledged row once it has replayed what it flushed, and again after its own
 * restart. With {@code synchronous_commit = local} this test fails (acknowledged rows are missing).
 */
class SyncRepZeroLossIT {
  static final Duration WAIT = Duration.ofSeconds(120);
  static final int ROUNDS = 4;
  static final int CLIENTS = 3;

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedCommitIsOnTheSyncStandby() throws Exception {
    long seed = Long.getLong("walden.test.seed", System.nanoTime());
    System.out.println("SyncRepZeroLossIT seed=" + seed);
    Random random = new Random(seed);
    Set<Long> acked = new ConcurrentSkipListSet<>();
    AtomicLong nextId = new AtomicLong();
    try (TestCluster c = TestCluster.create(tmp);
        FaultProxy proxy = FaultProxy.start(c.primaryPort)) {
      Path sdir =
          c.cloneStandby(
              "s1",
              Map.of(
                  "primary_conninfo",
                  TestCluster.conninfo("s1", proxy.port()),
                  "wal_retrieve_retry_interval",
                  "100ms"));
      Node standby = c.start(sdir, Map.of());
      for (int round = 0; round < ROUNDS; round++) {
        Process primary = startPrimary(c, round);
        try {
          awaitUp(c.primaryPort);
          if (round == 0) {
            try (Connection conn = connect(c.primaryPort);
                Statement s = conn.createStatement()) {
              s.execute("create table acked (id bigint primary key, client int)");
            }
          }
          int before = acked.size();
          int killAfter = 20 + random.nextInt(400);
          System.out.println("round " + round + ": kill -9 after " + killAfter + " more acks");
          List<Thread> clients = new ArrayList<>();
          for (int k = 0; k < CLIENTS; k++) {
            int client = k;
            clients.add(
                Thread.ofPlatform()
                    .name("zero-loss-client-" + k)
                    .start(() -> load(c.primaryPort, client, nextId, acked)));
          }
          await().atMost(WAIT).until(() -> acked.size() >= before + killAfter);
          boolean stallFirst = random.nextBoolean();
          if (stallFirst) {
            // the standby stops hearing the primary: the commits from now on must not be
            // acknowledged; kill once one is seen waiting (or, if the promise were broken,
            // acknowledged anyway)
            proxy.stall();
            int atStall = acked.size();
            await()
                .atMost(WAIT)
                .ignoreExceptions()
                .until(() -> waitingOn(c.primaryPort) >= 1 || acked.size() >= atStall + 50);
          }
          System.out.println("round " + round + ": kill -9 (standby stalled: " + stallFirst + ")");
          primary.destroyForcibly(); // SIGKILL
          assertThat(primary.waitFor(60, TimeUnit.SECONDS)).isTrue();
          // what the proxy held never reaches the standby: it has only what it confirmed
          proxy.cut();
          proxy.resume();
          for (Thread t : clients) {
            t.join(WAIT);
            assertThat(t.isAlive()).as("client ended with the primary").isFalse();
          }
        } finally {
          if (primary.isAlive()) {
            primary.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
          }
        }
        assertAllOnStandby(standby, acked, "round " + round);
      }
      standby.close();
      Node restarted = c.start(sdir, Map.of());
      assertAllOnStandby(restarted, acked, "after the standby's restart");
      restarted.close();
    }
  }

  /** The standby replays everything it flushed (nothing more comes: the primary is dead). */
  private static void assertAllOnStandby(Node standby, Set<Long> acked, String when)
      throws Exception {
    await()
        .atMost(WAIT)
        .until(() -> {
          Lsn received = standby.lastReceivedLsn().orElse(Lsn.INVALID);
          return standby.lastReplayedLsn().map(r -> r.isAtOrAfter(received)).orElse(false);
        });
    Set<Long> present = new HashSet<>();
    try (Connection conn = TestCluster.connect(standby);
        Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("select id from acked")) {
      while (rs.next()) {
        present.add(rs.getLong(1));
      }
    }
    Set<Long> missing = new HashSet<>(acked);
    missing.removeAll(present);
    assertThat(missing).as("acknowledged commits missing on the standby %s", when).isEmpty();
    assertThat(acked).as("the load acknowledged something").isNotEmpty();
  }

  /** Inserts one row per autocommit statement until the primary dies; records each ack. */
  private static void load(int port, int client, AtomicLong nextId, Set<Long> acked) {
    try (Connection conn = connect(port);
        Statement s = conn.createStatement()) {
      while (true) {
        long id = nextId.incrementAndGet();
        s.executeUpdate("insert into acked values (" + id + ", " + client + ")");
        acked.add(id); // acknowledged: the standby must have it
      }
    } catch (SQLException e) {
      // the primary was killed
    }
  }

  private Process startPrimary(TestCluster c, int round) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "start",
            "-D",
            c.primaryDir.toString(),
            "-c",
            "port=" + c.primaryPort,
            "-c",
            "synchronous_standby_names=FIRST 1 (s1)",
            "-c",
            "synchronous_commit=on"));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("primary-" + round + ".log").toFile())
        .start();
  }

  private static int waitingOn(int port) throws SQLException {
    try (Connection conn = connect(port);
        Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("select waiting from walden_stat_syncrep")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void awaitUp(int port) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> {
          try (Connection conn = connect(port)) {
            return conn.isValid(5);
          }
        });
  }

  private static Connection connect(int port) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", TestCluster.SUPERUSER);
    p.setProperty("socketTimeout", "120");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
  }
}
