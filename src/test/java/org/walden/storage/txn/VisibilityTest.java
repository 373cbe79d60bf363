package org.walden.storage.txn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.walden.storage.Fixture;
import org.walden.storage.table.Table;

class VisibilityTest {

  private final Fixture f = new Fixture();
  private final Table acc = f.createAccounts("acc");

  @Test
  void get_uncommittedInsert_visibleOnlyToWriter() {
    Transaction w = f.rc();
    w.insert(acc, Fixture.account(1, 10));
    Transaction r = f.rc();
    assertThat(w.get(acc, 1)).isNotNull();
    assertThat(r.get(acc, 1)).isNull();
    w.commit(SynchronousCommit.ON);
    assertThat(r.get(acc, 1)).as("old statement snapshot").isNull();
    r.newStatementSnapshot();
    assertThat(Fixture.balance(acc, r.get(acc, 1))).isEqualTo(10);
  }

  @Test
  void get_abortedWrites_neverVisible() {
    f.insertAccounts("acc", 1, 3, 5);
    Transaction w = f.rc();
    w.update(acc, 1, Fixture.account(1, 99), null);
    w.delete(acc, 2, null);
    w.insert(acc, Fixture.account(3, 7));
    w.rollback();
    Transaction r = f.rc();
    assertThat(Fixture.balance(acc, r.get(acc, 1))).isEqualTo(5);
    assertThat(r.get(acc, 2)).isNotNull();
    assertThat(r.get(acc, 3)).isNull();
    assertThat(acc.index().get(3L)).as("aborted insert unlinked").isNull();
  }

  @Test
  void repeatableRead_keepsFirstSnapshot() {
    f.insertAccounts("acc", 1, 2, 5);
    Transaction rr = f.rr();
    assertThat(Fixture.balance(acc, rr.get(acc, 1))).isEqualTo(5);
    Transaction w = f.rc();
    w.update(acc, 1, Fixture.account(1, 6), null);
    w.commit(SynchronousCommit.ON);
    rr.newStatementSnapshot();
    assertThat(Fixture.balance(acc, rr.get(acc, 1))).isEqualTo(5);
    Transaction fresh = f.rr();
    assertThat(Fixture.balance(acc, fresh.get(acc, 1))).isEqualTo(6);
  }

  @Test
  void ownWrites_visibleIncludingDelete() {
    f.insertAccounts("acc", 1, 2, 5);
    Transaction w = f.rc();
    w.update(acc, 1, Fixture.account(1, 8), null);
    assertThat(Fixture.balance(acc, w.get(acc, 1))).isEqualTo(8);
    w.delete(acc, 1, null);
    assertThat(w.get(acc, 1)).isNull();
    w.insert(acc, Fixture.account(1, 9));
    assertThat(Fixture.balance(acc, w.get(acc, 1))).isEqualTo(9);
    w.commit(SynchronousCommit.ON);
    Transaction r = f.rc();
    assertThat(Fixture.balance(acc, r.get(acc, 1))).isEqualTo(9);
  }

  @Test
  void scan_returnsVisibleRowsInKeyOrder() {
    f.insertAccounts("acc", 1, 6, 1);
    Transaction w = f.rc();
    w.delete(acc, 3, null);
    w.commit(SynchronousCommit.ON);
    Transaction r = f.rc();
    RowCursor c = r.scan(acc, 2, true, 5, false);
    StringBuilder keys = new StringBuilder();
    while (c.next()) {
      keys.append(c.key()).append(',');
    }
    assertThat(keys).hasToString("2,4,");
  }

  @Test
  void vacuum_removesDeadTombstonesAndOldVersions() {
    f.insertAccounts("acc", 1, 3, 1);
    Transaction w = f.rc();
    w.delete(acc, 1, null);
    w.update(acc, 2, Fixture.account(2, 2), null);
    w.commit(SynchronousCommit.ON);
    assertThat(f.mgr.vacuum()).isEqualTo(1);
    assertThat(acc.index().get(1L)).isNull();
    assertThat(acc.index().get(2L).older()).isNull();
  }

  @Test
  void vacuum_keepsVersionsAnOpenSnapshotNeeds() {
    f.insertAccounts("acc", 1, 2, 1);
    Transaction old = f.rr();
    old.get(acc, 1);
    Transaction w = f.rc();
    w.delete(acc, 1, null);
    w.commit(SynchronousCommit.ON);
    f.mgr.vacuum();
    assertThat(Fixture.balance(acc, old.get(acc, 1))).isEqualTo(1);
    old.commit(SynchronousCommit.ON);
    assertThat(f.mgr.vacuum()).isEqualTo(1);
  }
}
