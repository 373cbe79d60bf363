package org.walden.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LsnWatermarkTest {

  @Test
  void refusesToMoveBackward_andIgnoresABehindPositionWhenAskedTo() {
    LsnWatermark w = new LsnWatermark("w", Lsn.of(100));
    w.advance(Lsn.of(200));
    assertThatThrownBy(() -> w.advance(Lsn.of(150)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot move backward");
    w.advanceIfAhead(Lsn.of(150));
    assertThat(w.get()).isEqualTo(Lsn.of(200));
  }

  @Test
  void aWaiterWakesWhenThePositionPassesItsTarget() throws Exception {
    LsnWatermark w = new LsnWatermark("w", Lsn.of(100));
    CompletableFuture<Lsn> got =
        CompletableFuture.supplyAsync(() -> {
          try {
            return w.awaitAtLeast(Lsn.of(300), Duration.ofMinutes(1));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
    w.advanceIfAhead(Lsn.of(200));
    w.advanceIfAhead(Lsn.of(350));
    assertThat(got.get(30, TimeUnit.SECONDS)).isEqualTo(Lsn.of(350));
  }

  @Test
  void closeReleasesWaitersAndLaterWaitsReturnAtOnce() throws Exception {
    LsnWatermark w = new LsnWatermark("w", Lsn.of(100));
    CompletableFuture<Lsn> got =
        CompletableFuture.supplyAsync(() -> {
          try {
            return w.awaitBeyond(Lsn.of(100), Duration.ofMinutes(1));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
    w.close();
    assertThat(got.get(30, TimeUnit.SECONDS)).isEqualTo(Lsn.of(100));
    assertThat(w.awaitAtLeast(Lsn.of(999), Duration.ofMinutes(1))).isEqualTo(Lsn.of(100));
    assertThat(w.isClosed()).isTrue();
  }
}
