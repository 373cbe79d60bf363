package org.walden.wire.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  private static FrameReader reader(byte[] b) {
    return new FrameReader(new ByteArrayInputStream(b));
  }

  @Test
  void readMessage_twoFrames_readInOrderThenCleanEof() throws IOException {
    byte[] a = new Bytes().str("select 1").frame('Q');
    byte[] s = new Bytes().frame('S');
    FrameReader r = reader(new Bytes().raw(a).raw(s).get());
    assertThat(r.readMessage()).isTrue();
    assertThat(r.type()).isEqualTo('Q');
    assertThat(r.bodyLength()).isEqualTo(9);
    assertThat(r.readMessage()).isTrue();
    assertThat(r.type()).isEqualTo('S');
    assertThat(r.bodyLength()).isZero();
    assertThat(r.readMessage()).isFalse();
  }

  @Test
  void readMessage_lengthBelowFour_protocolViolation() {
    for (int len : new int[] {0, 1, 3, -1, Integer.MIN_VALUE}) {
      FrameReader r = reader(new Bytes().i8('Q').i32(len).get());
      assertThatThrownBy(r::readMessage)
          .as("length %d", len)
          .isInstanceOfSatisfying(
              ProtocolViolation.class,
              e -> {
                assertThat(e.error().sqlState()).isEqualTo("08P01");
                assertThat(e.error().message()).isEqualTo("invalid message length");
              });
    }
  }

  @Test
  void readMessage_overTypeLimit_rejectedBeforeAllocation() {
    // a Sync claiming 1 GiB, and a Query claiming more than PostgreSQL's 1 GB limit
    assertThatThrownBy(() -> reader(new Bytes().i8('S').i32(10_005).get()).readMessage())
        .isInstanceOf(ProtocolViolation.class);
    assertThatThrownBy(() -> reader(new Bytes().i8('Q').i32(0x4000_0004).get()).readMessage())
        .isInstanceOf(ProtocolViolation.class);
    // a claim within the limit but without the bytes: truncated, and no 1 GiB buffer up front
    assertThatThrownBy(() -> reader(new Bytes().i8('Q').i32(0x3FFF_FFF0).get()).readMessage())
        .isInstanceOf(TruncatedMessageException.class);
    assertThatThrownBy(() -> reader(new Bytes().i8('p').i32(65_540 + 1).get()).readMessage())
        .isInstanceOf(ProtocolViolation.class);
  }

  @Test
  void readMessage_truncatedHeaderOrBody_truncatedMessageException() {
    assertThatThrownBy(() -> reader(new byte[] {'Q'}).readMessage())
        .isInstanceOf(TruncatedMessageException.class);
    assertThatThrownBy(() -> reader(new byte[] {'Q', 0, 0}).readMessage())
        .isInstanceOf(TruncatedMessageException.class);
    assertThatThrownBy(() -> reader(new byte[] {'Q', 0, 0, 0, 10, 's'}).readMessage())
        .isInstanceOf(TruncatedMessageException.class);
  }

  @Test
  void readMessage_phaseListener_toldAroundEachFrame() throws IOException {
    List<String> events = new ArrayList<>();
    FrameReader r =
        new FrameReader(
            new ByteArrayInputStream(new Bytes().frame('S')),
            new ReadPhaseListener() {
              @Override
              public void messageStarted() {
                events.add("start");
              }

              @Override
              public void messageFinished() {
                events.add("end");
              }
            });
    assertThat(r.readMessage()).isTrue();
    assertThat(r.readMessage()).isFalse();
    assertThat(events).containsExactly("start", "end");
  }

  @Test
  void readMessage_hugeThenSmall_bufferReleased() throws IOException {
    byte[] big = new byte[2 * 1024 * 1024];
    FrameReader r =
        reader(new Bytes().raw(new Bytes().raw(big).frame('d')).raw(new Bytes().frame('S')).get());
    assertThat(r.readMessage()).isTrue();
    assertThat(r.buffer().length).isGreaterThanOrEqualTo(big.length);
    assertThat(r.readMessage()).isTrue();
    assertThat(r.buffer().length).isLessThan(big.length);
  }

  @Test
  void readStartupPacket_bounds() throws IOException {
    assertThat(reader(new byte[0]).readStartupPacket()).isEqualTo(-1);
    assertThatThrownBy(() -> reader(new Bytes().i32(7).i32(0).get()).readStartupPacket())
        .isInstanceOf(ProtocolViolation.class);
    assertThatThrownBy(() -> reader(new Bytes().i32(10_001).get()).readStartupPacket())
        .isInstanceOf(ProtocolViolation.class);
    FrameReader r = reader(new Bytes().i32(8).i32(80877103).get());
    assertThat(r.readStartupPacket()).isEqualTo(4);
    assertThat(StartupPacket.decode(r.buffer(), 4)).isInstanceOf(StartupPacket.SslRequest.class);
  }

  @Test
  void decodeStartup_parametersAndKinds() {
    byte[] body =
        new Bytes().i32(3 << 16).str("user").str("u").str("database").str("d").i8(0).get();
    StartupPacket p = StartupPacket.decode(body, body.length);
    assertThat(p)
        .isEqualTo(
            new StartupPacket.StartupMessage(3, 0, java.util.Map.of("user", "u", "database", "d")));
    byte[] cancel = new Bytes().i32(80877102).i32(7).i32(-9).get();
    assertThat(StartupPacket.decode(cancel, cancel.length))
        .isEqualTo(new StartupPacket.CancelRequest(7, -9));
    byte[] v2 = new Bytes().i32(2 << 16).raw(new byte[] {1, 2, 3}).get();
    assertThat(((StartupPacket.StartupMessage) StartupPacket.decode(v2, v2.length)).majorVersion())
        .isEqualTo(2);
    // value without terminator, name without value, trailing bytes
    for (byte[] bad :
        new byte[][] {
          new Bytes().i32(3 << 16).str("user").raw(new byte[] {'u'}).get(),
          new Bytes().i32(3 << 16).str("user").get(),
          new Bytes().i32(80877103).i8(1).get(),
          new Bytes().i32(80877102).i32(1).get(),
        }) {
      assertThatThrownBy(() -> StartupPacket.decode(bad, bad.length))
          .isInstanceOf(ProtocolViolation.class);
    }
  }
}
