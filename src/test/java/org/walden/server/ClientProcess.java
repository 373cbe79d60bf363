package org.walden.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a PostgreSQL client binary (psql, pgbench) against a {@link TestServer}. */
final class ClientProcess {
  static final Path PSQL = Path.of("/usr/bin/psql");
  static final Path PGBENCH = Path.of("/usr/bin/pgbench");

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private ClientProcess() {}

  static boolean available(Path binary) {
    return Files.isExecutable(binary);
  }

  static Result run(Path workDir, long timeoutSeconds, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "client", ".out");
    Path err = Files.createTempFile(workDir, "client", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    pb.environment().put("PGOPTIONS", "");
    pb.environment().remove("PGPASSWORD");
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "client did not finish within "
              + timeoutSeconds
              + "s: "
              + command
              + "\n"
              + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** {@code psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p port -U tester -d postgres args…}. */
  static Result psql(TestServer s, Path workDir, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            PSQL.toString(),
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(s.port),
            "-U",
            TestServer.SUPERUSER,
            "-d",
            "postgres"));
    cmd.addAll(List.of(args));
    return run(workDir, 120, cmd);
  }

  /** {@code pgbench -h 127.0.0.1 -p port -U tester args… postgres}. */
  static Result pgbench(TestServer s, Path workDir, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            PGBENCH.toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(s.port),
            "-U",
            TestServer.SUPERUSER));
    cmd.addAll(List.of(args));
    cmd.add("postgres");
    return run(workDir, timeoutSeconds, cmd);
  }
}
