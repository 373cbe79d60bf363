package org.walden.bench;

import java.util.Random;
import org.walden.sql.exec.Executor;
import org.walden.sql.exec.Prepared;
import org.walden.sql.exec.ResultCursor;
import org.walden.sql.exec.SqlSession;
import org.walden.sql.parse.SqlParser;
import org.walden.storage.TestWal;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;

/**
 * Times the executor's pgbench hot path: prepare once, execute many, of {@code UPDATE
 * pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2} and {@code SELECT abalance FROM
 * pgbench_accounts WHERE aid = $1} on 100,000 accounts (store on an in-memory WAL). Not a test; run
 * by hand:
 *
 * <pre>
 * ./mvnw -B -q test-compile
 * java -cp target/classes:target/test-classes org.walden.bench.ExecBench
 * </pre>
 *
 * Reports wall-clock ns/op after a warm-up, for: SELECT (many per transaction), UPDATE (1,000 per
 * transaction: executor and storage write path) and UPDATE with one commit per statement.
 */
public final class ExecBench {

  private static final int ACCOUNTS = 100_000;
  private static final int OPS = 1_000_000;

  private ExecBench() {}

  /** The smallest session: one transaction at a time, no settings. */
  private static final class BenchSession implements SqlSession {
    final TransactionManager mgr;
    Transaction txn;

    BenchSession(TransactionManager mgr) {
      this.mgr = mgr;
    }

    void begin() {
      txn = mgr.begin(IsolationLevel.READ_COMMITTED, 1);
    }

    void commit() {
      txn.commit(SynchronousCommit.OFF);
    }

    @Override
    public TransactionManager store() {
      return mgr;
    }

    @Override
    public Transaction transaction() {
      return txn;
    }

    @Override
    public String setting(String name) {
      return null;
    }

    @Override
    public String setSetting(String name, String value, boolean local) {
      return value;
    }

    @Override
    public String user() {
      return "bench";
    }

    @Override
    public String database() {
      return "bench";
    }

    @Override
    public int backendPid() {
      return 1;
    }

    @Override
    public boolean isSuperuser() {
      return true;
    }

    @Override
    public void checkCancel() {}
  }

  private static void run(Executor ex, BenchSession s, String sql) {
    s.begin();
    ResultCursor c = ex.execute(ex.prepare(SqlParser.parse(sql), new int[0], s), new Object[0], s);
    while (c.next()) {
      // drain
    }
    s.commit();
  }

  public static void main(String[] args) {
    TestWal wal = new TestWal();
    TransactionManager mgr = TransactionManager.createEmpty(wal, wal.insertPosition());
    Executor ex = new Executor();
    BenchSession s = new BenchSession(mgr);
    run(
        ex,
        s,
        "create table pgbench_accounts(aid int not null,bid int,abalance int,filler char(84))");
    run(
        ex,
        s,
        "insert into pgbench_accounts select aid, 1, 0, '' from generate_series(1, "
            + ACCOUNTS
            + ") aid");
    run(ex, s, "alter table pgbench_accounts add primary key (aid)");
    s.begin();
    Prepared upd =
        ex.prepare(
            SqlParser.parse("UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2"),
            new int[0],
            s);
    Prepared sel =
        ex.prepare(
            SqlParser.parse("SELECT abalance FROM pgbench_accounts WHERE aid = $1"), new int[0], s);
    s.commit();
    Random r = new Random(1);
    for (int round = 0; round < 3; round++) {
      long sink = 0;
      s.begin();
      long t0 = System.nanoTime();
      for (int i = 0; i < OPS; i++) {
        ResultCursor c = ex.execute(sel, new Object[] {1 + r.nextInt(ACCOUNTS)}, s);
        while (c.next()) {
          sink += (Integer) c.row()[0];
        }
      }
      long t1 = System.nanoTime();
      s.commit();
      long updates = 0;
      long t2 = System.nanoTime();
      for (int b = 0; b < OPS / 1000; b++) {
        s.begin();
        for (int i = 0; i < 1000; i++) {
          updates +=
              ex.execute(upd, new Object[] {1, 1 + r.nextInt(ACCOUNTS)}, s).commandTag().length();
        }
        s.commit();
      }
      long t3 = System.nanoTime();
      int single = OPS / 10;
      for (int i = 0; i < single; i++) {
        s.begin();
        ex.execute(upd, new Object[] {1, 1 + r.nextInt(ACCOUNTS)}, s);
        s.commit();
      }
      long t4 = System.nanoTime();
      mgr.vacuum();
      System.out.printf(
          "round %d: SELECT %.0f ns/op, UPDATE %.0f ns/op (1000/txn), UPDATE+commit %.0f ns/op"
              + " (sink %d %d)%n",
          round,
          (t1 - t0) / (double) OPS,
          (t3 - t2) / (double) OPS,
          (t4 - t3) / (double) single,
          sink,
          updates);
    }
  }
}
