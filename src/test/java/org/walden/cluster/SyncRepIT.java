package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;
import org.walden.testing.FaultProxy;
import org.walden.wal.Lsn;

/**
 * Synchronous replication end to end with real standbys (Walden nodes, PostgreSQL 15's
 * pg_receivewal) and real clients: which commits wait at each synchronous_commit level, FIRST and
 * ANY with standbys down, reload, and PostgreSQL's cancel / terminate warnings plus Walden's
 * timeout warning.
 */
class SyncRepIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Path PG_RECEIVEWAL = Path.of("/usr/lib/postgresql/15/bin/pg_receivewal");
  static final String NOT_REPLICATED =
      "The transaction has already committed locally, but might not have been replicated to the"
          + " standby.";

  @TempDir Path tmp;

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
  }

  // ------------------------------------------------------------------------------ helpers

  /** Commits {@code sql} (autocommit) at {@code level} on its own connection, in the background. */
  private CompletableFuture<Void> commitAt(Node n, String level, String sql) {
    return CompletableFuture.runAsync(
        () -> {
          try (Connection c = TestCluster.connect(n);
              Statement s = c.createStatement()) {
            s.execute("set synchronous_commit = " + level);
            s.execute(sql);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        pool);
  }

  private static void execLocal(Node n, String sql) throws SQLException {
    try (Connection c = TestCluster.connect(n);
        Statement s = c.createStatement()) {
      s.execute("set synchronous_commit = local");
      s.execute(sql);
    }
  }

  private static int waiting(Node p) throws SQLException {
    return Integer.parseInt(TestCluster.query(p, "select waiting from walden_stat_syncrep"));
  }

  private static void awaitWaiting(Node p, int n) {
    await().atMost(WAIT).until(() -> waiting(p) == n);
  }

  /** application_name:sync_priority:sync_state of each walsender, by name. */
  private static List<String> states(Node p) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = TestCluster.connect(p);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select application_name, sync_priority, sync_state from pg_stat_replication"
                    + " order by application_name")) {
      while (rs.next()) {
        out.add(rs.getString(1) + ":" + rs.getInt(2) + ":" + rs.getString(3));
      }
    }
    return out;
  }

  private static void awaitStates(Node p, String... expected) {
    await().atMost(WAIT).until(() -> states(p), org.hamcrest.Matchers.equalTo(List.of(expected)));
  }

  private static void reloadWith(Node p, String names) throws SQLException {
    execLocal(p, "alter system set synchronous_standby_names = '" + names + "'");
    assertThat(TestCluster.query(p, "select pg_reload_conf()")).isEqualTo("t");
  }

  private Process receivewal(Node p, String app, Path dir, boolean synchronous) throws Exception {
    Files.createDirectories(dir);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                PG_RECEIVEWAL.toString(),
                "-D",
                dir.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(p.port()),
                "-U",
                TestCluster.SUPERUSER,
                "--no-loop",
                "--no-password",
                "-v"));
    if (synchronous) {
      cmd.add("--synchronous");
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile());
    pb.environment().put("PGAPPNAME", app);
    Process proc = pb.start();
    processes.add(proc);
    return proc;
  }

  // ------------------------------------------------------------------------------ tests

  /**
   * One synchronous Walden standby whose stream is stalled: local and off return, remote_write, on
   * and remote_apply wait (their rows already visible), and all three return when the stream
   * resumes; the standby then has every row.
   */
  @Test
  void eachLevelWithOneSyncStandby() throws Exception {
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
      Node p = c.startPrimary(Map.of("synchronous_standby_names", "s1"));
      Node s = c.start(sdir, Map.of());
      awaitStates(p, "s1:1:sync");
      TestCluster.exec(p, "create table t (id int primary key, lvl text)");
      TestCluster.exec(p, "insert into t values (1, 'on, standby up')");

      proxy.stall();
      commitAt(p, "local", "insert into t values (10, 'local')").get(60, TimeUnit.SECONDS);
      commitAt(p, "off", "insert into t values (11, 'off')").get(60, TimeUnit.SECONDS);
      CompletableFuture<Void> write = commitAt(p, "remote_write", "insert into t values (12, 'w')");
      CompletableFuture<Void> on = commitAt(p, "on", "insert into t values (13, 'on')");
      CompletableFuture<Void> apply = commitAt(p, "remote_apply", "insert into t values (14, 'a')");
      awaitWaiting(p, 3);
      assertThat(List.of(write, on, apply)).noneMatch(CompletableFuture::isDone);
      // committed locally and visible while waiting; a read-only statement does not wait
      assertThat(TestCluster.query(p, "select count(*) from t where id >= 10")).isEqualTo("5");

      proxy.resume();
      CompletableFuture.allOf(write, on, apply).get(60, TimeUnit.SECONDS);
      assertThat(waiting(p)).isZero();
      Lsn end = p.wal().flushedUpto();
      TestCluster.awaitReplayed(s, end, WAIT);
      assertThat(TestCluster.query(s, "select count(*) from t")).isEqualTo("6");
      assertThat(TestCluster.query(p, "select released >= 3 from walden_stat_syncrep"))
          .isEqualTo("t");
    }
  }

  /**
   * pg_receivewal 15 separates the levels: without --synchronous it reports flush 0/0 and is never
   * synchronous (even remote_write waits); with --synchronous it reports flush = write but apply
   * 0/0, so remote_write and on return while remote_apply waits, until cancelled with PostgreSQL's
   * warning.
   */
  @Test
  void pgReceivewalSeparatesWriteFlushAndApply_cancelWarns() throws Exception {
    assumeTrue(Files.isExecutable(PG_RECEIVEWAL), "pg_receivewal 15 not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of("synchronous_standby_names", "FIRST 1 (rw)"));
      execLocal(p, "create table t (id int primary key)");

      Process async = receivewal(p, "rw", tmp.resolve("wal-async"), false);
      await().atMost(WAIT).until(() -> List.of("rw:0:async").equals(states(p)) && streaming(p));
      CompletableFuture<Void> write = commitAt(p, "remote_write", "insert into t values (1)");
      awaitWaiting(p, 1);
      assertThat(write).isNotDone();
      async.destroy();
      assertThat(async.waitFor(60, TimeUnit.SECONDS)).isTrue();

      receivewal(p, "rw", tmp.resolve("wal-sync"), true);
      write.get(60, TimeUnit.SECONDS); // its write is confirmed now
      awaitStates(p, "rw:1:sync");
      commitAt(p, "on", "insert into t values (2)").get(60, TimeUnit.SECONDS);

      try (RawPgClient raw = RawPgClient.connect(p.port(), TestCluster.SUPERUSER, Map.of())) {
        raw.send("set synchronous_commit = remote_apply");
        raw.readUntilReady();
        raw.send("insert into t values (3)");
        awaitWaiting(p, 1);
        raw.cancel();
        List<RawPgClient.Message> got = raw.readUntilReady();
        assertThat(got).extracting(RawPgClient.Message::type).containsExactly('N', 'C', 'Z');
        RawPgClient.Message n = got.get(0);
        assertThat(n.field('S')).isEqualTo("WARNING");
        assertThat(n.field('C')).isEqualTo("01000");
        assertThat(n.field('M'))
            .isEqualTo("canceling wait for synchronous replication due to user request");
        assertThat(n.field('D')).isEqualTo(NOT_REPLICATED);
        assertThat(got.get(1).tag()).isEqualTo("INSERT 0 1");
        // the session goes on normally: the cancel was consumed
        raw.send("select 1");
        assertThat(raw.readUntilReady()).extracting(RawPgClient.Message::type).contains('C');
      }
      assertThat(TestCluster.query(p, "select count(*) from t")).isEqualTo("3");
      assertThat(TestCluster.query(p, "select canceled from walden_stat_syncrep")).isEqualTo("1");
    }
  }

  private static boolean streaming(Node p) throws SQLException {
    return "streaming".equals(TestCluster.query(p, "select state from pg_stat_replication"));
  }

  /**
   * FIRST 1 (a, b): a is sync and b potential; with a down b takes over. ANY 1 (a, b) with a down:
   * commits proceed. ANY 2 with a down: commits wait, and a reload to FIRST 1 (b) releases them. A
   * zero count is refused with PostgreSQL's error.
   */
  @Test
  void firstAndAnyWithAStandbyDown_reloadReleases() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Path adir = c.cloneStandby("a", Map.of());
      Path bdir = c.cloneStandby("b", Map.of());
      // through postgresql.auto.conf, not a start option: those outrank the files at reload
      Node p = c.startPrimary(Map.of());
      reloadWith(p, "FIRST 1 (a, b)");
      Node a = c.start(adir, Map.of());
      c.start(bdir, Map.of());
      awaitStates(p, "a:1:sync", "b:2:potential");
      TestCluster.exec(p, "create table t (id int primary key)");

      a.close();
      awaitStates(p, "b:2:sync");
      commitAt(p, "on", "insert into t values (1)").get(60, TimeUnit.SECONDS);

      reloadWith(p, "ANY 1 (a, b)");
      awaitStates(p, "b:1:quorum");
      commitAt(p, "on", "insert into t values (2)").get(60, TimeUnit.SECONDS);

      reloadWith(p, "ANY 2 (a, b)");
      CompletableFuture<Void> waits = commitAt(p, "on", "insert into t values (3)");
      awaitWaiting(p, 1);
      assertThat(waits).isNotDone();
      reloadWith(p, "FIRST 1 (b)");
      waits.get(60, TimeUnit.SECONDS);
      awaitStates(p, "b:1:sync");

      SQLException e =
          catchThrowableOfType(
              SQLException.class,
              () -> execLocal(p, "alter system set synchronous_standby_names = 'FIRST 0 (b)'"));
      assertThat(e.getSQLState()).isEqualTo("22023");
      assertThat(e.getMessage())
          .contains("number of synchronous standbys (0) must be greater than zero");
      assertThat(TestCluster.query(p, "show synchronous_standby_names")).isEqualTo("FIRST 1 (b)");
    }
  }

  /**
   * With no synchronous standby connected: synchronous_commit_timeout ends the wait with Walden's
   * 01W01 warning (pgjdbc sees it as an SQLWarning) and SET LOCAL of the level applies to one
   * transaction; pg_terminate_backend and a fast shutdown end a waiting session with PostgreSQL's
   * 57P01 warning and no further message.
   */
  @Test
  void timeoutSetLocalTerminateAndShutdown() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of("synchronous_standby_names", "nobody"));
      execLocal(p, "create table t (id int primary key)");

      try (Connection conn = TestCluster.connect(p);
          Statement s = conn.createStatement()) {
        s.execute("set synchronous_commit_timeout = 50");
        s.execute("insert into t values (1)");
        SQLWarning w = s.getWarnings();
        assertThat(w != null).as("a warning").isTrue();
        assertThat(w.getSQLState()).isEqualTo("01W01");
        assertThat(w.getMessage())
            .contains("synchronous replication timed out after 50 ms")
            .contains("durable locally but not confirmed by the synchronous standbys");
        s.clearWarnings();
        conn.setAutoCommit(false);
        s.execute("set local synchronous_commit = local");
        s.execute("insert into t values (2)");
        conn.commit();
        assertThat(s.getWarnings() == null).as("local: no wait, no warning").isTrue();
        conn.setAutoCommit(true);
        s.execute("insert into t values (3)"); // SET LOCAL is gone: waits and times out again
        assertThat(s.getWarnings().getSQLState()).isEqualTo("01W01");
      }
      assertThat(TestCluster.query(p, "select timed_out from walden_stat_syncrep")).isEqualTo("2");

      try (RawPgClient raw = RawPgClient.connect(p.port(), TestCluster.SUPERUSER, Map.of())) {
        raw.send("insert into t values (4)");
        awaitWaiting(p, 1);
        assertThat(TestCluster.query(p, "select pg_terminate_backend(" + raw.pid + ")"))
            .isEqualTo("t");
        assertTerminated(raw.readUntilReady());
      }
      assertThat(TestCluster.query(p, "select terminated from walden_stat_syncrep")).isEqualTo("1");
      assertThat(TestCluster.query(p, "select pg_terminate_backend(999999999)")).isEqualTo("f");

      try (RawPgClient raw = RawPgClient.connect(p.port(), TestCluster.SUPERUSER, Map.of())) {
        raw.send("insert into t values (5)");
        awaitWaiting(p, 1);
        CompletableFuture<Void> stop = CompletableFuture.runAsync(p::close, pool);
        assertTerminated(raw.readUntilReady());
        stop.get(60, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A smart shutdown waits for the sessions and leaves a waiting commit waiting (PostgreSQL's smart
   * shutdown signals no backend); cancelling it then gives the usual warning, and the shutdown
   * completes once the client has gone.
   */
  @Test
  void smartShutdownLeavesWaitingCommitsWaiting() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of("synchronous_standby_names", "nobody"));
      execLocal(p, "create table t (id int primary key)");
      CompletableFuture<Void> stop;
      try (RawPgClient raw = RawPgClient.connect(p.port(), TestCluster.SUPERUSER, Map.of())) {
        raw.send("insert into t values (1)");
        awaitWaiting(p, 1);
        stop =
            CompletableFuture.runAsync(() -> p.shutdown(org.walden.node.ShutdownMode.SMART), pool);
        // new logins are refused once the smart shutdown has begun; the waiter is untouched
        await()
            .atMost(WAIT)
            .until(() -> {
              try {
                TestCluster.query(p, "select 1");
                return false;
              } catch (SQLException e) {
                return "57P03".equals(e.getSQLState());
              }
            });
        assertThat(stop).isNotDone();
        raw.cancel();
        List<RawPgClient.Message> got = raw.readUntilReady();
        assertThat(got).extracting(RawPgClient.Message::type).containsExactly('N', 'C', 'Z');
        assertThat(got.get(0).field('C')).isEqualTo("01000");
      }
      stop.get(60, TimeUnit.SECONDS);
      assertThat(p.isTerminated()).isTrue();
    }
  }

  private static void assertTerminated(List<RawPgClient.Message> got) {
    assertThat(got).extracting(RawPgClient.Message::type).containsExactly('N', '\0');
    RawPgClient.Message n = got.get(0);
    assertThat(n.field('S')).isEqualTo("WARNING");
    assertThat(n.field('C')).isEqualTo("57P01");
    assertThat(n.field('M'))
        .isEqualTo(
            "canceling the wait for synchronous replication and terminating connection due to"
                + " administrator command");
    assertThat(n.field('D')).isEqualTo(NOT_REPLICATED);
  }
}
