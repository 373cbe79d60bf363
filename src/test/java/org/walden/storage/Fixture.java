package org.walden.storage;

import java.util.List;
import org.walden.storage.catalog.Column;
import org.walden.storage.table.Table;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;
import org.walden.storage.type.ColumnType;
import org.walden.wal.Lsn;

/** Shared set-up for storage tests: a store on a {@link TestWal} and an accounts-shaped table. */
public final class Fixture {
  public final TestWal wal;
  public final TransactionManager mgr;

  public Fixture() {
    this(new TestWal());
  }

  public Fixture(TestWal wal) {
    this.wal = wal;
    this.mgr = TransactionManager.createEmpty(wal, wal.insertPosition());
  }

  public Transaction rc() {
    return mgr.begin(IsolationLevel.READ_COMMITTED, 100);
  }

  public Transaction rr() {
    return mgr.begin(IsolationLevel.REPEATABLE_READ, 200);
  }

  /** {@code accounts(aid int primary key, bid int, abalance int, filler char(84))}. */
  public Table createAccounts(String name) {
    Transaction t = rc();
    Table tab =
        t.createTable(
            name,
            List.of(
                Column.notNull("aid", ColumnType.INTEGER),
                Column.of("bid", ColumnType.INTEGER),
                Column.of("abalance", ColumnType.INTEGER),
                Column.of("filler", ColumnType.bpchar(84))),
            new int[] {0});
    t.commit(SynchronousCommit.ON);
    return tab;
  }

  public static Object[] account(int aid, int balance) {
    return new Object[] {aid, 1, balance, ""};
  }

  public Table table(String name) {
    return mgr.catalogAt(mgr.visibilityHorizon().value()).table(name);
  }

  public void insertAccounts(String table, int from, int to, int balance) {
    Transaction t = rc();
    Table tab = t.table(table);
    for (int i = from; i < to; i++) {
      t.insert(tab, account(i, balance));
    }
    t.commit(SynchronousCommit.ON);
  }

  public static int balance(Table t, byte[] row) {
    return (Integer) t.schema().rowCodec().get(row, 2);
  }

  public Lsn horizon() {
    return mgr.visibilityHorizon();
  }
}
