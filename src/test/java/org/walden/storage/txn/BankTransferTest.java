package org.walden.storage.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.walden.storage.Fixture;
import org.walden.storage.StorageException;
import org.walden.storage.table.Table;

/**
 * Concurrent transfers between accounts (READ COMMITTED with EvalPlanQual-style retries, and
 * REPEATABLE READ with retries on 40001/40P01) while readers sum all balances in one snapshot: the
 * sum never changes, so no reader ever sees a torn transfer.
 */
class BankTransferTest {

  private static final int ACCOUNTS = 20;
  private static final int INITIAL = 1000;

  @Test
  void concurrentTransfers_sumInvariantForEverySnapshot() throws Exception {
    long seed = Long.getLong("walden.seed", System.nanoTime());
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    f.insertAccounts("acc", 0, ACCOUNTS, INITIAL);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong transfers = new AtomicLong();
    AtomicLong sums = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int w = 0; w < 4; w++) {
        Random rnd = new Random(seed + w);
        IsolationLevel iso =
            w % 2 == 0 ? IsolationLevel.READ_COMMITTED : IsolationLevel.REPEATABLE_READ;
        int pid = 10 + w;
        futures.add(
            pool.submit(() -> {
              for (int i = 0; i < 400; i++) {
                transfer(f, acc, rnd, iso, pid);
                transfers.incrementAndGet();
              }
              return null;
            }));
      }
      for (int r = 0; r < 2; r++) {
        futures.add(
            pool.submit(() -> {
              // at least 20 sums each, however the scheduler orders readers and writers
              for (int k = 0; !stop.get() || k < 20; k++) {
                Transaction t = f.rr();
                RowCursor c = t.scan(acc);
                long sum = 0;
                int n = 0;
                while (c.next()) {
                  sum += Fixture.balance(acc, c.row());
                  n++;
                }
                t.commit(SynchronousCommit.ON);
                assertThat(n).as("seed %d", seed).isEqualTo(ACCOUNTS);
                assertThat(sum).as("seed %d", seed).isEqualTo((long) ACCOUNTS * INITIAL);
                sums.incrementAndGet();
              }
              return null;
            }));
      }
      for (int i = 0; i < 4; i++) {
        futures.get(i).get(120, TimeUnit.SECONDS);
      }
      stop.set(true);
      for (Future<?> fu : futures) {
        fu.get(30, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertThat(transfers.get()).isEqualTo(1600);
    assertThat(sums.get()).isPositive();
    f.mgr.vacuum();
    Transaction t = f.rc();
    long sum = 0;
    RowCursor c = t.scan(acc);
    while (c.next()) {
      sum += Fixture.balance(acc, c.row());
    }
    assertThat(sum).as("seed %d", seed).isEqualTo((long) ACCOUNTS * INITIAL);
  }

  private static void transfer(Fixture f, Table acc, Random rnd, IsolationLevel iso, int pid) {
    int from = rnd.nextInt(ACCOUNTS);
    int to = (from + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
    int amount = rnd.nextInt(50);
    while (true) {
      Transaction t = f.mgr.begin(iso, pid);
      try {
        addTo(t, acc, from, -amount);
        addTo(t, acc, to, amount);
        t.commit(rnd.nextInt(4) == 0 ? SynchronousCommit.OFF : SynchronousCommit.ON);
        return;
      } catch (StorageException e) {
        t.rollback();
        assertThat(e.sqlState()).isIn("40001", "40P01");
      }
    }
  }

  private static void addTo(Transaction t, Table acc, int aid, int delta) {
    t.newStatementSnapshot();
    byte[] row = t.get(acc, aid);
    while (true) {
      WriteOutcome o =
          t.update(acc, aid, Fixture.account(aid, Fixture.balance(acc, row) + delta), row);
      if (o.kind() == WriteOutcome.Kind.DONE) {
        return;
      }
      assertThat(o.kind()).isEqualTo(WriteOutcome.Kind.CHANGED);
      row = o.row();
    }
  }
}
