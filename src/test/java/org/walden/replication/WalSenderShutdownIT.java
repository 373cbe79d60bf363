package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.ShutdownMode;
import org.walden.wal.Lsn;

/**
 * Fast shutdown with a streaming standby: the walsender outlives the client sessions, sends the
 * shutdown checkpoint, waits for it to be confirmed, and ends with {@code COPY 0}.
 */
class WalSenderShutdownIT {
  @TempDir Path tmp;

  @Test
  void standbyReceivesEverythingUpToTheShutdownCheckpoint() throws Exception {
    try (Primary primary = Primary.start(tmp, Map.of())) {
      primary.writeRows(100);
      Lsn start = primary.flushed();
      try (ReplicationClient c = ReplicationClient.connect(primary.port(), "standby")) {
        c.startReplication("START_REPLICATION " + start + " TIMELINE 1");
        Thread shutdown = Thread.ofPlatform().start(() -> primary.node.shutdown(ShutdownMode.FAST));
        Lsn received = start;
        String tag = null;
        while (tag == null) {
          ReplicationClient.Message m = c.read();
          if (m.type() == 'C') {
            tag = m.cstring();
            break;
          }
          assertThat(m.type()).isEqualTo('d');
          switch (ReplicationClient.decode(m.body())) {
            case ReplicationClient.Stream.XLogData w -> {
              assertThat(w.dataStart()).isEqualTo(received);
              received = received.plus(w.data().length);
            }
            case ReplicationClient.Stream.Keepalive k -> {
              if (k.replyRequested()) {
                // like pg_receivewal without a slot: write = received, flush invalid
                c.statusUpdate(received, Lsn.INVALID, Lsn.INVALID, false);
              }
            }
          }
        }
        assertThat(tag).isEqualTo("COPY 0");
        assertThat(c.closedByServer()).isTrue();
        shutdown.join(30_000);
        assertThat(primary.node.isTerminated()).isTrue();
        assertThat(received).isEqualTo(primary.node.wal().flushedUpto());
        assertThat(received).isGreaterThan(start); // the shutdown checkpoint record at least
      }
    }
  }
}
