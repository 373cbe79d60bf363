package org.walden.storage.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.walden.storage.Fixture;
import org.walden.storage.StorageException;
import org.walden.storage.table.Table;

class WriteConflictTest {

  private static final java.util.concurrent.ExecutorService POOL =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-session");
        t.setDaemon(true);
        return t;
      });

  private final Fixture f = new Fixture();
  private final Table acc = f.createAccounts("acc");

  private static void assertSqlState(Throwable t, String state) {
    assertThat(t).isInstanceOf(StorageException.class);
    assertThat(((StorageException) t).sqlState()).isEqualTo(state);
  }

  /** Waits until {@code tx} blocks in the wait-for graph. */
  private static void awaitWaiting(Transaction tx) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> {
          synchronized (tx.mgr.waitGraph) {
            return tx.waitingFor != null;
          }
        });
  }

  @Test
  void update_readCommitted_waitsThenReportsChangedRow() throws Exception {
    f.insertAccounts("acc", 1, 2, 100);
    Transaction a = f.rc();
    Transaction b = f.rc();
    byte[] seenByB = b.get(acc, 1);
    assertThat(a.update(acc, 1, Fixture.account(1, 150), a.get(acc, 1)))
        .isSameAs(WriteOutcome.DONE);
    CompletableFuture<WriteOutcome> bUpdate =
        CompletableFuture.supplyAsync(
            () -> b.update(acc, 1, Fixture.account(1, 90), seenByB), POOL);
    awaitWaiting(b);
    assertThat(bUpdate).isNotDone();
    a.commit(SynchronousCommit.ON);
    WriteOutcome o = bUpdate.get(10, TimeUnit.SECONDS);
    assertThat(o.kind()).isEqualTo(WriteOutcome.Kind.CHANGED);
    assertThat(Fixture.balance(acc, o.row())).isEqualTo(150);
    // EvalPlanQual: re-evaluate on the new row and retry against it
    assertThat(b.update(acc, 1, Fixture.account(1, 140), o.row())).isSameAs(WriteOutcome.DONE);
    b.commit(SynchronousCommit.ON);
    assertThat(Fixture.balance(acc, f.rc().get(acc, 1))).isEqualTo(140);
  }

  @Test
  void update_repeatableRead_concurrentUpdate_fails40001() throws Exception {
    f.insertAccounts("acc", 1, 2, 100);
    Transaction b = f.rr();
    byte[] seen = b.get(acc, 1);
    Transaction a = f.rc();
    a.update(acc, 1, Fixture.account(1, 150), null);
    CompletableFuture<WriteOutcome> bUpdate =
        CompletableFuture.supplyAsync(() -> b.update(acc, 1, Fixture.account(1, 90), seen), POOL);
    awaitWaiting(b);
    a.commit(SynchronousCommit.ON);
    assertThatThrownBy(() -> bUpdate.get(10, TimeUnit.SECONDS))
        .cause()
        .satisfies(e -> assertSqlState(e, "40001"))
        .hasMessage("could not serialize access due to concurrent update");
  }

  @Test
  void update_repeatableRead_concurrentAbort_succeeds() throws Exception {
    f.insertAccounts("acc", 1, 2, 100);
    Transaction b = f.rr();
    byte[] seen = b.get(acc, 1);
    Transaction a = f.rc();
    a.update(acc, 1, Fixture.account(1, 150), null);
    CompletableFuture<WriteOutcome> bUpdate =
        CompletableFuture.supplyAsync(() -> b.update(acc, 1, Fixture.account(1, 90), seen), POOL);
    awaitWaiting(b);
    a.rollback();
    assertThat(bUpdate.get(10, TimeUnit.SECONDS)).isSameAs(WriteOutcome.DONE);
  }

  @Test
  void delete_readCommitted_rowDeletedConcurrently_notFound() throws Exception {
    f.insertAccounts("acc", 1, 2, 100);
    Transaction a = f.rc();
    a.delete(acc, 1, null);
    Transaction b = f.rc();
    CompletableFuture<WriteOutcome> bDel =
        CompletableFuture.supplyAsync(() -> b.delete(acc, 1, null), POOL);
    awaitWaiting(b);
    a.commit(SynchronousCommit.ON);
    assertThat(bDel.get(10, TimeUnit.SECONDS)).isSameAs(WriteOutcome.NOT_FOUND);
  }

  @Test
  void insert_existingKey_uniqueViolation() {
    f.insertAccounts("acc", 1, 2, 100);
    Transaction t = f.rc();
    assertThatThrownBy(() -> t.insert(acc, Fixture.account(1, 5)))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("23505");
              assertThat(e.getMessage())
                  .isEqualTo("duplicate key value violates unique constraint \"acc_pkey\"");
              assertThat(e.detail()).isEqualTo("Key (aid)=(1) already exists.");
            });
  }

  @Test
  void insert_racingUncommittedInsert_waitsThenViolatesOrSucceeds() throws Exception {
    Transaction a = f.rc();
    a.insert(acc, Fixture.account(7, 1));
    Transaction b = f.rc();
    CompletableFuture<Void> bIns =
        CompletableFuture.runAsync(() -> b.insert(acc, Fixture.account(7, 2)), POOL);
    awaitWaiting(b);
    a.commit(SynchronousCommit.ON);
    assertThatThrownBy(() -> bIns.get(10, TimeUnit.SECONDS))
        .cause()
        .satisfies(e -> assertSqlState(e, "23505"));

    Transaction c = f.rc();
    c.insert(acc, Fixture.account(8, 1));
    Transaction d = f.rc();
    CompletableFuture<Void> dIns =
        CompletableFuture.runAsync(() -> d.insert(acc, Fixture.account(8, 2)), POOL);
    awaitWaiting(d);
    c.rollback();
    dIns.get(10, TimeUnit.SECONDS);
    d.commit(SynchronousCommit.ON);
    assertThat(Fixture.balance(acc, f.rc().get(acc, 8))).isEqualTo(2);
  }

  @Test
  void insert_nullInNotNullColumn_23502() {
    Transaction t = f.rc();
    assertThatThrownBy(() -> t.insert(acc, new Object[] {null, 1, 1, "x"}))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("23502");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "null value in column \"aid\" of relation \"acc\" violates not-null constraint");
            });
  }

  @Test
  void insertOrLock_existingRow_returnsItLocked() throws Exception {
    f.insertAccounts("acc", 1, 2, 100);
    Transaction a = f.rc();
    byte[] existing = a.insertOrLock(acc, Fixture.account(1, 5));
    assertThat(Fixture.balance(acc, existing)).isEqualTo(100);
    assertThat(a.insertOrLock(acc, Fixture.account(2, 5))).isNull();
    Transaction b = f.rc();
    CompletableFuture<WriteOutcome> bUpd =
        CompletableFuture.supplyAsync(() -> b.update(acc, 1, Fixture.account(1, 1), null), POOL);
    awaitWaiting(b);
    a.update(acc, 1, Fixture.account(1, 101), existing);
    a.commit(SynchronousCommit.ON);
    assertThat(bUpd.get(10, TimeUnit.SECONDS)).isSameAs(WriteOutcome.DONE);
    b.commit(SynchronousCommit.ON);
    assertThat(Fixture.balance(acc, f.rc().get(acc, 1))).isEqualTo(1);
  }

  @Test
  void lockRow_onlyLock_leavesNoVersionAndNoWal() {
    f.insertAccounts("acc", 1, 2, 100);
    long commitsBefore = f.wal.count(org.walden.wal.RecordKind.COMMIT);
    Transaction a = f.rc();
    assertThat(a.lockRow(acc, 1, null)).isSameAs(WriteOutcome.DONE);
    assertThat(acc.index().get(1L).isLockOnly()).isTrue();
    a.commit(SynchronousCommit.ON);
    assertThat(acc.index().get(1L).isLockOnly()).isFalse();
    assertThat(f.wal.count(org.walden.wal.RecordKind.COMMIT)).isEqualTo(commitsBefore);
  }

  @Test
  void update_primaryKeyChange_movesRow() {
    f.insertAccounts("acc", 1, 2, 100);
    Transaction a = f.rc();
    a.update(acc, 1, Fixture.account(5, 100), null);
    a.commit(SynchronousCommit.ON);
    Transaction r = f.rc();
    assertThat(r.get(acc, 1)).isNull();
    assertThat(r.get(acc, 5)).isNotNull();
  }

  @Test
  void update_lockTimeout_fails55P03() {
    f.insertAccounts("acc", 1, 2, 100);
    Transaction a = f.rc();
    a.update(acc, 1, Fixture.account(1, 1), null);
    Transaction b = f.rc();
    b.setLockTimeoutMillis(50);
    assertThatThrownBy(() -> b.update(acc, 1, Fixture.account(1, 2), null))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.sqlState()).isEqualTo("55P03"));
    b.rollback();
    a.commit(SynchronousCommit.ON);
  }
}
