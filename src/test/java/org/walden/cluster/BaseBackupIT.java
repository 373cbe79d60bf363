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

  static final Path PGBENCH = Path.of("/usr/bin/pgbench");

  /** Starts pgbench against the primary; the caller waits for it (and kills it at the end). */
  static Process pgbench(TestCluster c, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PGBENCH.toString());
    cmd.addAll(
        List.of(
            "-h", "127.0.0.1", "-p", Integer.toString(c.primaryPort), "-U", TestCluster.SUPERUSER));
    cmd.addAll(List.of(args));
    cmd.add("postgres");
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(c.root.resolve("pgbench-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  /** The TPC-B invariant and the accounts of a node, for comparing a copy with its primary. */
  static void assertSameBench(Node a, Node b) throws Exception {
    assertThat(StreamingIT.dumpOf(b, "select aid, abalance from pgbench_accounts order by aid"))
        .isEqualTo(
            StreamingIT.dumpOf(a, "select aid, abalance from pgbench_accounts order by aid"));
    for (String q :
        List.of(
            "select sum(delta) from pgbench_history",
            "select count(*) from pgbench_history",
            "select sum(bbalance) from pgbench_branches",
            "select sum(tbalance) from pgbench_tellers")) {
      assertThat(TestCluster.query(b, q)).as(q).isEqualTo(TestCluster.query(a, q));
    }
  }

  @Test
  void streamedBackupWithRStartsAsStandbyUnderPgbenchLoad() throws Exception {
    assumeTrue(Files.isExecutable(PG_BASEBACKUP), "pg_basebackup 15 is not installed");
    assumeTrue(Files.isExecutable(PGBENCH), "pgbench is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      assertThat(pgbench(c, "-i", "-s", "1").waitFor()).isZero();
      Process load = pgbench(c, "-n", "-c", "4", "-j", "2", "-t", "1500", "-M", "prepared");
      try {
        Path copy = tmp.resolve("copy");
        // -X stream's default: the WAL stream holds a temporary slot
        Run r =
            run(
                tmp.resolve("bb.log"),
                300,
                basebackup(c, copy, "-X", "stream", "-R", "-c", "fast", "-P"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(copy.resolve("standby.signal")).exists();
        assertThat(Files.readString(copy.resolve("postgresql.auto.conf")))
            .contains("primary_conninfo");
        Run v =
            run(
                tmp.resolve("verify.log"),
                60,
                List.of(PG_VERIFYBACKUP.toString(), "-n", copy.toString()));
        assertThat(v.exit()).as(v.output()).isZero();
        Node s = c.start(copy, Map.of());
        assertThat(s.isStandby()).isTrue();
        assertThat(load.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(load.exitValue()).isZero();
        org.walden.wal.Lsn end = p.wal().flushedUpto();
        TestCluster.awaitReplayed(s, end, java.time.Duration.ofSeconds(120));
        // no more writes on the primary: both are at the same LSN now
        assertThat(TestCluster.query(s, "select count(*) from pgbench_history")).isEqualTo("6000");
        assertSameBench(p, s);
        assertThat(copy.resolve("backup_label.old")).exists();
      } finally {
        load.destroyForcibly();
      }
    }
  }

  @Test
  void tarFormatBackupIsAValidTarArchive() throws Exception {
    assumeTrue(Files.isExecutable(PG_BASEBACKUP), "pg_basebackup 15 is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 1000) g");
      Path out = tmp.resolve("tar");
      Run r = run(tmp.resolve("bb.log"), 120, basebackup(c, out, "-Ft", "-X", "fetch"));
      assertThat(r.exit()).as(r.output()).isZero();
      assertThat(out.resolve("base.tar")).exists();
      assertThat(out.resolve("backup_manifest")).exists();
      // GNU tar checks header checksums and structure
      Run list =
          run(
              tmp.resolve("tar.log"),
              60,
              List.of("tar", "-tf", out.resolve("base.tar").toString()));
      assertThat(list.exit()).as(list.output()).isZero();
      List<String> names = List.of(list.output().split("\n"));
      assertThat(names.get(0)).isEqualTo("backup_label");
      assertThat(names).contains("tablespace_map", "pg_wal/", "pg_wal/archive_status/");
      assertThat(names.indexOf("global/control"))
          .isGreaterThan(names.indexOf("global/"))
          .isLessThan(
              names.indexOf(
                  names.stream()
                      .filter(n -> n.matches("pg_wal/[0-9A-F]{24}"))
                      .findFirst()
                      .orElseThrow()));
      assertThat(names).anyMatch(n -> n.matches("pg_wal/archive_status/[0-9A-F]{24}\\.done"));

      // unpack and start it: the tar is all a copy needs
      Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
      Files.setPosixFilePermissions(
          unpacked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      Run x =
          run(
              tmp.resolve("untar.log"),
              60,
              List.of("tar", "-xf", out.resolve("base.tar").toString(), "-C", unpacked.toString()));
      assertThat(x.exit()).as(x.output()).isZero();
      p.close();
      Node restored = c.start(unpacked, Map.of());
      assertThat(TestCluster.query(restored, "select count(*) from t")).isEqualTo("1000");
    }
  }

  @Test
  void badOptionsGetPostgresErrors() throws Exception {
    Path psql = BIN.resolve("psql");
    assumeTrue(Files.isExecutable(psql), "psql 15 is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      c.startPrimary(Map.of());
      Map<String, String> cases =
          new java.util.LinkedHashMap<>(
              Map.of(
                  "BASE_BACKUP (FOO)", "ERROR:  unrecognized base backup option: \"foo\"",
                  "BASE_BACKUP (LABEL 'a', LABEL 'b')", "ERROR:  duplicate option \"label\"",
                  "BASE_BACKUP (CHECKPOINT 'slow')",
                      "ERROR:  unrecognized checkpoint type: \"slow\"",
                  "BASE_BACKUP (MAX_RATE 1)",
                      "ERROR:  1 is outside the valid range for parameter \"MAX_RATE\" (32 .."
                          + " 1048576)",
                  "BASE_BACKUP (MANIFEST 'maybe')",
                      "ERROR:  unrecognized manifest option: \"maybe\"",
                  "BASE_BACKUP (MANIFEST 'yes', MANIFEST_CHECKSUMS 'MD5')",
                      "ERROR:  unrecognized checksum algorithm: \"MD5\"",
                  "BASE_BACKUP (PROGRESS 'sometimes')", "ERROR:  progress requires a Boolean value",
                  "BASE_BACKUP (TARGET 'server', TARGET_DETAIL '/tmp')",
                      "ERROR:  backup target \"server\" is not supported by this server",
                  "BASE_BACKUP (COMPRESSION 'gzip')",
                      "ERROR:  server-side compression of base backups is not supported"));
      int i = 0;
      for (Map.Entry<String, String> e : cases.entrySet()) {
        Run r =
            run(
                tmp.resolve("psql" + i++ + ".log"),
                60,
                List.of(
                    psql.toString(),
                    "-X",
                    "-d",
                    TestCluster.conninfo("psql", c.primaryPort) + " replication=true",
                    "-c",
                    e.getKey()));
        assertThat(r.exit()).as(e.getKey()).isNotZero();
        assertThat(r.output()).as(e.getKey()).contains(e.getValue());
      }
    }
  }

  @Test
  void backupWithoutWalRefusesToStartNamingTheWalItNeeds() throws Exception {
    assumeTrue(Files.isExecutable(PG_BASEBACKUP), "pg_basebackup 15 is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      TestCluster.exec(p, "create table t (id int primary key)");
      Path copy = tmp.resolve("copy");
      Run r = run(tmp.resolve("bb.log"), 120, basebackup(c, copy, "-X", "none"));
      assertThat(r.exit()).as(r.output()).isZero();
      String label = Files.readString(copy.resolve("backup_label"));
      String segment = label.replaceAll("(?s).*\\(file ([0-9A-F]{24})\\).*", "$1");
      assertThat(segment).hasSize(24);
      p.close();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.start(copy, Map.of()))
          .isInstanceOf(org.walden.node.StartupException.class)
          .hasMessageContaining(segment)
          .hasMessageContaining("missing")
          .satisfies(e ->
              assertThat(((org.walden.node.StartupException) e).hint())
                  .contains("restore_command"));
      assertThat(copy.resolve("backup_label")).exists();
    }
  }

  @Test
  void twoConcurrentBackupsBothSucceed() throws Exception {
    assumeTrue(Files.isExecutable(PG_BASEBACKUP), "pg_basebackup 15 is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 20000) g");
      List<Process> runs = new ArrayList<>();
      for (String n : List.of("a", "b")) {
        runs.add(
            new ProcessBuilder(
                    basebackup(c, tmp.resolve(n), "-X", "fetch", "-r", "1024", "-l", "backup " + n))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(n + ".log").toFile())
                .start());
      }
      // both are running at once: two walsenders in state backup
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .until(() ->
              "2"
                  .equals(
                      TestCluster.query(
                          p, "select count(*) from pg_stat_replication where state = 'backup'")));
      for (int i = 0; i < runs.size(); i++) {
        assertThat(runs.get(i).waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(runs.get(i).exitValue())
            .as(Files.readString(tmp.resolve(List.of("a", "b").get(i) + ".log")))
            .isZero();
      }
      p.close();
      for (String n : List.of("a", "b")) {
        assertThat(Files.readString(tmp.resolve(n).resolve("backup_label")))
            .contains("LABEL: backup " + n);
        Run v =
            run(
                tmp.resolve("verify-" + n + ".log"),
                60,
                List.of(PG_VERIFYBACKUP.toString(), "-n", tmp.resolve(n).toString()));
        assertThat(v.exit()).as(v.output()).isZero();
        Node restored = c.start(tmp.resolve(n), Map.of());
        assertThat(TestCluster.query(restored, "select count(*) from t")).isEqualTo("20000");
        restored.close();
      }
    }
  }

  @Test
  void stoppingThePrimaryMidBackupFailsItCleanlyAndARetrySucceeds() throws Exception {
    assumeTrue(Files.isExecutable(PG_BASEBACKUP), "pg_basebackup 15 is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v bigint)");
      TestCluster.exec(p, "insert into t select g, g from generate_series(1, 50000) g");
      Path copy = tmp.resolve("copy");
      // 32 kB/s: the backup takes far longer than the test waits before stopping the server
      Process bb =
          new ProcessBuilder(basebackup(c, copy, "-X", "fetch", "-r", "32", "-P"))
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("bb1.log").toFile())
              .start();
      try {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .until(() ->
                "1"
                    .equals(
                        TestCluster.query(
                            p,
                            "select count(*) from pg_stat_replication where state ="
                                + " 'backup'")));
        // pg_stat_progress_basebackup: streaming, with an estimate (-P), and the count moves
        String first =
            org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(
                    () ->
                        TestCluster.query(
                            p,
                            "select backup_streamed from pg_stat_progress_basebackup where phase"
                                + " = 'streaming database files' and backup_total > 0"
                                + " and tablespaces_total = 1"),
                    v -> v != null && Long.parseLong(v) > 0);
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .until(() ->
                Long.parseLong(
                        TestCluster.query(
                            p, "select backup_streamed from pg_stat_progress_basebackup"))
                    > Long.parseLong(first));
        p.close();
        assertThat(bb.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(bb.exitValue()).isNotZero();
        // pg_basebackup removes what it had written
        assertThat(copy).doesNotExist();
      } finally {
        bb.destroyForcibly();
      }
      Node again = c.startPrimary(Map.of());
      Run r =
          run(
              tmp.resolve("bb2.log"),
              180,
              basebackup(c, copy, "-X", "stream", "-C", "-S", "bb_slot", "-R", "-P"));
      assertThat(r.exit()).as(r.output()).isZero();
      // -C -S: a permanent slot, named in the copy's primary_slot_name
      assertThat(
              TestCluster.query(
                  again, "select slot_type from pg_replication_slots where slot_name = 'bb_slot'"))
          .isEqualTo("physical");
      assertThat(Files.readString(copy.resolve("postgresql.auto.conf")))
          .contains("primary_slot_name = 'bb_slot'");
      // -P: the progress report moved (one line per update when stderr is not a terminal)
      assertThat(r.output()).contains("100%");
      again.close();
      Node restored = c.start(copy, Map.of());
      assertThat(TestCluster.query(restored, "select count(*) from t")).isEqualTo("50000");
    }
  }

  @Test
  void backupMissingItsLastWalSegmentRefusesToStart() throws Exception {
    assumeTrue(Files.isExecutable(PG_BASEBACKUP), "pg_basebackup 15 is not installed");
    try (TestCluster c = TestCluster.create(tmp)) {
      Node p = c.startPrimary(Map.of());
      TestCluster.exec(p, "create table t (id int primary key, v text)");
      TestCluster.exec(p, "insert into t select g, 'x' from generate_series(1, 20000) g");
      Path copy = tmp.resolve("copy");
      Process bb =
          new ProcessBuilder(basebackup(c, copy, "-X", "fetch", "-r", "256"))
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("bb.log").toFile())
              .start();
      try {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .until(() ->
                "streaming database files"
                    .equals(TestCluster.query(p, "select phase from pg_stat_progress_basebackup")));
        // several 1 MiB segments of WAL while the files are being sent
        for (int i = 0; i < 6; i++) {
          TestCluster.exec(p, "update t set v = '" + "y".repeat(100) + i + "' where id <= 10000");
        }
        assertThat(bb.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(bb.exitValue()).as(Files.readString(tmp.resolve("bb.log"))).isZero();
      } finally {
        bb.destroyForcibly();
      }
      p.close();
      List<String> segs;
      try (var s = Files.list(copy.resolve("pg_wal"))) {
        segs =
            s.map(x -> x.getFileName().toString())
                .filter(n -> n.matches("[0-9A-F]{24}"))
                .sorted()
                .toList();
      }
      assertThat(segs.size()).as("segments in the backup").isGreaterThanOrEqualTo(2);
      String last = segs.get(segs.size() - 1);
      Files.delete(copy.resolve("pg_wal").resolve(last));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.start(copy, Map.of()))
          .isInstanceOf(org.walden.node.StartupException.class)
          .hasMessageContaining("WAL ends before end of online backup")
          .hasMessageContaining(last);
      assertThat(copy.resolve("backup_label")).exists();
    }
  }
}
