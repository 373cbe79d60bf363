package org.walden.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.walden.config.ConfigException;
import org.walden.config.SyncStandbyNames;
import org.walden.replication.syncrep.SyncRep;
import org.walden.replication.syncrep.SyncRep.Outcome;
import org.walden.replication.syncrep.SyncRep.WaitMode;
import org.walden.wal.Lsn;

/** Standby selection and release (syncrep.c's rules) over a real table of walsender entries. */
class SyncRepSelectionTest {
  private final WalSenderTable table = new WalSenderTable(5);
  private final SyncRep rep = table.syncRep();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void releaseEveryone() {
    rep.configure(SyncStandbyNames.NONE); // a failed test leaves no parked thread behind
    pool.shutdown();
  }

  private WalSenderEntry standby(String app) throws WalSenderException {
    WalSenderEntry e =
        table.register(new WalSenderEntry.Identity(100, 10, "u", app, null, -1, Instant.EPOCH));
    e.setState(WalSenderState.STREAMING);
    return e;
  }

  private void reply(WalSenderEntry e, long write, long flush, long apply) {
    e.recordReply(
        Lsn.of(write),
        Lsn.of(flush),
        Lsn.of(apply),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        Instant.EPOCH);
    rep.standbyReplied(e);
  }

  private static SyncStandbyNames names(String v) throws ConfigException {
    return SyncStandbyNames.parse("synchronous_standby_names", v);
  }

  private static final SyncRep.Interrupts NONE =
      new SyncRep.Interrupts() {
        @Override
        public boolean cancelRequested() {
          return false;
        }

        @Override
        public boolean terminateRequested() {
          return false;
        }
      };

  private CompletableFuture<Outcome> waitFor(long lsn, WaitMode mode) {
    return CompletableFuture.supplyAsync(
        () -> rep.await(Lsn.of(lsn), mode, Duration.ZERO, NONE), pool);
  }

  private void awaitWaiting(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> rep.stats().waiting() == n);
  }

  @Test
  void first1_minimumOfTheBestPriority_othersPotential() throws Exception {
    rep.configure(names("FIRST 1 (a, b)"));
    WalSenderEntry b = standby("b");
    WalSenderEntry a = standby("A");
    WalSenderEntry c = standby("c");
    reply(a, 100, 90, 80);
    reply(b, 500, 500, 500);
    reply(c, 900, 900, 900);
    assertThat(rep.released(WaitMode.WRITE)).isEqualTo(Lsn.of(100));
    assertThat(rep.released(WaitMode.FLUSH)).isEqualTo(Lsn.of(90));
    assertThat(rep.released(WaitMode.APPLY)).isEqualTo(Lsn.of(80));
    assertThat(table.snapshot())
        .extracting(r -> r.applicationName() + ":" + r.syncPriority() + ":" + r.syncState())
        .containsExactly("b:2:potential", "A:1:sync", "c:0:async");
  }

  @Test
  void aStandbyWithoutFlushIsNeverACandidate_bTakesOver() throws Exception {
    rep.configure(names("a, b"));
    WalSenderEntry a = standby("a");
    WalSenderEntry b = standby("b");
    reply(a, 700, 0, 0); // pg_receivewal without --synchronous: flush 0/0
    reply(b, 300, 300, 0);
    assertThat(rep.released(WaitMode.FLUSH)).isEqualTo(Lsn.of(300));
    assertThat(table.snapshot())
        .extracting(WalSenderRow::syncState)
        .containsExactly("async", "sync");
  }

  @Test
  void any2_secondLargestOfEach_fewerCandidatesReleaseNobody() throws Exception {
    rep.configure(names("ANY 2 (a, b, c)"));
    WalSenderEntry a = standby("a");
    reply(a, 100, 100, 100);
    CompletableFuture<Outcome> w = waitFor(50, WaitMode.FLUSH);
    awaitWaiting(1);
    assertThat(rep.released(WaitMode.FLUSH)).isEqualTo(Lsn.INVALID);
    WalSenderEntry b = standby("b");
    WalSenderEntry c = standby("c");
    reply(b, 40, 40, 40);
    reply(c, 300, 60, 20);
    assertThat(w.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.RELEASED);
    assertThat(rep.released(WaitMode.WRITE)).isEqualTo(Lsn.of(100));
    assertThat(rep.released(WaitMode.FLUSH)).isEqualTo(Lsn.of(60));
    assertThat(rep.released(WaitMode.APPLY)).isEqualTo(Lsn.of(40));
    assertThat(table.snapshot())
        .extracting(r -> r.syncPriority() + r.syncState())
        .containsOnly("1quorum");
  }

  @Test
  void waitersAreReleasedInLsnOrderPerMode_andEmptyingReleasesAll() throws Exception {
    rep.configure(names("a"));
    WalSenderEntry a = standby("a");
    reply(a, 10, 10, 10);
    CompletableFuture<Outcome> low = waitFor(100, WaitMode.FLUSH);
    CompletableFuture<Outcome> high = waitFor(200, WaitMode.FLUSH);
    CompletableFuture<Outcome> apply = waitFor(100, WaitMode.APPLY);
    awaitWaiting(3);
    reply(a, 150, 150, 10);
    assertThat(low.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.RELEASED);
    awaitWaiting(2);
    assertThat(high).isNotDone();
    assertThat(apply).isNotDone();
    rep.configure(SyncStandbyNames.NONE);
    assertThat(high.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.RELEASED);
    assertThat(apply.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.RELEASED);
    // off: nobody waits
    assertThat(rep.await(Lsn.of(10_000), WaitMode.APPLY, Duration.ZERO, NONE))
        .isEqualTo(Outcome.RELEASED);
  }

  @Test
  void reloadToAnotherStandbyReleasesWhatItHasAlready() throws Exception {
    rep.configure(names("FIRST 1 (a)"));
    WalSenderEntry a = standby("a");
    WalSenderEntry b = standby("b");
    reply(a, 10, 10, 10);
    reply(b, 500, 500, 500);
    CompletableFuture<Outcome> w = waitFor(400, WaitMode.FLUSH);
    awaitWaiting(1);
    rep.configure(names("FIRST 1 (b)"));
    assertThat(w.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.RELEASED);
  }

  @Test
  void cancelAndTimeoutEndTheWaitAndAreCounted() throws Exception {
    rep.configure(names("a"));
    AtomicBoolean cancel = new AtomicBoolean();
    Thread[] waiter = new Thread[1];
    CompletableFuture<Outcome> c =
        CompletableFuture.supplyAsync(() -> {
          waiter[0] = Thread.currentThread();
          return rep.await(
              Lsn.of(100),
              WaitMode.WRITE,
              Duration.ZERO,
              new SyncRep.Interrupts() {
                @Override
                public boolean cancelRequested() {
                  return cancel.get();
                }

                @Override
                public boolean terminateRequested() {
                  return false;
                }
              });
        });
    awaitWaiting(1);
    cancel.set(true);
    java.util.concurrent.locks.LockSupport.unpark(waiter[0]);
    assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.CANCELED);
    assertThat(rep.await(Lsn.of(100), WaitMode.WRITE, Duration.ofMillis(20), NONE))
        .isEqualTo(Outcome.TIMED_OUT);
    SyncRep.Stats s = rep.stats();
    assertThat(s.waiting()).isZero();
    assertThat(s.canceled()).isEqualTo(1);
    assertThat(s.timedOut()).isEqualTo(1);
  }
}
