package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.wal.Lsn;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/** The real PostgreSQL 15 {@code pg_receivewal} streams from a Walden primary. */
class WalSenderPgReceiveWalIT {
  static final Path PG_RECEIVEWAL = Path.of("/usr/lib/postgresql/15/bin/pg_receivewal");

  @TempDir Path tmp;

  @Test
  void completedSegmentsAreByteIdenticalToThePrimarys() throws Exception {
    assumeTrue(Files.isExecutable(PG_RECEIVEWAL), "pg_receivewal 15 not installed");
    WalSegmentSize seg = new WalSegmentSize(Primary.SEGMENT);
    try (Primary primary = Primary.start(tmp, Map.of("synchronous_commit", "off"))) {
      Path target = Files.createDirectory(tmp.resolve("received"));
      // pg_receivewal starts at the segment holding the server's flush position
      Lsn firstSegment = seg.segmentStart(primary.flushed());
      Lsn stop = firstSegment.plus(3L * Primary.SEGMENT + 4096);
      Path log = tmp.resolve("pg_receivewal.log");
      Process p =
          new ProcessBuilder(
                  PG_RECEIVEWAL.toString(),
                  "-D",
                  target.toString(),
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(primary.port()),
                  "-U",
                  Primary.USER,
                  "--no-loop",
                  "--no-password",
                  "-E",
                  stop.toString(),
                  "-v")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        while (primary.flushed().isBefore(stop.plus(Primary.SEGMENT / 2))) {
          primary.writeRows(200);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
            .as("pg_receivewal exits at -E; log:\n%s", Files.readString(log))
            .isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
      } finally {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      List<WalSegmentName> completed = new ArrayList<>();
      try (var files = Files.list(target)) {
        files.forEach(
            f -> WalSegmentName.parse(f.getFileName().toString(), seg).ifPresent(completed::add));
      }
      assertThat(completed).as(Files.readString(log)).hasSizeGreaterThanOrEqualTo(3);
      for (WalSegmentName n : completed) {
        byte[] theirs = Files.readAllBytes(target.resolve(n.fileName()));
        byte[] ours = Files.readAllBytes(primary.pgWal().resolve(n.fileName()));
        assertThat(theirs).as(n.fileName()).hasSize(Primary.SEGMENT).isEqualTo(ours);
      }
    }
  }
}
