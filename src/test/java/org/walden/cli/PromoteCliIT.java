package org.walden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code walden promote} against real server processes: refused on a primary ("not in standby
 * mode"), promotes a standby and waits until it is done; and {@code promote_trigger_file} promotes
 * a standby when the file appears.
 */
class PromoteCliIT {

  @TempDir Path tmp;

  @Test
  void promoteCommand_andTriggerFile() throws Exception {
    Path primary = tmp.resolve("p");
    assertThat(
            CliIT.run(tmp, "init", "-D", primary.toString(), "--wal-segsize", "1", "-U", "u")
                .exit())
        .isZero();
    Path s1 = tmp.resolve("s1");
    Path s2 = tmp.resolve("s2");
    int dead = CliIT.freePort(); // no primary runs there: the standbys only replay their pg_wal
    for (Path s : new Path[] {s1, s2}) {
      CliIT.Result clone =
          CliIT.run(
              tmp,
              "clone",
              "--source",
              primary.toString(),
              "-D",
              s.toString(),
              "--primary-conninfo",
              "host=127.0.0.1 port=" + dead + " user=u");
      assertThat(clone.exit()).as(clone.err()).isZero();
    }
    int pport = CliIT.freePort();
    int port1 = CliIT.freePort();
    int port2 = CliIT.freePort();
    Process p = start(primary, pport);
    Process a = start(s1, port1);
    Process b = start(s2, port2, "-c", "promote_trigger_file=" + tmp.resolve("trigger"));
    try {
      CliIT.awaitRunning(primary, p);
      CliIT.awaitRunning(s1, a);
      CliIT.awaitRunning(s2, b);
      CliIT.Result onPrimary = CliIT.run(tmp, "promote", "-D", primary.toString());
      assertThat(onPrimary.exit()).isEqualTo(1);
      assertThat(onPrimary.err()).contains("cannot promote server; server is not in standby mode");

      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> inRecovery(port1));
      CliIT.Result promote = CliIT.run(tmp, "promote", "-D", s1.toString());
      assertThat(promote.exit()).as(promote.err()).isZero();
      assertThat(promote.out()).contains("server promoted");
      assertThat(inRecovery(port1)).isFalse();
      assertThat(s1.resolve("standby.signal")).doesNotExist();
      assertThat(s1.resolve("pg_wal/00000002.history")).exists();

      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> inRecovery(port2));
      Files.createFile(tmp.resolve("trigger"));
      await().atMost(Duration.ofSeconds(60)).until(() -> !inRecovery(port2));
      assertThat(tmp.resolve("trigger")).doesNotExist();
    } finally {
      for (Process x : new Process[] {b, a, p}) {
        x.destroy();
        if (!x.waitFor(30, TimeUnit.SECONDS)) {
          x.destroyForcibly();
        }
      }
    }
  }

  private Process start(Path dir, int port, String... extra) throws Exception {
    String[] args = new String[4 + extra.length];
    args[0] = "start";
    args[1] = "-D";
    args[2] = dir.toString();
    args[3] = "-c";
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, 4);
    all[4] = "port=" + port;
    System.arraycopy(extra, 0, all, 5, extra.length);
    return CliIT.walden(tmp, all)
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve(dir.getFileName() + ".log").toFile())
        .start();
  }

  private static boolean inRecovery(int port) throws Exception {
    Properties pr = new Properties();
    pr.setProperty("user", "u");
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", pr);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
