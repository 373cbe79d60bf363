package org.walden.storage.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.walden.storage.Fixture;
import org.walden.storage.StorageException;
import org.walden.storage.table.Table;

class DeadlockTest {

  @Test
  void twoTransactionsLockingInOppositeOrder_exactlyOneGets40P01() throws Exception {
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    f.insertAccounts("acc", 1, 3, 0);
    CountDownLatch bothLockedFirst = new CountDownLatch(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int first = i == 0 ? 1 : 2;
        int second = i == 0 ? 2 : 1;
        int pid = 1000 + i;
        results.add(
            pool.submit(() -> {
              Transaction t = f.mgr.begin(IsolationLevel.READ_COMMITTED, pid);
              t.update(acc, first, Fixture.account(first, pid), null);
              bothLockedFirst.countDown();
              bothLockedFirst.await(10, TimeUnit.SECONDS);
              try {
                t.update(acc, second, Fixture.account(second, pid), null);
                t.commit(SynchronousCommit.ON);
                return "committed";
              } catch (StorageException e) {
                t.rollback();
                return e.sqlState() + "|" + e.getMessage() + "|" + e.detail();
              }
            }));
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> r : results) {
        outcomes.add(r.get(30, TimeUnit.SECONDS));
      }
      assertThat(outcomes).filteredOn(s -> s.equals("committed")).hasSize(1);
      String failure =
          outcomes.stream().filter(s -> !s.equals("committed")).findFirst().orElseThrow();
      assertThat(failure).startsWith("40P01|deadlock detected|Process 10");
      assertThat(failure)
          .contains("waits for ShareLock on transaction")
          .contains("; blocked by process ");
      assertThat(failure.split("\n")).hasSize(2);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
