package org.walden.storage.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.walden.storage.Fixture;
import org.walden.storage.TestWal;
import org.walden.storage.table.Table;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.WalFailedException;

class CommitTest {

  private static final java.util.concurrent.ExecutorService POOL =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-session");
        t.setDaemon(true);
        return t;
      });

  @Test
  void commit_on_waitsForFlushAndBecomesVisibleAtOnce() throws Exception {
    Fixture f = new Fixture(new TestWal(0x1000, true));
    Table acc = f.createAccounts("acc");
    f.wal.setAutoFlush(false);
    Transaction w = f.rc();
    w.insert(acc, Fixture.account(1, 1));
    CompletableFuture<Void> commit =
        CompletableFuture.runAsync(() -> w.commit(SynchronousCommit.ON), POOL);
    await().atMost(Duration.ofSeconds(10)).until(() -> w.state() == Transaction.State.COMMITTING);
    assertThat(commit).isNotDone();
    assertThat(f.rc().get(acc, 1)).as("not visible before flush").isNull();
    f.wal.flushAll();
    commit.get(10, TimeUnit.SECONDS);
    assertThat(f.rc().get(acc, 1)).isNotNull();
    assertThat(f.horizon()).isEqualTo(w.commitLsn());
  }

  @Test
  void commit_off_doesNotWaitForFlush() {
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    f.wal.setAutoFlush(false);
    Transaction w = f.rc();
    w.insert(acc, Fixture.account(1, 1));
    w.commit(SynchronousCommit.OFF);
    assertThat(f.wal.flushedUpto().isBefore(w.commitLsn())).isTrue();
    assertThat(f.rc().get(acc, 1)).isNotNull();
  }

  @Test
  void commit_offBehindUnflushedOn_waitsForHorizon() throws Exception {
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    f.wal.setAutoFlush(false);
    Transaction on = f.rc();
    on.insert(acc, Fixture.account(1, 1));
    CompletableFuture<Void> onCommit =
        CompletableFuture.runAsync(() -> on.commit(SynchronousCommit.ON), POOL);
    await().atMost(Duration.ofSeconds(10)).until(() -> on.state() == Transaction.State.COMMITTING);
    Transaction off = f.rc();
    off.insert(acc, Fixture.account(2, 1));
    CompletableFuture<Void> offCommit =
        CompletableFuture.runAsync(() -> off.commit(SynchronousCommit.OFF), POOL);
    await().atMost(Duration.ofSeconds(10)).until(() -> off.state() == Transaction.State.COMMITTING);
    assertThat(offCommit).isNotDone();
    f.wal.flushAll();
    onCommit.get(10, TimeUnit.SECONDS);
    offCommit.get(10, TimeUnit.SECONDS);
    Transaction r = f.rc();
    assertThat(r.get(acc, 1)).isNotNull();
    assertThat(r.get(acc, 2)).isNotNull();
  }

  @Test
  void commit_readOnly_writesNoRecord() {
    Fixture f = new Fixture();
    f.createAccounts("acc");
    long before = f.wal.records().size();
    Transaction r = f.rc();
    r.get(f.table("acc"), 1);
    r.commit(SynchronousCommit.ON);
    assertThat(f.wal.records()).hasSize((int) before);
  }

  @Test
  void commit_walFailure_propagatesAndPublishesNothing() {
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    f.wal.setAutoFlush(false);
    Transaction w = f.rc();
    w.insert(acc, Fixture.account(1, 1));
    Lsn before = f.horizon();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CompletableFuture<Void> c =
        CompletableFuture.runAsync(
            () -> {
              try {
                w.commit(SynchronousCommit.ON);
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            POOL);
    await().atMost(Duration.ofSeconds(10)).until(() -> w.state() == Transaction.State.COMMITTING);
    f.wal.fail();
    await().atMost(Duration.ofSeconds(10)).until(c::isDone);
    assertThat(thrown.get()).isInstanceOf(WalFailedException.class);
    assertThat(f.horizon()).isEqualTo(before);
    assertThat(f.rc().get(acc, 1)).isNull();
  }

  @Test
  void commit_standbyLevels_returnLocallyFlushedWithTheCommitLsn_readOnlyHasNone() {
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    Transaction w = f.rc();
    w.insert(acc, Fixture.account(1, 1));
    w.commit(SynchronousCommit.REMOTE_APPLY);
    // the server layer waits for standbys with this LSN: it must be flushed and valid already
    assertThat(w.commitLsn().isValid()).isTrue();
    assertThat(f.wal.flushedUpto().isBefore(w.commitLsn())).isFalse();
    Transaction r = f.rc();
    r.get(acc, 1);
    r.commit(SynchronousCommit.REMOTE_APPLY);
    assertThat(r.commitLsn().isValid()).as("wrote no WAL: nothing to wait for").isFalse();
  }

  @Test
  void checkpointPoint_redoPointIsFirstRecordOfOpenTransaction() {
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    Transaction open = f.rc();
    Lsn beforeFirst = f.wal.insertPosition();
    open.insert(acc, Fixture.account(1, 1));
    f.insertAccounts("acc", 2, 3, 1);
    try (CheckpointPoint p = f.mgr.checkpointPoint()) {
      assertThat(p.consistentAt()).isEqualTo(f.horizon());
      assertThat(p.redo()).isEqualTo(beforeFirst);
    }
    open.commit(SynchronousCommit.ON);
    try (CheckpointPoint p = f.mgr.checkpointPoint()) {
      assertThat(p.redo()).isEqualTo(p.consistentAt());
    }
    assertThat(f.wal.count(RecordKind.COMMIT)).isEqualTo(3);
  }

  @Test
  void commit_offBehindOnWhenWalFails_bothFailNeitherPublished() throws Exception {
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    f.wal.setAutoFlush(false);
    Lsn before = f.horizon();
    Transaction on = f.rc();
    on.insert(acc, Fixture.account(1, 1));
    CompletableFuture<Void> onCommit =
        CompletableFuture.runAsync(() -> on.commit(SynchronousCommit.ON), POOL);
    await().atMost(Duration.ofSeconds(10)).until(() -> on.state() == Transaction.State.COMMITTING);
    Transaction off = f.rc();
    off.insert(acc, Fixture.account(2, 1));
    CompletableFuture<Void> offCommit =
        CompletableFuture.runAsync(() -> off.commit(SynchronousCommit.OFF), POOL);
    await().atMost(Duration.ofSeconds(10)).until(() -> off.state() == Transaction.State.COMMITTING);
    f.wal.fail();
    assertThatThrownBy(() -> onCommit.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(WalFailedException.class);
    assertThatThrownBy(() -> offCommit.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(WalFailedException.class);
    assertThat(f.horizon()).isEqualTo(before);
  }
}
