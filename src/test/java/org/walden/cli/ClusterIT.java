package org.walden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code walden cluster} as a person runs it: one command creates and starts a primary and two
 * standbys; a row written on the primary is read on both standbys; pg_stat_replication on the
 * primary shows both streaming; SIGINT stops all three.
 */
class ClusterIT {

  @TempDir Path tmp;

  @Test
  void oneCommandRunsAPrimaryAndTwoStreamingStandbys() throws Exception {
    int port = threeFreePorts();
    Path dir = tmp.resolve("cluster");
    Path log = tmp.resolve("cluster.log");
    Process p =
        CliIT.walden(
                tmp,
                "cluster",
                "-D",
                dir.toString(),
                "-p",
                Integer.toString(port),
                "--wal-segsize",
                "1")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> !p.isAlive() || Files.readString(log).contains("Press Ctrl-C"));
      assertThat(p.isAlive()).as("walden cluster (log: %s)", log).isTrue();
      String user = System.getProperty("user.name");
      try (Connection c = connect(port, user);
          Statement s = c.createStatement()) {
        s.execute("create table t (id int primary key, v text)");
        s.execute("insert into t values (1, 'hello')");
      }
      for (int standby = 1; standby <= 2; standby++) {
        int sp = port + standby;
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> "hello".equals(query(sp, user, "select v from t where id = 1")));
        assertThat(query(sp, user, "select pg_is_in_recovery()")).isEqualTo("t");
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() ->
              query(
                      port,
                      user,
                      "select count(*) from pg_stat_replication where state = 'streaming'")
                  .equals("2"));
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("cluster stops on SIGINT").isTrue();
      assertThat(Files.readString(log)).contains("all nodes stopped");
      for (String n : List.of("primary", "standby1", "standby2")) {
        assertThat(org.walden.node.RunningServer.find(dir.resolve(n))).as(n).isEmpty();
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      // children of a killed cluster command would outlive it: stop any left
      for (String n : List.of("primary", "standby1", "standby2")) {
        var rs = org.walden.node.RunningServer.find(dir.resolve(n));
        if (rs.isPresent()) {
          ProcessHandle.of(rs.get().pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  static Connection connect(int port, String user) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", user);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
  }

  static String query(int port, String user, String sql) throws Exception {
    try (Connection c = connect(port, user);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** A port P with P+1 and P+2 also free at the time of asking. */
  static int threeFreePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int p = CliIT.freePort();
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          held.add(new ServerSocket(p + i));
        }
        return p;
      } catch (IOException taken) {
        // try another
      } finally {
        for (ServerSocket s : held) {
          s.close();
        }
      }
    }
    throw new IOException("no three consecutive free ports");
  }
}
