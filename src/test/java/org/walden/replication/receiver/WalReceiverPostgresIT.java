package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.replication.receiver.StreamMessage.PrimaryKeepalive;
import org.walden.replication.receiver.StreamMessage.StandbyStatusUpdate;
import org.walden.replication.receiver.WalReceiverStatus.EndReason.Kind;
import org.walden.replication.receiver.WalReceiverStatus.State;
import org.walden.testing.RealPostgres;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/** The walreceiver streaming from a real PostgreSQL 15 primary (SCRAM-SHA-256 authentication). */
class WalReceiverPostgresIT {

  private static final String PASSWORD = "s3cret pw";
  private static final WalSegmentSize SEG = new WalSegmentSize(RealPostgres.SEGMENT_SIZE);

  private static RealPostgres pg;
  private static long systemId;

  @TempDir Path walDir;
  @TempDir Path scratch;

  private final List<WalSegmentName> completed = new CopyOnWriteArrayList<>();
  private WalReceiver receiver;

  @BeforeAll
  static void startPrimary() throws Exception {
    RealPostgres.assumeAvailable();
    pg =
        RealPostgres.builder()
            .password(PASSWORD)
            .hbaLine("host replication md5user 127.0.0.1/32 md5")
            .hbaLine("host replication pwuser 127.0.0.1/32 password")
            .start();
    systemId = pg.systemIdentifier();
    pg.execute(
        "set password_encryption = 'md5'",
        "create role md5user login replication password 'md5pw'",
        "reset password_encryption",
        "create role pwuser login replication password 'clearpw'");
  }

  @AfterAll
  static void stopPrimary() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @AfterEach
  void stopReceiver() throws InterruptedException {
    if (receiver != null) {
      assertThat(receiver.stop()).isTrue();
    }
  }

  private WalReceiver receiver(
      WalReceiverConfig config, Supplier<? extends WalReceiverTransport> transports) {
    WalSegmentFiles segs = new WalSegmentFiles(walDir, SEG, new DurableFiles(FileIo.nio()));
    receiver =
        new WalReceiver(
            () -> config,
            segs,
            transports,
            () -> Lsn.INVALID,
            Optional::empty,
            completed::add,
            Clock.systemUTC());
    return receiver;
  }

  private WalReceiver receiver(WalReceiverConfig config) {
    return receiver(config, () -> new PgWalReceiverTransport(systemId));
  }

  private static WalReceiverConfig config(String conninfo) {
    return WalReceiverConfig.defaults(ConnInfo.parse(conninfo));
  }

  private static Lsn currentLsn() throws Exception {
    return Lsn.parse(pg.queryOne("select pg_current_wal_lsn()"));
  }

  @Test
  void streamedSegments_areByteIdenticalToThePrimarysOwn() throws Exception {
    WalReceiver r = receiver(config(pg.conninfo()));
    Lsn start = currentLsn();
    r.start(start, TimelineId.FIRST);
    await().atMost(Duration.ofSeconds(20)).until(() -> r.status().state() == State.STREAMING);

    // About 3.5 MB of WAL, then close the segment.
    pg.execute(
        "create table t (a int, b text)",
        "insert into t select g, repeat('x', 200) from generate_series(1, 15000) g");
    Lsn switched = Lsn.parse(pg.queryOne("select pg_switch_wal()"));
    Lsn segmentEnd = SEG.startOf(SEG.segmentOf(switched.plus(-1)) + 1);

    assertThat(r.flushedUpto().awaitAtLeast(segmentEnd, Duration.ofSeconds(30)))
        .isGreaterThanOrEqualTo(segmentEnd);
    long lastSeg = SEG.segmentOf(segmentEnd.plus(-1));
    await().until(() -> completed.stream().anyMatch(s -> s.segNo() == lastSeg));

    assertThat(completed).hasSizeGreaterThanOrEqualTo(3);
    assertThat(completed.get(0).segNo()).isEqualTo(SEG.segmentOf(start));
    for (WalSegmentName s : completed) {
      byte[] ours = Files.readAllBytes(walDir.resolve(s.fileName()));
      byte[] theirs = Files.readAllBytes(pg.walDir().resolve(s.fileName()));
      assertThat(ours).as("segment %s", s).isEqualTo(theirs);
    }

    // The primary has our flush report, under PostgreSQL's default application_name.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            "t"
                .equals(
                    pg.queryOne(
                        "select flush_lsn >= '"
                            + segmentEnd
                            + "' from pg_stat_replication where application_name ="
                            + " 'walreceiver'")));

