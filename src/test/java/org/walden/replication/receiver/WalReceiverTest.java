package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.replication.receiver.StreamMessage.EndOfStream;
import org.walden.replication.receiver.StreamMessage.HotStandbyFeedback;
import org.walden.replication.receiver.StreamMessage.PrimaryKeepalive;
import org.walden.replication.receiver.StreamMessage.StandbyStatusUpdate;
import org.walden.replication.receiver.StreamMessage.XLogData;
import org.walden.replication.receiver.WalReceiverStatus.EndReason.Kind;
import org.walden.replication.receiver.WalReceiverStatus.State;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.Xid;

/** The walreceiver against a scripted primary: placement, flushing, replies, endings. */
class WalReceiverTest {

  private static final int SEG = 1 << 20;
  private static final TimelineId TLI = TimelineId.FIRST;

  @TempDir Path dir;

  private final ScriptedTransport primary = new ScriptedTransport();
  private final List<WalSegmentName> completed = new CopyOnWriteArrayList<>();
  private WalReceiver receiver;
  private WalReceiverConfig config =
      WalReceiverConfig.defaults(ConnInfo.parse("host=127.0.0.1 password=x"));
  private volatile Optional<Xid> xmin = Optional.empty();

  private WalReceiver receiver() {
    WalSegmentFiles segs =
        new WalSegmentFiles(dir, new WalSegmentSize(SEG), new DurableFiles(FileIo.nio()));
    receiver =
        new WalReceiver(
            () -> config,
            segs,
            () -> primary,
            () -> Lsn.parse("0/123"),
            () -> xmin,
            completed::add,
            Clock.systemUTC());
    return receiver;
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (receiver != null) {
      assertThat(receiver.stop()).isTrue();
    }
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void bytesLandAtTheirOffsets_acrossASegmentBoundary() throws Exception {
    WalReceiver r = receiver();
    // A start point inside segment 1 is rounded down to the segment start, as PostgreSQL does.
    r.start(Lsn.of(SEG + 0x8000), TLI);
    await().until(() -> primary.requestedStart != null);
    assertThat(primary.requestedStart).isEqualTo(Lsn.of(SEG));

    byte[] data = random(SEG + 100, 1);
    primary.inbound.add(new XLogData(Lsn.of(SEG), Lsn.of(3L * SEG), 0, data));

    Lsn end = Lsn.of(2L * SEG + 100);
    assertThat(r.flushedUpto().awaitAtLeast(end, Duration.ofSeconds(10))).isEqualTo(end);
    assertThat(r.writtenUpto().get()).isEqualTo(end);

    byte[] seg1 = Files.readAllBytes(dir.resolve("000000010000000000000001"));
    byte[] seg2 = Files.readAllBytes(dir.resolve("000000010000000000000002"));
    assertThat(seg1).isEqualTo(Arrays.copyOfRange(data, 0, SEG));
    assertThat(Arrays.copyOfRange(seg2, 0, 100))
        .isEqualTo(Arrays.copyOfRange(data, SEG, SEG + 100));
    assertThat(Arrays.copyOfRange(seg2, 100, SEG)).containsOnly(0);

    // Only the segment written to its end counts as complete (reported just after the flush).
    await()
        .untilAsserted(
            () -> assertThat(completed).extracting(WalSegmentName::segNo).containsExactly(1L));

    // The primary hears about the flush, with recovery's apply position.
    await()
        .untilAsserted(() ->
            assertThat(primary.sentOf(StandbyStatusUpdate.class))
                .anySatisfy(u -> {
                  assertThat(u.flush()).isEqualTo(end);
                  assertThat(u.write()).isEqualTo(end);
                  assertThat(u.apply()).isEqualTo(Lsn.parse("0/123"));
                }));
    WalReceiverStatus s = r.status();
    assertThat(s.state()).isEqualTo(State.STREAMING);
    assertThat(s.receiveStartLsn()).isEqualTo(Lsn.of(SEG));
    assertThat(s.latestEndLsn()).isEqualTo(Lsn.of(3L * SEG));
    assertThat(s.conninfo()).contains("host=127.0.0.1 password=********");
    assertThat(r.receivedTimeline()).contains(TLI);
  }

  @Test
  void manySmallMessages_fillSegmentsInOrder() throws Exception {
    WalReceiver r = receiver();
    r.start(Lsn.INVALID, TLI);
    byte[] all = random(3 * SEG, 2);
    int chunk = 128 * 1024 + 17; // not a divisor of the segment size: chunks straddle boundaries
    for (int off = 0; off < all.length; off += chunk) {
      int n = Math.min(chunk, all.length - off);
      primary.inbound.add(
          new XLogData(Lsn.of(off), Lsn.of(all.length), 0, Arrays.copyOfRange(all, off, off + n)));
    }
    Lsn end = Lsn.of(all.length);
    assertThat(r.flushedUpto().awaitAtLeast(end, Duration.ofSeconds(20))).isEqualTo(end);
    for (int seg = 0; seg < 3; seg++) {
      byte[] got = Files.readAllBytes(dir.resolve(String.format("0000000100000000%08X", seg)));
      assertThat(got).isEqualTo(Arrays.copyOfRange(all, seg * SEG, (seg + 1) * SEG));
    }
    // the last segment is reported right after flushedUpto passes its end, on the walreceiver's
    // thread: wait for the report rather than race it
    await()
        .untilAsserted(() ->
            assertThat(completed).extracting(WalSegmentName::segNo).containsExactly(0L, 1L, 2L));
  }

  @Test
  void keepaliveAskingForReply_isAnsweredAtOnce() {
    config = config.withStatusInterval(Duration.ZERO); // no periodic updates to confuse the count
    WalReceiver r = receiver();
    r.start(Lsn.INVALID, TLI);
    await().until(() -> r.status().state() == State.STREAMING);
    await().until(() -> primary.sentOf(StandbyStatusUpdate.class).size() == 1); // the first one
    primary.inbound.add(new PrimaryKeepalive(Lsn.of(5000), 0, false));
    primary.inbound.add(new PrimaryKeepalive(Lsn.of(6000), 0, true));
    await().until(() -> primary.sentOf(StandbyStatusUpdate.class).size() == 2);
    assertThat(r.status().latestEndLsn()).isEqualTo(Lsn.of(6000));
  }

  @Test
  void silentPrimary_endsTheRunAfterTheTimeout_afterAPingAtHalfTime() {
    config = config.withReceiverTimeout(Duration.ofMillis(400));
    WalReceiver r = receiver();
    r.start(Lsn.INVALID, TLI);
    await().atMost(Duration.ofSeconds(10)).until(() -> r.status().state() == State.STOPPED);
    assertThat(r.status().endReason().orElseThrow().kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(primary.sentOf(StandbyStatusUpdate.class))
        .anySatisfy(u -> assertThat(u.replyRequested()).isTrue());
    assertThat(primary.disconnected).isTrue();
    assertThat(r.isRunning()).isFalse();
  }

  @Test
  void endOfStream_stopsWithTheReason() {
    WalReceiver r = receiver();
    r.start(Lsn.INVALID, TLI);
    primary.inbound.add(EndOfStream.of(EndOfStream.Reason.CONNECTION_LOST, "server closed"));
    await().until(() -> r.status().state() == State.STOPPED);
    assertThat(r.status().endReason().orElseThrow().kind()).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(r.status().endReason().orElseThrow().message())
        .isEqualTo("could not receive data from WAL stream: server closed");
  }

  @Test
  void connectFailure_stopsWithConnectFailed_andCanBeStartedAgain() {
    primary.failConnect = new IOException("connection refused");
    WalReceiver r = receiver();
    r.start(Lsn.INVALID, TLI);
    await().until(() -> r.status().state() == State.STOPPED);
    assertThat(r.status().endReason().orElseThrow().kind()).isEqualTo(Kind.CONNECT_FAILED);
    await().until(() -> !r.isRunning());

    primary.failConnect = null;
    r.start(Lsn.INVALID, TLI);
    await().until(() -> r.status().state() == State.STREAMING);
    assertThat(r.status().endReason()).isEmpty();
  }

  @Test
  void stop_endsTheRun() throws Exception {
    WalReceiver r = receiver();
    r.start(Lsn.INVALID, TLI);
    await().until(() -> r.status().state() == State.STREAMING);
    assertThat(r.stop()).isTrue();
    assertThat(r.status().state()).isEqualTo(State.STOPPED);
    assertThat(r.status().endReason().orElseThrow().kind()).isEqualTo(Kind.STOP_REQUESTED);
  }

  @Test
  void hotStandbyFeedback_carriesXminAndEpoch() {
    config = config.withHotStandbyFeedback(true);
    xmin = Optional.of(Xid.of((1L << 32) + 5));
    WalReceiver r = receiver();
    r.start(Lsn.INVALID, TLI);
    await()
        .untilAsserted(() ->
            assertThat(primary.sentOf(HotStandbyFeedback.class))
                .anySatisfy(h -> {
                  assertThat(h.xmin()).isEqualTo(5);
                  assertThat(h.xminEpoch()).isEqualTo(1);
                }));
  }

  @Test
  void startOnAnotherTimeline_replacesTheWatermarks() throws Exception {
    WalReceiver r = receiver();
    r.start(Lsn.INVALID, TLI);
    primary.inbound.add(new XLogData(Lsn.INVALID, Lsn.of(5000), 0, random(5000, 3)));
    org.walden.wal.LsnWatermark first = r.flushedUpto();
    assertThat(first.awaitAtLeast(Lsn.of(5000), Duration.ofSeconds(10))).isEqualTo(Lsn.of(5000));
    assertThat(r.stop()).isTrue();

    // Same timeline: the watermark carries on and never moves back.
    r.start(Lsn.INVALID, TLI);
    assertThat(r.flushedUpto()).isSameAs(first);
    assertThat(r.stop()).isTrue();
    assertThat(first.get()).isEqualTo(Lsn.of(5000));

    // A new timeline forking earlier: fresh watermarks at the start point; the old ones closed.
    TimelineId two = TLI.next();
    r.start(Lsn.INVALID, two);
    assertThat(r.flushedUpto()).isNotSameAs(first);
    assertThat(r.flushedUpto().get()).isEqualTo(Lsn.INVALID);
    assertThat(first.isClosed()).isTrue();
    assertThat(r.receivedTimeline()).contains(two);
    await().until(() -> primary.requestedTimeline.equals(two));
  }
}
