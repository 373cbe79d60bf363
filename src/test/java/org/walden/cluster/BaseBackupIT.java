package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.Node;

/**
 * Base backups with the real PostgreSQL 15 tools: pg_basebackup in plain and tar format, WAL
 * fetched or streamed, checked by pg_verifybackup, and the copies started as a primary.
 */
class BaseBackupIT {

  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  static final Path PG_BASEBACKUP = BIN.resolve("pg_basebackup");
  static final Path PG_VERIFYBACKUP = BIN.resolve("pg_verifybackup");

  @TempDir Path tmp;

  /** A finished tool run: exit code and combined output. */
  record Run(int exit, String output) {}

  static Run run(Path log, long timeoutSeconds, List<String> cmd)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(cmd + " did not finish: " + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  static List<String> basebackup(TestCluster c, Path target, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(PG_BASEBACKUP.toString());
    cmd.addAll(
        List.of(
            "-d",
            TestCluster.conninfo("pg_basebackup", c.primaryPort),
            "-D",
            target.toString(),
            "--no-sync"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void plainFetchBackupVerifiesAndStartsAsPrimary() throws Exception {
    assumeTrue(Files.isExecutable(PG_BASEBACKUP), "pg_basebackup 15 is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g * 3 from generate_series(1, 5000) g");
      Path copy = tmp.resolve("copy");
      Run r =
          run(
              tmp.resolve("bb.log"),
              120,
              basebackup(c, copy, "-X", "fetch", "-c", "fast", "-l", "itest"));
      assertThat(r.exit()).as(r.output()).isZero();
      assertThat(copy.resolve("backup_label")).exists();
      assertThat(Files.readString(copy.resolve("backup_label"))).contains("LABEL: itest");
      assertThat(copy.resolve("backup_manifest")).exists();
      Run v =
          run(
              tmp.resolve("verify.log"),
              60,
              List.of(PG_VERIFYBACKUP.toString(), "-n", copy.toString()));
      assertThat(v.exit()).as(v.output()).isZero();
      assertThat(v.output()).contains("backup successfully verified");
      TestCluster.exec(p, "insert into t values (999999, 1)");
      p.close();

      Node restored = c.start(copy, Map.of());
      assertThat(restored.isStandby()).isFalse();
      assertThat(TestCluster.query(restored, "select count(*) from t")).isEqualTo("5000");
      assertThat(copy.resolve("backup_label")).doesNotExist();
      assertThat(copy.resolve("backup_label.old")).exists();
      TestCluster.exec(restored, "insert into t values (0, 0)");
      assertThat(TestCluster.query(restored, "select count(*) from t")).isEqualTo("5001");
    }
  }
}
