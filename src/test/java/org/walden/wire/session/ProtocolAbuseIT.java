package org.walden.wire.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.walden.wire.session.RawClient.Frame;
import org.walden.wire.session.RawClient.Msg;

/**
 * Hostile or broken clients on raw sockets: garbage, truncation, wrong versions, wrong messages.
 * Each case must end in an error and/or a close within bounded time, and the listener must keep
 * serving afterwards.
 */
class ProtocolAbuseIT {
  private WireTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new WireTestServer(WireTestServer.DEFAULT_HBA, 10, Duration.ofMillis(500));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void assertListenerServes() throws Exception {
    try (RawClient c = RawClient.loggedIn(server.port())) {
      c.send(RawClient.message('Q', "select 1\0".getBytes()));
      assertThat(c.read().type()).isEqualTo('T');
    }
  }

  @Test
  void sslRequest_answeredN_thenStartupContinues() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send(new Frame().int32(8).int32(80877103).bytes());
      assertThat(c.readByte()).isEqualTo('N');
      c.send(new Frame().int32(8).int32(80877104).bytes());
      assertThat(c.readByte()).isEqualTo('N');
      c.send(RawClient.startup("user", "alice", "database", "trustdb"));
      assertThat(c.read().type()).isEqualTo('R');
    }
  }

  @Test
  void startup_reportsThirteenParametersKeyDataAndIdle() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send(RawClient.startup("user", "alice", "database", "trustdb", "application_name", "t1"));
      Msg auth = c.read();
      assertThat(auth.type()).isEqualTo('R');
      java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
      Msg m;
      while ((m = c.read()).type() == 'S') {
        String[] kv = new String(m.body(), java.nio.charset.StandardCharsets.UTF_8).split("\0");
        params.put(kv[0], kv[1]);
      }
      assertThat(params)
          .hasSize(13)
          .containsEntry("server_version", "15.4")
          .containsEntry("application_name", "t1")
          .containsEntry("integer_datetimes", "on")
          .containsEntry("client_encoding", "UTF8")
          .containsEntry("DateStyle", "ISO, MDY")
          .containsEntry("is_superuser", "on")
          .containsEntry("session_authorization", "alice")
          .containsEntry("in_hot_standby", "off");
      assertThat(m.type()).isEqualTo('K');
      Msg z = c.read();
      assertThat(z.type()).isEqualTo('Z');
      assertThat(z.body()).containsExactly('I');
    }
  }

  @Test
  void startup_protocolTwo_rejected() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send(new Frame().int32(12).int32(2 << 16).int32(0).bytes());
      Msg e = c.read();
      assertThat(e.type()).isEqualTo('E');
      assertThat(e.fields().get('C')).isEqualTo("0A000");
      assertThat(e.fields().get('M')).startsWith("unsupported frontend protocol 2.0");
      assertThat(c.drainsToClose()).isTrue();
    }
  }

  @Test
  void startup_minorVersionThree_negotiatesDownToZero() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      byte[] p = RawClient.startup("user", "alice", "database", "trustdb", "_pq_.x", "1");
      p[7] = 2; // 3.2
      c.send(p);
      Msg v = c.read();
      assertThat(v.type()).isEqualTo('v');
      assertThat(new String(v.body(), 8, v.body().length - 9)).isEqualTo("_pq_.x");
      assertThat(c.read().type()).isEqualTo('R');
    }
  }

  @Test
  void startup_missingUser_fatal28000() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send(RawClient.startup("database", "x"));
      Msg e = c.read();
      assertThat(e.fields().get('C')).isEqualTo("28000");
      assertThat(e.fields().get('V')).isEqualTo("FATAL");
    }
  }

  @Test
  void cancelRequest_unknownBackend_closedWithoutReply() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send(new Frame().int32(16).int32(80877102).int32(12345).int32(42).bytes());
      assertThat(c.readByte()).isEqualTo(-1);
    }
    assertListenerServes();
  }

  @Test
  void garbage_seededRandomStreams_neverHangNorKillListener() throws Exception {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    for (int i = 0; i < 30; i++) {
      try (RawClient c = new RawClient(server.port())) {
        byte[] junk = new byte[1 + rnd.nextInt(200)];
        rnd.nextBytes(junk);
        c.send(junk);
        c.socket.shutdownOutput();
        assertThat(c.drainsToClose()).as("seed %d round %d", seed, i).isTrue();
      }
    }
    assertListenerServes();
  }

  @Test
  void garbage_afterLogin_fatal08P01AndClose() throws Exception {
    try (RawClient c = RawClient.loggedIn(server.port())) {
      c.send(new byte[] {'?', 0, 0, 0, 4});
      Msg e = c.read();
      assertThat(e.type()).isEqualTo('E');
      assertThat(e.fields().get('C')).isEqualTo("08P01");
      assertThat(c.drainsToClose()).isTrue();
    }
    assertListenerServes();
  }

  @Test
  void badLength_afterLogin_fatal08P01() throws Exception {
    try (RawClient c = RawClient.loggedIn(server.port())) {
      c.send(new byte[] {'Q', 0, 0, 0, 3});
      Msg e = c.read();
      assertThat(e.fields().get('C')).isEqualTo("08P01");
      assertThat(e.fields().get('M')).isEqualTo("invalid message length");
    }
  }

  @Test
  void truncatedMessage_afterLogin_sessionEndsAfterMessageTimeout() throws Exception {
    try (RawClient c = RawClient.loggedIn(server.port())) {
      // announce 100 bytes, send 3, then stall: the 500 ms in-message timeout must end it
      c.send(new byte[] {'Q', 0, 0, 0, 104, 's', 'e', 'l'});
      assertThat(c.drainsToClose()).isTrue();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.listener.registry().slotsInUse() == 0);
    assertListenerServes();
  }

  @Test
  void truncatedStartup_clientVanishes_slotFreed() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send(new byte[] {0, 0, 0, 40, 0, 3});
    }
    try (RawClient c = RawClient.loggedIn(server.port())) {
      c.send(RawClient.message('X', new byte[0]));
      assertThat(c.drainsToClose()).isTrue();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.listener.registry().slotsInUse() == 0);
  }

  @Test
  void passwordMessage_afterLogin_fatal08P01() throws Exception {
    try (RawClient c = RawClient.loggedIn(server.port())) {
      c.send(RawClient.message('p', "x\0".getBytes()));
      assertThat(c.read().fields().get('C')).isEqualTo("08P01");
      assertThat(c.drainsToClose()).isTrue();
    }
  }

  @Test
  void extendedError_skipsUntilSync() throws Exception {
    try (RawClient c = RawClient.loggedIn(server.port())) {
      byte[] bindMissing = new Frame().cstr("").cstr("nope").int16(0).int16(0).int16(0).bytes();
      byte[] exec = new Frame().cstr("").int32(0).bytes();
      c.send(RawClient.message('B', bindMissing));
      c.send(RawClient.message('E', exec));
      c.send(RawClient.message('Q', "select 1\0".getBytes())); // skipped too
      c.send(RawClient.message('S', new byte[0]));
      Msg e = c.read();
      assertThat(e.fields().get('C')).isEqualTo("26000");
      Msg z = c.read();
      assertThat(z.type()).isEqualTo('Z');
      c.send(RawClient.message('Q', "\0".getBytes()));
      assertThat(c.read().type()).isEqualTo('I');
      assertThat(c.read().type()).isEqualTo('Z');
    }
  }

  @Test
  void replicationConnection_extendedProtocol_error08P01() throws Exception {
    try (RawClient c = RawClient.loggedIn(server.port(), "replication", "database")) {
      c.send(RawClient.message('P', new Frame().cstr("").cstr("select 1").int16(0).bytes()));
      c.send(RawClient.message('S', new byte[0]));
      Msg e = c.read();
      assertThat(e.fields().get('C')).isEqualTo("08P01");
      assertThat(e.fields().get('M'))
          .isEqualTo("extended query protocol not supported in a replication connection");
      assertThat(e.fields().get('V')).isEqualTo("ERROR");
      assertThat(c.read().type()).isEqualTo('Z');
      c.send(RawClient.message('Q', "IDENTIFY_SYSTEM\0".getBytes()));
      assertThat(c.read().type()).isEqualTo('T');
      assertThat(c.read().type()).isEqualTo('D');
      assertThat(new String(c.read().body())).isEqualTo("IDENTIFY_SYSTEM\0");
    }
  }

  @Test
  void replicationPhysical_noReplicationRule_fatal28000() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send(RawClient.startup("user", "bob", "database", "replication", "replication", "true"));
      Msg e = c.read();
      assertThat(e.fields().get('C')).isEqualTo("28000");
      assertThat(e.fields().get('M'))
          .isEqualTo(
              "no pg_hba.conf entry for replication connection from host \"127.0.0.1\", user"
                  + " \"bob\", no encryption");
    }
  }

  @Test
  void replicationConnection_roleWithoutReplication_fatal42501() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send(RawClient.startup("user", "bob", "database", "trustdb", "replication", "database"));
      Msg e = c.read();
      assertThat(e.fields().get('C')).isEqualTo("42501");
      assertThat(e.fields().get('M'))
          .isEqualTo("must be superuser or replication role to start walsender");
    }
  }

  @Test
  void close_listener_endsIdleSessions() throws Exception {
    RawClient c = RawClient.loggedIn(server.port());
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> server.listener.activeSessions() == 1);
    server.close();
    assertThat(c.drainsToClose()).isTrue();
    assertThat(server.listener.activeSessions()).isZero();
    c.close();
  }
}
