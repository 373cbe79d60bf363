package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.walden.replication.receiver.StreamMessage.HotStandbyFeedback;
import org.walden.replication.receiver.StreamMessage.PrimaryKeepalive;
import org.walden.replication.receiver.StreamMessage.StandbyStatusUpdate;
import org.walden.replication.receiver.StreamMessage.XLogData;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;

class StreamCodecTest {

  @Test
  void xlogData_roundTrip() {
    XLogData w =
        new XLogData(Lsn.parse("0/16B3748"), Lsn.parse("0/2000000"), 12345L, new byte[] {1, 2, 3});
    byte[] enc = StreamCodec.encode(w);
    assertThat(enc).hasSize(25 + 3);
    assertThat(enc[0]).isEqualTo((byte) 'w');
    XLogData back = (XLogData) StreamCodec.decodeFromPrimary(enc);
    assertThat(back.dataStart()).isEqualTo(w.dataStart());
    assertThat(back.walEnd()).isEqualTo(w.walEnd());
    assertThat(back.sendTime()).isEqualTo(12345L);
    assertThat(back.data()).containsExactly(1, 2, 3);
    assertThat(back.dataEnd()).isEqualTo(Lsn.parse("0/16B374B"));
  }

  @Test
  void keepalive_roundTrip() {
    PrimaryKeepalive k = new PrimaryKeepalive(Lsn.parse("1/0"), -5L, true);
    byte[] enc = StreamCodec.encode(k);
    assertThat(enc).hasSize(18);
    assertThat(StreamCodec.decodeFromPrimary(enc)).isEqualTo(k);
  }

  @Test
  void statusUpdate_roundTripAndLayout() {
    StandbyStatusUpdate r =
        new StandbyStatusUpdate(Lsn.parse("0/30"), Lsn.parse("0/20"), Lsn.INVALID, 99L, true);
    byte[] enc = StreamCodec.encode(r);
    assertThat(enc).hasSize(34);
    assertThat(enc[0]).isEqualTo((byte) 'r');
    assertThat(enc[8]).isEqualTo((byte) 0x30);
    assertThat(enc[33]).isEqualTo((byte) 1);
    assertThat(StreamCodec.decodeToPrimary(enc)).isEqualTo(r);
  }

  @Test
  void hotStandbyFeedback_roundTrip() {
    HotStandbyFeedback h = new HotStandbyFeedback(7L, 1000, 1, 900, 1);
    byte[] enc = StreamCodec.encode(h);
    assertThat(enc).hasSize(25);
    assertThat(StreamCodec.decodeToPrimary(enc)).isEqualTo(h);
  }

  @Test
  void malformedMessages_areProtocolViolations() {
    assertThatThrownBy(() -> StreamCodec.decodeFromPrimary(new byte[] {'w', 1}))
        .isInstanceOf(ProtocolViolationException.class);
    assertThatThrownBy(() -> StreamCodec.decodeFromPrimary(new byte[] {'k', 1}))
        .isInstanceOf(ProtocolViolationException.class);
    assertThatThrownBy(() -> StreamCodec.decodeFromPrimary(new byte[] {'x'}))
        .isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void timestamps_countMicrosecondsFrom2000() {
    assertThat(PgTimestamp.of(Instant.parse("2000-01-01T00:00:00Z")).micros()).isZero();
    assertThat(PgTimestamp.of(Instant.parse("2000-01-01T00:00:01.000002Z")).micros())
        .isEqualTo(1_000_002L);
    assertThat(new PgTimestamp(1_000_002L).toInstant())
        .isEqualTo(Instant.parse("2000-01-01T00:00:01.000002Z"));
  }
}
