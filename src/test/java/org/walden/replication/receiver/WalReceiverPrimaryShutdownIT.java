package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.replication.receiver.WalReceiverStatus.EndReason.Kind;
import org.walden.replication.receiver.WalReceiverStatus.State;
import org.walden.testing.RealPostgres;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;

/** A primary (trust authentication) that shuts down under a streaming walreceiver. */
class WalReceiverPrimaryShutdownIT {

  @TempDir Path walDir;

  @Test
  void primaryStoppingMidStream_endsTheRun() throws Exception {
    RealPostgres.assumeAvailable();
    try (RealPostgres pg = RealPostgres.builder().start()) {
      long systemId = pg.systemIdentifier();
      WalReceiver r =
          new WalReceiver(
              () -> WalReceiverConfig.defaults(ConnInfo.parse(pg.conninfo())),
              new WalSegmentFiles(
                  walDir,
                  new WalSegmentSize(RealPostgres.SEGMENT_SIZE),
                  new DurableFiles(FileIo.nio())),
              () -> new PgWalReceiverTransport(systemId),
              () -> Lsn.INVALID,
              Optional::empty,
              SegmentCompleted.NONE,
              Clock.systemUTC());
      try {
        r.start(Lsn.parse(pg.queryOne("select pg_current_wal_lsn()")), TimelineId.FIRST);
        await().atMost(Duration.ofSeconds(20)).until(() -> r.status().state() == State.STREAMING);
        pg.execute("create table t as select g from generate_series(1, 10000) g");
        Lsn now = Lsn.parse(pg.queryOne("select pg_current_wal_flush_lsn()"));
        assertThat(r.flushedUpto().awaitAtLeast(now, Duration.ofSeconds(20)))
            .isGreaterThanOrEqualTo(now);

        pg.stop();

        await().atMost(Duration.ofSeconds(20)).until(() -> r.status().state() == State.STOPPED);
        WalReceiverStatus.EndReason why = r.status().endReason().orElseThrow();
        assertThat(why.kind()).isIn(Kind.TERMINATED_BY_PRIMARY, Kind.CONNECTION_LOST);
        // The primary waits for us before it exits: its shutdown checkpoint reached us too.
        assertThat(r.flushedUpto().get()).isGreaterThan(now);
      } finally {
        assertThat(r.stop()).isTrue();
      }
    }
  }
}
