package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.walden.replication.LagTracker.Mode;
import org.walden.wal.Lsn;

class LagTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final LagTracker lag = new LagTracker(Clock.fixed(T0, ZoneOffset.UTC), 8);

  private static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  @Test
  void passedSampleGivesTimeSinceItWasSent() {
    lag.write(Lsn.of(100), at(0));
    lag.write(Lsn.of(200), at(10));
    assertThat(lag.read(Mode.WRITE, Lsn.of(200), at(25))).contains(Duration.ofMillis(15));
    // the flush head is independent
    assertThat(lag.read(Mode.FLUSH, Lsn.of(100), at(30))).contains(Duration.ofMillis(30));
  }

  @Test
  void nothingSentIsUnknown() {
    assertThat(lag.read(Mode.APPLY, Lsn.of(5), at(1))).isEmpty();
  }

  @Test
  void interpolatesBetweenLastPassedAndNextSample() {
    lag.write(Lsn.of(100), at(0));
    lag.write(Lsn.of(200), at(100));
    assertThat(lag.read(Mode.WRITE, Lsn.of(100), at(50))).contains(Duration.ofMillis(50));
    // halfway to the next sample: its time interpolates to 50 ms
    assertThat(lag.read(Mode.WRITE, Lsn.of(150), at(120))).contains(Duration.ofMillis(70));
  }

  @Test
  void onlyFutureSampleGivesItsAge() {
    lag.write(Lsn.of(100), at(0));
    assertThat(lag.read(Mode.WRITE, Lsn.of(50), at(40))).contains(Duration.ofMillis(40));
  }

  @Test
  void consumedBufferForgetsLastSample() {
    lag.write(Lsn.of(100), at(0));
    assertThat(lag.read(Mode.WRITE, Lsn.of(100), at(5))).contains(Duration.ofMillis(5));
    // everything consumed: a later position below the next sample uses only the future sample
    lag.write(Lsn.of(300), at(1000));
    assertThat(lag.read(Mode.WRITE, Lsn.of(200), at(1010))).contains(Duration.ofMillis(10));
  }

  @Test
  void sameLsnIsSampledOnce() {
    lag.write(Lsn.of(100), at(0));
    lag.write(Lsn.of(100), at(50));
    assertThat(lag.read(Mode.WRITE, Lsn.of(100), at(60))).contains(Duration.ofMillis(60));
  }

  @Test
  void clockGoingBackwardsIsUnknown() {
    lag.write(Lsn.of(100), at(100));
    assertThat(lag.read(Mode.WRITE, Lsn.of(100), at(50))).isEmpty();
  }

  @Test
  void fullBufferOverwritesNewestSample() {
    for (int i = 1; i <= 20; i++) {
      lag.write(Lsn.of(i * 100L), at(i));
    }
    // the oldest samples survive; reading past all of them gives the newest surviving time
    assertThat(lag.read(Mode.WRITE, Lsn.of(100), at(100))).contains(Duration.ofMillis(99));
    assertThat(lag.read(Mode.WRITE, Lsn.of(2000), at(100))).contains(Duration.ofMillis(80));
  }
}
