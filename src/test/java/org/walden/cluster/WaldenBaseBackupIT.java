package org.walden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.cli.Main;
import org.walden.node.Node;
import org.walden.wal.Lsn;

/**
 * {@code walden basebackup}, the Java client: the same load test as with pg_basebackup (a copy
 * taken with -R under pgbench load starts as a standby, catches up, and matches the primary), and a
 * fetched backup that pg_verifybackup accepts and that opens as a primary.
 */
class WaldenBaseBackupIT {

  @TempDir Path tmp;

  @Test
  void streamedBackupWithRStartsAsStandbyUnderPgbenchLoad() throws Exception {
    assumeTrue(Files.isExecutable(BaseBackupIT.PGBENCH), "pgbench is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      assertThat(BaseBackupIT.pgbench(c, "-i", "-s", "1").waitFor()).isZero();
      Process load =
          BaseBackupIT.pgbench(c, "-n", "-c", "4", "-j", "2", "-t", "1500", "-M", "prepared");
      try {
        Path copy = tmp.resolve("copy");
        int rc =
            Main.execute(
                "basebackup",
                "-D",
                copy.toString(),
                "-d",
                TestCluster.conninfo("walden_basebackup", c.primaryPort),
                "-X",
                "stream",
                "-R",
                "-P",
                "-c",
                "fast");
        assertThat(rc).isZero();
        assertThat(copy.resolve("standby.signal")).exists();
        assertThat(copy.resolve("backup_manifest")).exists();
        if (Files.isExecutable(BaseBackupIT.PG_VERIFYBACKUP)) {
          BaseBackupIT.Run v =
              BaseBackupIT.run(
                  tmp.resolve("verify.log"),
                  60,
                  List.of(BaseBackupIT.PG_VERIFYBACKUP.toString(), "-n", copy.toString()));
          assertThat(v.exit()).as(v.output()).isZero();
        }
        Node s = c.start(copy, Map.of());
        assertThat(s.isStandby()).isTrue();
        assertThat(load.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(load.exitValue()).isZero();
        Lsn end = p.wal().flushedUpto();
        TestCluster.awaitReplayed(s, end, Duration.ofSeconds(120));
        assertThat(TestCluster.query(s, "select count(*) from pgbench_history")).isEqualTo("6000");
        BaseBackupIT.assertSameBench(p, s);
      } finally {
        load.destroyForcibly();
      }
    }
  }

  @Test
  void fetchedBackupVerifiesAndOpensAsPrimary() throws Exception {
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 3000) g");
      Path copy = tmp.resolve("copy");
      int rc =
          Main.execute(
              "basebackup",
              "-D",
              copy.toString(),
              "-h",
              "127.0.0.1",
              "-p",
              Integer.toString(c.primaryPort),
              "-U",
              TestCluster.SUPERUSER,
              "-X",
              "fetch",
              "-l",
              "java client");
      assertThat(rc).isZero();
      assertThat(Files.readString(copy.resolve("backup_label"))).contains("LABEL: java client");
      if (Files.isExecutable(BaseBackupIT.PG_VERIFYBACKUP)) {
        BaseBackupIT.Run v =
            BaseBackupIT.run(
                tmp.resolve("verify.log"),
                60,
                List.of(BaseBackupIT.PG_VERIFYBACKUP.toString(), "-n", copy.toString()));
        assertThat(v.exit()).as(v.output()).isZero();
      }
      // a second run into the now non-empty directory is refused and leaves it alone
      assertThat(
              Main.execute(
                  "basebackup",
                  "-D",
                  copy.toString(),
                  "-d",
                  TestCluster.conninfo("x", c.primaryPort)))
          .isNotZero();
      assertThat(copy.resolve("backup_label")).exists();
      p.close();
      Node restored = c.start(copy, Map.of());
      assertThat(restored.isStandby()).isFalse();
      assertThat(TestCluster.query(restored, "select count(*) from t")).isEqualTo("3000");
    }
  }
}
