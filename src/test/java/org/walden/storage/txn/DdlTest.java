package org.walden.storage.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.walden.storage.Fixture;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.ColumnDefault;
import org.walden.storage.table.Table;
import org.walden.storage.type.ColumnType;

class DdlTest {

  private final Fixture f = new Fixture();

  private static void assertState(Runnable r, String state, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo(state);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void createTable_rolledBack_leavesNothing() {
    Transaction t = f.rc();
    t.createTable("x", List.of(Column.of("a", ColumnType.INTEGER)), new int[0]);
    assertThat(t.table("x")).isNotNull();
    assertThat(f.rc().table("x")).isNull();
    t.rollback();
    assertThat(f.rc().table("x")).isNull();
    Transaction u = f.rc();
    u.createTable("x", List.of(Column.of("a", ColumnType.INTEGER)), new int[0]);
    assertState(
        () -> u.createTable("x", List.of(), new int[0]), "42P07", "relation \"x\" already exists");
  }

  @Test
  void dropTable_oldSnapshotStillReads() {
    Table acc = f.createAccounts("acc");
    f.insertAccounts("acc", 1, 3, 5);
    Transaction old = f.rr();
    Table seen = old.table("acc");
    Transaction d = f.rc();
    d.dropTable("acc");
    d.commit(SynchronousCommit.ON);
    assertThat(f.rc().table("acc")).isNull();
    assertThat(old.table("acc")).isSameAs(seen);
    assertThat(old.get(acc, 1)).isNotNull();
    Transaction w = f.rc();
    assertState(
        () -> w.insert(acc, Fixture.account(9, 9)), "42P01", "relation \"acc\" does not exist");
  }

  @Test
  void truncate_newGenerationEmpty_oldSnapshotKeepsRows() {
    f.createAccounts("acc");
    f.insertAccounts("acc", 1, 3, 5);
    Transaction old = f.rr();
    Table before = old.table("acc");
    Transaction t = f.rc();
    t.truncate("acc");
    t.commit(SynchronousCommit.ON);
    Transaction r = f.rc();
    assertThat(r.scan(r.table("acc")).next()).isFalse();
    assertThat(old.get(before, 1)).isNotNull();
    // a READ COMMITTED writer holding the old generation follows it to the new one
    Transaction w = f.rc();
    w.insert(before, Fixture.account(1, 1));
    w.commit(SynchronousCommit.ON);
    Transaction r2 = f.rc();
    assertThat(r2.get(r2.table("acc"), 1)).isNotNull();
  }

  @Test
  void addPrimaryKey_duplicatesAndSecondKey() {
    Transaction t = f.rc();
    Table x =
        t.createTable(
            "x",
            List.of(Column.of("id", ColumnType.INTEGER), Column.of("v", ColumnType.TEXT)),
            new int[0]);
    t.insert(x, new Object[] {1, "a"});
    t.insert(x, new Object[] {1, "b"});
    t.commit(SynchronousCommit.ON);
    Transaction a = f.rc();
    assertThatThrownBy(() -> a.addPrimaryKey("x", "id"))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("23505");
              assertThat(e.detail()).isEqualTo("Key (id)=(1) is duplicated.");
            });
    a.rollback();
    Transaction b = f.rc();
    Table xb = b.table("x");
    var c = b.scan(xb);
    c.next();
    b.delete(xb, c.key(), null);
    Table withPk = b.addPrimaryKey("x", "id");
    assertThat(withPk.schema().hasPrimaryKey()).isTrue();
    assertState(
        () -> b.addPrimaryKey("x", "v"),
        "42P16",
        "multiple primary keys for table \"x\" are not allowed");
  }

  @Test
  void addColumnWithDefault_thenDropColumn() {
    f.createAccounts("acc");
    f.insertAccounts("acc", 1, 3, 5);
    Transaction t = f.rc();
    t.addColumn(
        "acc", new Column("note", ColumnType.varchar(10), false, new ColumnDefault.Constant("hi")));
    t.commit(SynchronousCommit.ON);
    Transaction r = f.rc();
    Table acc = r.table("acc");
    assertThat(acc.schema().rowCodec().decode(r.get(acc, 1)))
        .containsExactly(1, 1, 5, " ".repeat(84), "hi");
    Transaction d = f.rc();
    d.dropColumn("acc", "filler");
    assertState(
        () -> d.dropColumn("acc", "nope"),
        "42703",
        "column \"nope\" of relation \"acc\" does not exist");
    d.rollback();
    Transaction d2 = f.rc();
    d2.dropColumn("acc", "filler");
    d2.commit(SynchronousCommit.ON);
    Transaction r2 = f.rc();
    Table acc2 = r2.table("acc");
    assertThat(acc2.schema().rowCodec().decode(r2.get(acc2, 2))).containsExactly(2, 1, 5, "hi");
  }

  @Test
  void roles_createAlterDrop_transactional() {
    Transaction t = f.rc();
    var role = t.createRole("alice", false, true, false, "SCRAM-SHA-256$4096:c2FsdA==$a:b");
    t.commit(SynchronousCommit.ON);
    assertThat(f.rc().role("alice")).isEqualTo(role);
    Transaction a = f.rc();
    a.alterRole(new org.walden.storage.catalog.Role(0, "alice", true, true, true, null));
    a.rollback();
    assertThat(f.rc().role("alice").superuser()).isFalse();
    Transaction d = f.rc();
    d.dropRole("alice");
    assertState(() -> d.dropRole("alice"), "42704", "role \"alice\" does not exist");
  }
}
