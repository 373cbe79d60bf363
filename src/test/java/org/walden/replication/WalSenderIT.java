package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.replication.ReplicationClient.Result;
import org.walden.replication.ReplicationClient.Stream;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/** The walsender over real sockets against a real primary, with a raw protocol client. */
class WalSenderIT {
  @TempDir static Path tmp;
  static Primary primary;
  static final WalSegmentSize SEG = new WalSegmentSize(Primary.SEGMENT);

  @BeforeAll
  static void start() throws Exception {
    primary = Primary.start(tmp, Map.of("max_wal_senders", "3"));
    primary.writeRows(50);
  }

  @AfterAll
  static void stop() {
    if (primary != null) {
      primary.close();
    }
  }

  @BeforeEach
  void noWalSendersLeft() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> primary.node.walSenders().table().size() == 0);
  }

  private static ReplicationClient connect() throws IOException {
    ReplicationClient c = ReplicationClient.connect(primary.port(), "walsender_it");
    assertThat(c.loginError()).isNull();
    return c;
  }

  private static List<WalSegmentName> segments() throws IOException {
    List<WalSegmentName> out = new ArrayList<>();
    try (var files = Files.list(primary.pgWal())) {
      files.forEach(p -> WalSegmentName.parse(p.getFileName().toString(), SEG).ifPresent(out::add));
    }
    out.sort((a, b) -> Long.compare(a.segNo(), b.segNo()));
    return out;
  }

  @Test
  void identifySystemShowAndTimelineHistory() throws Exception {
    try (ReplicationClient c = connect()) {
      Result id = c.query("IDENTIFY_SYSTEM");
      assertThat(id.error()).isNull();
      assertThat(id.columns()).containsExactly("systemid", "timeline", "xlogpos", "dbname");
      assertThat(id.types()).containsExactly(25, 23, 25, 25);
      List<String> row = id.rows().get(0);
      assertThat(row.get(0))
          .isEqualTo(Long.toUnsignedString(primary.node.wal().identity().systemId()));
      assertThat(row.get(1)).isEqualTo("1");
      assertThat(Lsn.parse(row.get(2))).isLessThanOrEqualTo(primary.flushed());
      assertThat(row.get(3)).isNull();
      assertThat(id.tags()).containsExactly("IDENTIFY_SYSTEM");

      Result seg = c.query("SHOW wal_segment_size;");
      assertThat(seg.columns()).containsExactly("wal_segment_size");
      assertThat(seg.rows()).containsExactly(List.of("1MB"));
      assertThat(seg.tags()).containsExactly("SHOW");
      assertThat(c.query("SHOW data_directory_mode").rows()).containsExactly(List.of("0700"));
      Result unknown = c.query("SHOW no_such_thing");
      assertThat(unknown.error())
          .containsEntry('C', "42704")
          .containsEntry('M', "unrecognized configuration parameter \"no_such_thing\"");

      assertThat(c.query("TIMELINE_HISTORY 1").error())
          .containsEntry('C', "58P01")
          .containsEntry(
              'M', "could not open file \"pg_wal/00000001.history\": No such file or directory");
      assertThat(c.query("TIMELINE_HISTORY 0").error())
          .containsEntry('C', "42601")
          .containsEntry('M', "invalid timeline 0");
      String history = "1\t0/5CD0440\tno recovery target specified\n";
      Files.writeString(primary.pgWal().resolve("00000002.history"), history);
      Result h = c.query("TIMELINE_HISTORY 2");
      assertThat(h.columns()).containsExactly("filename", "content");
      assertThat(h.rows()).containsExactly(List.of("00000002.history", history));
      assertThat(h.tags()).containsExactly("TIMELINE_HISTORY");
      Files.delete(primary.pgWal().resolve("00000002.history"));
    }
  }

  @Test
  void sqlAndUnsupportedCommandsAreRefused() throws Exception {
    try (ReplicationClient c = connect()) {
      for (String sql : List.of("SELECT 1", "identify_system")) {
        assertThat(c.query(sql).error())
            .containsEntry('C', "0A000")
            .containsEntry(
                'M', "cannot execute SQL commands in WAL sender for physical replication");
      }
      // (slot commands run now: ReplicationSlotIT)
      assertThat(c.query("IDENTIFY_SYSTEM x").error())
          .containsEntry('C', "42601")
          .containsEntry('M', "syntax error");
      assertThat(c.query("START_REPLICATION SLOT \"nope\" 0/0").error())
          .containsEntry('C', "42704")
          .containsEntry('M', "replication slot \"nope\" does not exist");
      assertThat(c.query("START_REPLICATION 0/0 TIMELINE 2").error())
          .containsEntry('C', "XX000")
          .containsEntry('M', "requested timeline 2 is not in this server's history");
      assertThat(c.query("IDENTIFY_SYSTEM").error()).isNull();
    }
  }

  @Test
  void startAheadOfFlushIsAnErrorAfterCopyBoth() throws Exception {
    try (ReplicationClient c = connect()) {
      c.startReplication("START_REPLICATION FF/0 TIMELINE 1");
      Result r = c.collect();
      assertThat(r.error()).containsEntry('C', "XX000");
      assertThat(r.error().get('M'))
          .startsWith(
              "requested starting point FF/0 is ahead of the WAL flush position of this server ");
      assertThat(c.query("IDENTIFY_SYSTEM").error()).isNull(); // still usable
    }
  }

  @Test
  void removedSegmentIsAnErrorAfterCopyBoth() throws Exception {
    long before = segments().get(0).segNo();
    primary.writeRows(3 * Primary.SEGMENT / 1000);
    primary.node.checkpoint();
    primary.node.checkpoint();
    long lowest = segments().get(0).segNo();
    assertThat(lowest).isGreaterThan(before);
    try (ReplicationClient c = connect()) {
      c.startReplication("START_REPLICATION " + SEG.startOf(lowest - 1) + " TIMELINE 1");
      Result r = c.collect();
      assertThat(r.error())
          .containsEntry('C', "58P01")
          .containsEntry(
              'M',
              "requested WAL segment "
                  + SEG.name(TimelineId.FIRST, lowest - 1).fileName()
                  + " has already been removed");
    }
  }

  /** Receives contiguous XLogData from {@code start} to at least {@code upTo}; checks bytes. */
  private static Lsn receiveUpTo(ReplicationClient c, Lsn start, Lsn upTo) throws IOException {
    Lsn next = start;
    while (next.isBefore(upTo)) {
      Stream s = c.readStream();
      if (s instanceof Stream.XLogData w) {
        assertThat(w.dataStart()).isEqualTo(next);
        assertThat(w.data().length).isBetween(1, WalSender.MAX_SEND_SIZE);
        assertThat(w.walEnd()).isGreaterThanOrEqualTo(w.dataStart().plus(w.data().length));
        assertSameAsSegmentFile(w);
        next = next.plus(w.data().length);
      }
    }
    return next;
  }

  private static void assertSameAsSegmentFile(Stream.XLogData w) throws IOException {
    long segNo = SEG.segmentOf(w.dataStart());
    Path p = primary.pgWal().resolve(SEG.name(TimelineId.FIRST, segNo).fileName());
    if (!Files.exists(p)) {
      return; // removed since by a checkpoint
    }
    int off = SEG.offsetInSegment(w.dataStart());
    int n = Math.min(w.data().length, Primary.SEGMENT - off);
    byte[] file = Files.readAllBytes(p);
    assertThat(java.util.Arrays.copyOfRange(w.data(), 0, n))
        .isEqualTo(java.util.Arrays.copyOfRange(file, off, off + n));
  }

  @Test
  void streamsAnswersReplyRequestAndEndsOnCopyDone() throws Exception {
    try (ReplicationClient c = connect()) {
      Lsn start = segments().get(0).startLsn();
      Lsn target = primary.flushed();
      c.startReplication("START_REPLICATION " + start + " TIMELINE 1");
      Lsn got = receiveUpTo(c, start, target);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() ->
              primary.node.walSenders().table().snapshot().get(0).state()
                  == WalSenderState.STREAMING);

      c.statusUpdate(got, got, Lsn.INVALID, true);
      Stream.Keepalive k = null;
      while (k == null) {
        if (c.readStream() instanceof Stream.Keepalive ka) {
          k = ka;
        }
      }
      assertThat(k.replyRequested()).isFalse();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> {
            WalSenderRow row = primary.node.walSenders().table().snapshot().get(0);
            assertThat(row.writeLsn()).contains(got);
            assertThat(row.flushLsn()).contains(got);
            assertThat(row.replayLsn()).isEmpty();
            assertThat(row.replyTime()).isPresent();
            assertThat(row.applicationName()).isEqualTo("walsender_it");
            assertThat(row.syncState()).isEqualTo("async");
          });

      c.copyDone();
      ReplicationClient.Message m;
      do {
        m = c.read();
      } while (m.type() == 'd');
      assertThat(m.type()).isEqualTo('c');
      Result end = c.collect();
      assertThat(end.tags()).containsExactly("START_STREAMING", "START_REPLICATION");
      assertThat(end.error()).isNull();
      assertThat(c.query("IDENTIFY_SYSTEM").error()).isNull();
    }
  }

  @Test
  void unknownStandbyMessageIsFatal() throws Exception {
    try (ReplicationClient c = connect()) {
      c.startReplication("START_REPLICATION " + primary.flushed() + " TIMELINE 1");
      c.send('d', new byte[] {'x', 1, 2});
      ReplicationClient.Message m;
      do {
        m = c.read();
      } while (m.type() == 'd');
      assertThat(m.type()).isEqualTo('E');
      assertThat(ReplicationClient.fields(m.body()))
          .containsEntry('V', "FATAL")
          .containsEntry('C', "08P01")
          .containsEntry('M', "unexpected message type \"x\"");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void maxWalSendersIsEnforced() throws Exception {
    List<ReplicationClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(connect());
      }
      try (ReplicationClient fourth = ReplicationClient.connect(primary.port(), "fourth")) {
        assertThat(fourth.loginError())
            .containsEntry('V', "FATAL")
            .containsEntry('C', "53300")
            .containsEntry(
                'M',
                "number of requested standby connections exceeds max_wal_senders (currently 3)");
      }
      assertThat(primary.node.walSenders().table().snapshot())
          .hasSize(3)
          .allSatisfy(r -> assertThat(r.state()).isEqualTo(WalSenderState.STARTUP));
    } finally {
      for (ReplicationClient c : open) {
        c.close();
      }
    }
  }

  @Test
  void severalWalSendersStreamIndependently() throws Exception {
    Lsn start = SEG.segmentStart(primary.flushed());
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<ReplicationClient> clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ReplicationClient c = connect();
        clients.add(c);
        c.startReplication("START_REPLICATION " + start + " TIMELINE 1");
      }
      primary.writeRows(300);
      Lsn target = primary.flushed();
      List<Future<Lsn>> got = new ArrayList<>();
      for (ReplicationClient c : clients) {
        got.add(pool.submit(() -> receiveUpTo(c, start, target)));
      }
      for (Future<Lsn> f : got) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(target);
      }
      for (ReplicationClient c : clients) {
        c.close();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pgjdbcReplicationApiStreamsAndCloses() throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", Primary.USER);
    props.setProperty("replication", "true");
    props.setProperty("assumeMinServerVersion", "9.4");
    props.setProperty("preferQueryMode", "simple");
    Lsn start = SEG.segmentStart(primary.flushed());
    try (java.sql.Connection conn =
        java.sql.DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + primary.port() + "/postgres", props)) {
      assertThat(conn.isValid(5)).isTrue(); // IDENTIFY_SYSTEM
      org.postgresql.replication.PGReplicationStream stream =
          conn.unwrap(org.postgresql.PGConnection.class)
              .getReplicationAPI()
              .replicationStream()
              .physical()
              .withStartPosition(
                  org.postgresql.replication.LogSequenceNumber.valueOf(start.value()))
              .start();
      java.nio.ByteBuffer first = stream.read();
      assertThat(first.remaining()).isPositive();
      assertThat(stream.getLastReceiveLSN().asLong()).isGreaterThan(start.value());
      stream.close(); // CopyDone, then CopyDone + two CommandCompletes + ReadyForQuery
      assertThat(conn.isValid(5)).isTrue();
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
