package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keepalives and {@code wal_sender_timeout} (1 s here) against a silent standby. */
class WalSenderTimeoutIT {
  @TempDir static Path tmp;
  static Primary primary;

  @BeforeAll
  static void start() throws Exception {
    primary = Primary.start(tmp, Map.of("wal_sender_timeout", "1s"));
  }

  @AfterAll
  static void stop() {
    if (primary != null) {
      primary.close();
    }
  }

  @Test
  void silentStandbyGetsAPingThenIsDropped() throws Exception {
    try (ReplicationClient c = ReplicationClient.connect(primary.port(), "silent")) {
      c.startReplication("START_REPLICATION " + primary.flushed() + " TIMELINE 1");
      ReplicationClient.Stream.Keepalive ping = null;
      while (ping == null) {
        if (c.readStream() instanceof ReplicationClient.Stream.Keepalive k && k.replyRequested()) {
          ping = k;
        }
      }
      assertThat(ping.walEnd()).isEqualTo(primary.flushed());
      // no answer: the walsender ends the connection without a message
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void answeringStandbyStaysConnected() throws Exception {
    try (ReplicationClient c = ReplicationClient.connect(primary.port(), "chatty")) {
      c.startReplication("START_REPLICATION " + primary.flushed() + " TIMELINE 1");
      int pings = 0;
      while (pings < 4) { // four pings answered: well past one timeout
        if (c.readStream() instanceof ReplicationClient.Stream.Keepalive k && k.replyRequested()) {
          pings++;
          c.statusUpdate(k.walEnd(), k.walEnd(), k.walEnd(), false);
        }
      }
      c.copyDone();
      ReplicationClient.Message m;
      do {
        m = c.read();
      } while (m.type() == 'd');
      assertThat(m.type()).isEqualTo('c');
      assertThat(c.collect().tags()).containsExactly("START_STREAMING", "START_REPLICATION");
    }
  }
}
