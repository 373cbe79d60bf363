package org.walden.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LsnTest {

  @Test
  void toString_printsLikePostgres() {
    assertThat(Lsn.of(0x16B3748L).toString()).isEqualTo("0/16B3748");
    assertThat(Lsn.of(0x1_0000_0000L).toString()).isEqualTo("1/0");
    assertThat(Lsn.INVALID.toString()).isEqualTo("0/0");
    assertThat(Lsn.MAX.toString()).isEqualTo("FFFFFFFF/FFFFFFFF");
  }

  @Test
  void parse_acceptsBothCasesAndRoundTrips() {
    assertThat(Lsn.parse("0/16b3748")).isEqualTo(Lsn.of(0x16B3748L));
    assertThat(Lsn.parse("A/0")).isEqualTo(Lsn.of(0xAL << 32));
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int i = 0; i < 100_000; i++) {
      Lsn l = Lsn.of(r.nextLong());
      assertThat(Lsn.parse(l.toString())).as("seed %d", seed).isEqualTo(l);
    }
  }

  @Test
  void parse_rejectsMalformed() {
    for (String bad : new String[] {"", "0", "/0", "0/", "0/0/0", "G/0", "123456789/0", "0/x1"}) {
      assertThatThrownBy(() -> Lsn.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid input syntax for type pg_lsn");
    }
  }

  @Test
  void compareTo_isUnsigned() {
    assertThat(Lsn.MAX.isAfter(Lsn.of(1))).isTrue();
    assertThat(Lsn.of(0x8000_0000_0000_0000L).compareTo(Lsn.of(0x7FFF_FFFF_FFFF_FFFFL)))
        .isPositive();
  }

  @Test
  void segmentName_matchesPostgres() {
    WalSegmentSize s16 = WalSegmentSize.DEFAULT;
    assertThat(s16.name(TimelineId.FIRST, 1).fileName()).isEqualTo("000000010000000000000001");
    assertThat(s16.name(new TimelineId(2), 0x1FF).fileName()).isEqualTo("0000000200000001000000FF");
    WalSegmentSize s1 = new WalSegmentSize(1 << 20);
    assertThat(s1.name(TimelineId.FIRST, 4096 + 5).fileName())
        .isEqualTo("000000010000000100000005");
    // pg_walfile_name('0/16B3748') = 000000010000000000000001
    assertThat(s16.segmentOf(Lsn.parse("0/16B3748"))).isEqualTo(1);
  }

  @Test
  void segmentName_parsesBothWays() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int shift = 20; shift <= 30; shift++) {
      WalSegmentSize size = new WalSegmentSize(1 << shift);
      for (int i = 0; i < 2000; i++) {
        TimelineId tli = new TimelineId(1 + r.nextInt(1000));
        long segNo = r.nextLong(size.segmentsPerXLogId() << 32);
        WalSegmentName n = size.name(tli, segNo);
        assertThat(WalSegmentName.parse(n.fileName(), size)).as("seed %d", seed).contains(n);
      }
    }
    assertThat(WalSegmentName.parse("00000001000000000000001", WalSegmentSize.DEFAULT)).isEmpty();
    assertThat(WalSegmentName.parse("0000000100000000000001FF", WalSegmentSize.DEFAULT)).isEmpty();
    assertThat(WalSegmentName.parse("00000001000000000000000g", WalSegmentSize.DEFAULT)).isEmpty();
  }

  @Test
  void segmentSize_mustBePowerOfTwoInRange() {
    assertThatThrownBy(() -> new WalSegmentSize(3 << 20)).hasMessageContaining("power of two");
    assertThatThrownBy(() -> new WalSegmentSize(512 << 10)).hasMessageContaining("power of two");
    assertThatThrownBy(() -> new WalSegmentSize(1 << 31 >>> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
