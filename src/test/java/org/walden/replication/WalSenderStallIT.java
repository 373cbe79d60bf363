package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.testing.FaultProxy;
import org.walden.wal.Lsn;

/**
 * A standby that stops reading must not hold back the primary: the walsender blocks in its write
 * while synchronous commits go on completing (WAL is read from pg_wal, never from the writer).
 */
class WalSenderStallIT {
  @TempDir Path tmp;

  @Test
  void stalledStandbyDoesNotBlockCommits() throws Exception {
    try (Primary primary = Primary.start(tmp, Map.of("synchronous_commit", "on"));
        FaultProxy proxy = FaultProxy.start(primary.port());
        ReplicationClient c = ReplicationClient.connect(proxy.port(), "stalled")) {
      Lsn start = primary.flushed();
      c.startReplication("START_REPLICATION " + start + " TIMELINE 1");
      proxy.stall();
      int commits = 2000;
      try (Connection conn = primary.connect()) {
        try (Statement s = conn.createStatement()) {
          s.execute("create table big (id int, v text)");
        }
        String filler = "y".repeat(4000);
        try (PreparedStatement ins = conn.prepareStatement("insert into big values (?, ?)")) {
          for (int i = 0; i < commits; i++) {
            ins.setInt(1, i);
            ins.setString(2, filler);
            assertThat(ins.executeUpdate()).isEqualTo(1);
          }
        }
      }
      Lsn flushed = primary.flushed();
      assertThat(flushed.minus(start)).isGreaterThan(commits * 4000L);
      WalSenderRow row = primary.node.walSenders().table().snapshot().get(0);
      // the walsender is stuck far behind: socket buffers hold a few MiB at most
      assertThat(row.sentLsn().orElse(start)).isLessThan(flushed);
      proxy.resume(); // and the stream flows again
      Lsn next = start;
      while (next.isBefore(flushed)) {
        if (c.readStream() instanceof ReplicationClient.Stream.XLogData w) {
          assertThat(w.dataStart()).isEqualTo(next);
          next = next.plus(w.data().length);
        }
      }
    }
  }
}
