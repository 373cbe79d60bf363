package org.walden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.RunningServer;

/** The command line as a user runs it: each command in its own JVM, as {@code ./walden} does. */
class CliIT {

  @TempDir Path tmp;

  record Result(int exit, String out, String err) {}

  static ProcessBuilder walden(Path cwd, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx256m");
    // the server's own logging configuration, not the tests' (which logs only warnings)
    cmd.add("-Dlogback.configurationFile=" + Main.class.getResource("/logback.xml"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(cwd.toFile());
  }

  static Result run(Path cwd, String... args) throws Exception {
    Process p = walden(cwd, args).start();
    p.getOutputStream().close();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
      throw new AssertionError("walden " + String.join(" ", args) + " did not finish");
    }
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  static void awaitRunning(Path dir, Process server) throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !server.isAlive() || RunningServer.find(dir).isPresent());
    assertThat(server.isAlive()).as("server process (see its log)").isTrue();
  }

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void initStartStatusStop_behaveLikePgCtl() throws Exception {
    Path dir = tmp.resolve("data");
    Result init = run(tmp, "init", "-D", dir.toString(), "--wal-segsize", "1", "-U", "alice");
    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(init.out()).contains("Success");
    assertThat(Files.exists(dir.resolve("WALDEN_VERSION"))).isTrue();

    Result notRunning = run(tmp, "status", "-D", dir.toString());
    assertThat(notRunning.exit()).isEqualTo(3);
    assertThat(notRunning.out()).contains("no server running");

    Path log = tmp.resolve("server.log");
    Process server =
        walden(tmp, "start", "-D", dir.toString(), "-c", "port=" + freePort())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      awaitRunning(dir, server);
      Result running = run(tmp, "status", "-D", dir.toString());
      assertThat(running.exit()).isZero();
      assertThat(running.out()).contains("server is running (PID: " + server.pid() + ")");

      Result second = run(tmp, "start", "-D", dir.toString());
      assertThat(second.exit()).isEqualTo(1);
      assertThat(second.err()).contains("postmaster.pid");

      Result stop = run(tmp, "stop", "-D", dir.toString(), "-m", "fast");
      assertThat(stop.exit()).as(stop.err()).isZero();
      assertThat(stop.out()).contains("server stopped");
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).isZero();
      assertThat(Files.readString(log)).contains("database system is shut down");
    } finally {
      server.destroyForcibly();
    }
    assertThat(run(tmp, "status", "-D", dir.toString()).exit()).isEqualTo(3);
  }

  @Test
  void startWithoutDataDirectory_initializesWaldenDataOnFirstUse() throws Exception {
    Path log = tmp.resolve("server.log");
    int port = freePort();
    Process server =
        walden(tmp, "start", "-c", "port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Path dir = tmp.resolve("walden-data");
    try {
      awaitRunning(dir, server);
      assertThat(Files.exists(dir.resolve("global/control"))).isTrue();
      Result stop = run(tmp, "stop", "-D", dir.toString(), "-m", "immediate");
      assertThat(stop.exit()).isZero();
    } finally {
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
    // immediate: no shutdown checkpoint, so the next start recovers
    Process again =
        walden(tmp, "start", "-c", "port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("server2.log").toFile())
            .start();
    try {
      awaitRunning(dir, again);
      assertThat(run(tmp, "stop", "-D", dir.toString()).exit()).isZero();
    } finally {
      again.destroyForcibly();
      again.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(Files.readString(tmp.resolve("server2.log")))
        .contains("automatic recovery in progress");
  }

  @Test
  void unknownCommandAndBadOptions_failWithUsage() throws Exception {
    Result r = run(tmp, "frobnicate");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("frobnicate");
    Result bad = run(tmp, "init", "-D", tmp.resolve("x").toString(), "--wal-segsize", "3");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("power of two");
  }
}
