package org.walden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the primary (a child JVM) in the middle of a pg_basebackup: the tool fails and removes
 * what it wrote; after crash recovery a new backup succeeds and pg_verifybackup accepts it.
 */
class BaseBackupKillIT {

  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  @TempDir Path tmp;

  private static String query(int port, String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "tester", "");
        Statement s = c.createStatement()) {
      if (!s.execute(sql)) {
        return null;
      }
      try (ResultSet rs = s.getResultSet()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** The pid file appears before the listener is up: wait for a connection to work. */
  private static void awaitAccepting(Path dir, Process server, int port) throws Exception {
    CliIT.awaitRunning(dir, server);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> "1".equals(query(port, "select 1")));
  }

  private static Process basebackup(Path tmp, int port, Path target, String log, String... extra)
      throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                BIN.resolve("pg_basebackup").toString(),
                "-d",
                "host=127.0.0.1 port=" + port + " user=tester",
                "-D",
                target.toString(),
                "--no-sync",
                "-X",
                "fetch"));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve(log).toFile())
        .start();
  }

  @Test
  void killNineMidBackupFailsItAndARetryAfterRecoverySucceeds() throws Exception {
    assumeTrue(Files.isExecutable(BIN.resolve("pg_basebackup")), "pg_basebackup 15 missing");
    Path dir = tmp.resolve("data");
    CliIT.Result init =
        CliIT.run(
            tmp, "init", "-D", dir.toString(), "--wal-segsize", "1", "-U", "tester", "-A", "trust");
    assertThat(init.exit()).as(init.err()).isZero();
    int port = CliIT.freePort();
    Process server =
        CliIT.walden(tmp, "start", "-D", dir.toString(), "-c", "port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("server1.log").toFile())
            .start();
    Path copy = tmp.resolve("copy");
    Process bb = null;
    try {
      awaitAccepting(dir, server, port);
      query(port, "create table t (id int primary key, v bigint)");
      query(port, "insert into t select g, g from generate_series(1, 30000) g");
      bb = basebackup(tmp, port, copy, "bb1.log", "-r", "32");
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() ->
              "1"
                  .equals(
                      query(
                          port,
                          "select count(*) from pg_stat_replication where state = 'backup'")));
      server.destroyForcibly(); // SIGKILL
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bb.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(bb.exitValue()).as(Files.readString(tmp.resolve("bb1.log"))).isNotZero();
      assertThat(copy).doesNotExist();
    } finally {
      if (bb != null) {
        bb.destroyForcibly();
      }
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
    Process again =
        CliIT.walden(tmp, "start", "-D", dir.toString(), "-c", "port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("server2.log").toFile())
            .start();
    try {
      awaitAccepting(dir, again, port);
      Process retry = basebackup(tmp, port, copy, "bb2.log");
      assertThat(retry.waitFor(180, TimeUnit.SECONDS)).isTrue();
      assertThat(retry.exitValue()).as(Files.readString(tmp.resolve("bb2.log"))).isZero();
      Process verify =
          new ProcessBuilder(BIN.resolve("pg_verifybackup").toString(), "-n", copy.toString())
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("verify.log").toFile())
              .start();
      assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(verify.exitValue()).as(Files.readString(tmp.resolve("verify.log"))).isZero();
      assertThat(CliIT.run(tmp, "stop", "-D", dir.toString(), "-m", "fast").exit()).isZero();
      assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      again.destroyForcibly();
      again.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