    WalReceiverStatus st = r.status();
    assertThat(st.receiveStartLsn()).isEqualTo(SEG.segmentStart(start));
    assertThat(st.senderHost()).contains("127.0.0.1");
    assertThat(st.senderPort()).contains(pg.port());
    assertThat(st.conninfo().orElseThrow()).contains("password=********").doesNotContain("s3cret");
    assertThat(st.lastMsgReceiptTime()).isPresent();
    assertThat(st.latestEndLsn()).isGreaterThanOrEqualTo(segmentEnd);
  }

  @Test
  void wrongPassword_failsWith28P01() throws Exception {
    PgWalReceiverTransport t = new PgWalReceiverTransport(systemId);
    ConnInfo ci = ConnInfo.parse(pg.conninfo()).with("password", "wrong");
    assertThatThrownBy(() -> t.connect(ci, Lsn.INVALID, TimelineId.FIRST, Optional.empty()))
        .isInstanceOfSatisfying(
            PrimaryErrorException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("28P01");
              assertThat(e.getMessage())
                  .isEqualTo("FATAL:  28P01: password authentication failed for user \"postgres\"");
            });

    // The walreceiver reports it as a failed connection, with the primary's words.
    WalReceiver r = receiver(WalReceiverConfig.defaults(ci));
    r.start(currentLsn(), TimelineId.FIRST);
    await().atMost(Duration.ofSeconds(20)).until(() -> r.status().state() == State.STOPPED);
    WalReceiverStatus.EndReason why = r.status().endReason().orElseThrow();
    assertThat(why.kind()).isEqualTo(Kind.CONNECT_FAILED);
    assertThat(why.message()).contains("28P01").contains("password authentication failed");
  }

  @Test
  void passwordFromPassfile() throws Exception {
    Path passfile = scratch.resolve("pgpass");
    Files.writeString(
        passfile, "127.0.0.1:" + pg.port() + ":replication:postgres:" + PASSWORD + "\n");
    Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
    ConnInfo ci =
        ConnInfo.parse(
            "host=127.0.0.1 port=" + pg.port() + " user=postgres passfile='" + passfile + "'");
    PgWalReceiverTransport t = new PgWalReceiverTransport(systemId);
    try {
      WalReceiverTransport.PrimaryInfo info =
          t.connect(ci, SEG.segmentStart(currentLsn()), TimelineId.FIRST, Optional.empty());
      assertThat(info.systemId()).isEqualTo(systemId);
      assertThat(info.timeline()).isEqualTo(TimelineId.FIRST);
    } finally {
      t.disconnect();
    }
  }

  @Test
  void md5AndCleartextAuthentication() throws Exception {
    for (String who : List.of("user=md5user password=md5pw", "user=pwuser password=clearpw")) {
      PgWalReceiverTransport t = new PgWalReceiverTransport(systemId);
      ConnInfo ci = ConnInfo.parse("host=127.0.0.1 port=" + pg.port() + " " + who);
      try {
        assertThat(
                t.connect(ci, SEG.segmentStart(currentLsn()), TimelineId.FIRST, Optional.empty())
                    .systemId())
            .isEqualTo(systemId);
      } finally {
        t.disconnect();
      }
    }
  }

  @Test
  void anotherSystemsPrimary_isRefused() {
    PgWalReceiverTransport t = new PgWalReceiverTransport(systemId + 1);
    assertThatThrownBy(() ->
            t.connect(
                ConnInfo.parse(pg.conninfo()), Lsn.INVALID, TimelineId.FIRST, Optional.empty()))
        .hasMessageStartingWith(
            "database system identifier differs between the primary and standby");
  }

  @Test
  void sslmodeRequire_isAClearError() {
    PgWalReceiverTransport t = new PgWalReceiverTransport(systemId);
    assertThatThrownBy(() ->
            t.connect(
                ConnInfo.parse(pg.conninfo() + " sslmode=require"),
                Lsn.INVALID,
                TimelineId.FIRST,
                Optional.empty()))
        .hasMessageContaining("sslmode value \"require\"")
        .hasMessageContaining("does not support SSL");
  }

  @Test
  void keepaliveAskingForReply_isAnswered_soThePrimaryKeepsTheConnection() throws Exception {
    // The primary asks after wal_sender_timeout/2 of silence and drops us after the full timeout.
    pg.execute("alter system set wal_sender_timeout = '2s'", "select pg_reload_conf()");
    try {
      List<RecordingTransport> made = new CopyOnWriteArrayList<>();
      WalReceiverConfig cfg =
          config(pg.conninfo())
              .withStatusInterval(Duration.ZERO) // only replies we are asked for
              .withReceiverTimeout(Duration.ZERO); // and no pings of our own
      WalReceiver r =
          receiver(
              cfg,
              () -> {
                RecordingTransport t = new RecordingTransport(new PgWalReceiverTransport(systemId));
                made.add(t);
                return t;
              });
      r.start(currentLsn(), TimelineId.FIRST);
      await().atMost(Duration.ofSeconds(20)).until(() -> r.status().state() == State.STREAMING);
      // Three requests answered: the connection outlived wal_sender_timeout at least twice over.
      await().atMost(Duration.ofSeconds(20)).until(() -> answeredRequests(made.get(0)) >= 3);
      assertThat(r.status().state()).isEqualTo(State.STREAMING);
      assertThat(made).hasSize(1);
    } finally {
      pg.execute("alter system reset wal_sender_timeout", "select pg_reload_conf()");
    }
  }

  /** Keepalives with replyRequested that were followed by a status update before the next one. */
  private static int answeredRequests(RecordingTransport t) {
    int answered = 0;
    boolean pending = false;
    for (RecordingTransport.Event e : t.events) {
      if (e.received() && e.message() instanceof PrimaryKeepalive k && k.replyRequested()) {
        pending = true;
      } else if (!e.received() && e.message() instanceof StandbyStatusUpdate && pending) {
        answered++;
        pending = false;
      }
    }
    return answered;
  }

  @Test
  void silentPrimary_endsTheRunAfterWalReceiverTimeout() throws Exception {
    try (TcpProxy proxy = new TcpProxy(pg.host(), pg.port())) {
      WalReceiverConfig cfg =
          config(pg.conninfo().replace("port=" + pg.port(), "port=" + proxy.port()))
              .withReceiverTimeout(Duration.ofSeconds(1));
      WalReceiver r = receiver(cfg);
      r.start(currentLsn(), TimelineId.FIRST);
      await().atMost(Duration.ofSeconds(20)).until(() -> r.status().state() == State.STREAMING);
      proxy.goSilent();
      await().atMost(Duration.ofSeconds(15)).until(() -> r.status().state() == State.STOPPED);
      WalReceiverStatus.EndReason why = r.status().endReason().orElseThrow();
      assertThat(why.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(why.message()).isEqualTo("terminating walreceiver due to timeout");
    }
  }

  @Test
  void slotAndHotStandbyFeedback_reachThePrimary() throws Exception {
    pg.execute("select pg_create_physical_replication_slot('walden_s1', true)");
    try {
      long xid = Long.parseLong(pg.queryOne("select txid_current()"));
      WalSegmentFiles segs = new WalSegmentFiles(walDir, SEG, new DurableFiles(FileIo.nio()));
      WalReceiverConfig cfg =
          config(pg.conninfo())
              .withSlotName("walden_s1")
              .withHotStandbyFeedback(true)
              .withStatusInterval(Duration.ofSeconds(1));
      receiver =
          new WalReceiver(
              () -> cfg,
              segs,
              () -> new PgWalReceiverTransport(systemId),
              () -> Lsn.INVALID,
              () -> Optional.of(org.walden.wal.Xid.of(xid)),
              completed::add,
              Clock.systemUTC());
      WalReceiver r = receiver;
      r.start(currentLsn(), TimelineId.FIRST);
      await().atMost(Duration.ofSeconds(20)).until(() -> r.status().state() == State.STREAMING);
      assertThat(r.status().slotName()).contains("walden_s1");
      pg.execute("create table slot_t as select g from generate_series(1, 1000) g");
      Lsn now = Lsn.parse(pg.queryOne("select pg_current_wal_flush_lsn()"));
      assertThat(r.flushedUpto().awaitAtLeast(now, Duration.ofSeconds(20)))
          .isGreaterThanOrEqualTo(now);
      // The slot is ours, follows our flush reports, and holds our xmin.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() ->
              "t"
                  .equals(
                      pg.queryOne(
                          "select active and restart_lsn >= '"
                              + now
                              + "' and xmin = '"
                              + xid
                              + "' from pg_replication_slots where slot_name = 'walden_s1'")));
    } finally {
      if (receiver != null) {
        receiver.stop();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() ->
              "f"
                  .equals(
                      pg.queryOne(
                          "select active from pg_replication_slots where slot_name ="
                              + " 'walden_s1'")));
      pg.execute("select pg_drop_replication_slot('walden_s1')");
    }
  }

  @Test
  void startPointAheadOfThePrimary_endsWithThePrimarysError() throws Exception {
    WalReceiver r = receiver(config(pg.conninfo()));
    Lsn ahead = SEG.startOf(SEG.segmentOf(currentLsn()) + 100);
    r.start(ahead, TimelineId.FIRST);
    await().atMost(Duration.ofSeconds(20)).until(() -> r.status().state() == State.STOPPED);
    WalReceiverStatus.EndReason why = r.status().endReason().orElseThrow();
    assertThat(why.kind()).isEqualTo(Kind.ERROR_FROM_PRIMARY);
    assertThat(why.message())
        .startsWith("could not receive data from WAL stream: ")
        .contains("requested starting point " + ahead + " is ahead of the WAL flush position");
  }
}
