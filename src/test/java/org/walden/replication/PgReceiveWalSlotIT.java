package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.wal.Lsn;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/** The real PostgreSQL 15 {@code pg_receivewal} with replication slots and --synchronous. */
class PgReceiveWalSlotIT {
  static final Path PG_RECEIVEWAL = Path.of("/usr/lib/postgresql/15/bin/pg_receivewal");
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private final WalSegmentSize seg = new WalSegmentSize(Primary.SEGMENT);

  @BeforeEach
  void toolInstalled() {
    assumeTrue(Files.isExecutable(PG_RECEIVEWAL), "pg_receivewal 15 not installed");
  }

  private Process receivewal(Primary p, Path log, String... extra) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                PG_RECEIVEWAL.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(p.port()),
                "-U",
                Primary.USER,
                "--no-loop",
                "--no-password",
                "-v"));
    cmd.addAll(Arrays.asList(extra));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static void awaitExit(Process p, Path log, int expected) throws Exception {
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS))
          .as("pg_receivewal exits; log:\n%s", Files.readString(log))
          .isTrue();
      assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(expected);
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Segment number → file name (complete or .partial) in pg_receivewal's directory. */
  private TreeMap<Long, String> files(Path dir) throws Exception {
    TreeMap<Long, String> out = new TreeMap<>();
    try (var s = Files.list(dir)) {
      for (Path f : s.toList()) {
        String n = f.getFileName().toString();
        String base = n.endsWith(".partial") ? n.substring(0, n.length() - 8) : n;
        WalSegmentName.parse(base, seg).ifPresent(w -> out.put(w.segNo(), n));
      }
    }
    return out;
  }

  /**
   * Copies the primary's segments aside before a checkpoint removes the ones the slot no longer
   * holds (pg_receivewal has them): the reference its files are compared with.
   */
  private void keepReference(Primary p, Map<String, byte[]> reference) throws Exception {
    try (var s = Files.list(p.pgWal())) {
      for (Path f : s.toList()) {
        if (WalSegmentName.parse(f.getFileName().toString(), seg).isPresent()) {
          reference.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
      }
    }
  }

  private static void signal(Process p, String sig) throws Exception {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start();
    assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void withASlot_stoppedAndRestartedMidSegment_endsByteIdentical() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of("synchronous_commit", "off"))) {
      Path target = Files.createDirectory(tmp.resolve("received"));
      Path log = tmp.resolve("pg_receivewal.log");
      awaitExit(receivewal(p, log, "--slot", "rw1", "--create-slot"), log, 0);
      assertThat(p.node.slots().row("rw1")).isPresent();
      Lsn first = seg.segmentStart(p.flushed());

      // 1: stream, then SIGINT while a segment is half received
      Process r = receivewal(p, log, "-D", target.toString(), "--slot", "rw1");
      try {
        p.writeRows(1500);
        await()
            .atMost(WAIT)
            .until(() ->
                files(target).size() >= 2
                    && files(target).lastEntry().getValue().endsWith(".partial"));
        // the slot follows the flushes pg_receivewal reports at completed segments
        await()
            .atMost(WAIT)
            .until(() ->
                p.node
                    .slots()
                    .row("rw1")
                    .orElseThrow()
                    .restartLsn()
                    .isAtOrAfter(first.plus(Primary.SEGMENT)));
        signal(r, "INT");
        awaitExit(r, log, 0);
      } finally {
        r.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      // WAL goes on, checkpoints run; the slot keeps what pg_receivewal has not got
      Map<String, byte[]> reference = new java.util.HashMap<>();
      p.writeRows(1200);
      keepReference(p, reference);
      p.node.checkpoint();

      // 2: again, then kill -9 mid-segment
      r = receivewal(p, log, "-D", target.toString(), "--slot", "rw1");
      try {
        long before = files(target).lastKey();
        await().atMost(WAIT).until(() -> files(target).lastKey() > before);
        r.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } finally {
        r.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      p.writeRows(1200);
      keepReference(p, reference);
      p.node.checkpoint();

      // 3: to a stop position half way into a later segment
      Lsn stop = p.flushed().plus(-Primary.SEGMENT / 4);
      awaitExit(
          receivewal(p, log, "-D", target.toString(), "--slot", "rw1", "-E", stop.toString()),
          log,
          0);

      keepReference(p, reference);
      TreeMap<Long, String> got = files(target);
      assertThat(got.firstKey()).isEqualTo(seg.segmentOf(first));
      assertThat(got.lastKey() - got.firstKey() + 1).as("no gaps: %s", got).isEqualTo(got.size());
      assertThat(got.size()).isGreaterThanOrEqualTo(4);
      for (Map.Entry<Long, String> e : got.entrySet()) {
        String name = e.getValue();
        byte[] theirs = Files.readAllBytes(target.resolve(name));
        byte[] ours = reference.get(name.replace(".partial", ""));
        assertThat(ours).as("the primary had %s", name).isNotNull();
        if (name.endsWith(".partial")) {
          assertThat(e.getKey()).as("only the last segment is partial").isEqualTo(got.lastKey());
          int upTo = seg.offsetInSegment(stop);
          assertThat(Arrays.copyOf(theirs, upTo)).as(name).isEqualTo(Arrays.copyOf(ours, upTo));
        } else {
          assertThat(theirs).as(name).hasSize(Primary.SEGMENT).isEqualTo(ours);
        }
      }
      assertThat(got.lastEntry().getValue()).endsWith(".partial");
    }
  }

  @Test
  void anEmptyDirectoryStartsAtTheSlotsRestartLsn_readReplicationSlot() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of("synchronous_commit", "off"));
        ReplicationClient c = ReplicationClient.connect(p.port(), "setup")) {
      assertThat(c.query("CREATE_REPLICATION_SLOT rs PHYSICAL ( RESERVE_WAL )").error()).isNull();
      Lsn restart = p.node.slots().row("rs").orElseThrow().restartLsn();
      p.writeRows(2500); // more than two segments past the reservation
      assertThat(seg.segmentOf(p.flushed())).isGreaterThan(seg.segmentOf(restart) + 1);
      Path target = Files.createDirectory(tmp.resolve("received"));
      Path log = tmp.resolve("pg_receivewal.log");
      Lsn stop = seg.segmentStart(restart).plus(Primary.SEGMENT + 100);
      awaitExit(
          receivewal(p, log, "-D", target.toString(), "--slot", "rs", "-E", stop.toString()),
          log,
          0);
      assertThat(files(target).firstKey())
          .as("started where READ_REPLICATION_SLOT said, not at the flush position")
          .isEqualTo(seg.segmentOf(restart));
      String name = files(target).firstEntry().getValue();
      assertThat(Files.readAllBytes(target.resolve(name)))
          .isEqualTo(Files.readAllBytes(p.pgWal().resolve(name)));
    }
  }

  @Test
  void synchronousReportsFlush() throws Exception {
    try (Primary p = Primary.start(tmp, Map.of("synchronous_commit", "off"))) {
      Path target = Files.createDirectory(tmp.resolve("received"));
      Path log = tmp.resolve("pg_receivewal.log");
      Process r = receivewal(p, log, "-D", target.toString(), "--synchronous");
      try {
        p.writeRows(100);
        Lsn written = p.flushed();
        await()
            .atMost(WAIT)
            .until(() ->
                p.node.walSenders().table().snapshot().stream()
                    .anyMatch(w -> w.flushLsn().map(f -> f.isAtOrAfter(written)).orElse(false)));
        signal(r, "INT");
        awaitExit(r, log, 0);
      } finally {
        r.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
