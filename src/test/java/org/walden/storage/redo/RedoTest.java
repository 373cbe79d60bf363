package org.walden.storage.redo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.storage.Fixture;
import org.walden.storage.TestWal;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.ColumnDefault;
import org.walden.storage.catalog.Role;
import org.walden.storage.snapshot.SnapshotLoad;
import org.walden.storage.snapshot.SnapshotReader;
import org.walden.storage.snapshot.SnapshotWriter;
import org.walden.storage.table.Table;
import org.walden.storage.txn.CheckpointPoint;
import org.walden.storage.txn.RowCursor;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;
import org.walden.storage.type.ColumnType;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.Xid;

class RedoTest {

  /** Everything visible at the horizon, as text: table → sorted "key=row-hex" lines; roles. */
  static Map<String, List<String>> dump(TransactionManager mgr) {
    Map<String, List<String>> out = new TreeMap<>();
    var cat = mgr.catalogAt(mgr.visibilityHorizon().value());
    for (Table t : cat.tables()) {
      List<String> rows = new ArrayList<>();
      rows.add(
          "schema "
              + t.schema().columns()
              + " pk "
              + java.util.Arrays.toString(t.schema().primaryKey()));
      RowCursor c = mgr.scanAt(t, mgr.visibilityHorizon());
      while (c.next()) {
        rows.add(c.key() + "=" + HexFormat.of().formatHex(c.row()));
      }
      out.put(t.name() + "#" + t.oid(), rows);
    }
    for (Role r : cat.roles()) {
      out.put("role " + r.name(), List.of(r.toString()));
    }
    return out;
  }

  /** A seeded single-threaded workload with interleaved open transactions, aborts and DDL. */
  static void workload(Fixture f, Random rnd, int rounds, Runnable midway) {
    Transaction ddl = f.rc();
    ddl.createTable(
        "acc",
        List.of(
            Column.notNull("aid", ColumnType.INTEGER),
            Column.of("bid", ColumnType.INTEGER),
            Column.of("abalance", ColumnType.INTEGER),
            Column.of("filler", ColumnType.bpchar(84))),
        new int[] {0});
    ddl.createTable(
        "hist",
        List.of(
            Column.of("tid", ColumnType.BIGINT),
            Column.of("note", ColumnType.TEXT),
            Column.of("at", ColumnType.TIMESTAMPTZ)),
        new int[0]);
    ddl.createTable(
        "kv",
        List.of(
            Column.notNull("k", ColumnType.TEXT),
            Column.notNull("n", ColumnType.INTEGER),
            Column.of("v", ColumnType.NUMERIC)),
        new int[] {0, 1});
    ddl.createRole("alice", false, true, false, "SCRAM-SHA-256$4096:x$y:z");
    ddl.commit(SynchronousCommit.ON);
    Transaction[] open = new Transaction[3];
    for (int round = 0; round < rounds; round++) {
      if (round == rounds / 2 && midway != null) {
        midway.run();
      }
      int slot = rnd.nextInt(open.length);
      if (open[slot] == null) {
        open[slot] = f.rc();
      }
      Transaction t = open[slot];
      t.newStatementSnapshot();
      Table acc = t.table("acc");
      // keys partitioned by slot so the interleaved transactions never wait for each other
      int aid = slot + open.length * rnd.nextInt(30);
      switch (rnd.nextInt(8)) {
        case 0, 1 -> {
          if (t.get(acc, aid) == null) {
            t.insert(acc, Fixture.account(aid, rnd.nextInt(1000)));
          }
        }
        case 2, 3 -> {
          byte[] row = t.get(acc, aid);
          if (row != null) {
            t.update(
                acc, aid, Fixture.account(aid, Fixture.balance(acc, row) + rnd.nextInt(10)), row);
          }
        }
        case 4 -> t.delete(acc, aid, null);
        case 5 ->
            t.insert(
                t.table("hist"),
                new Object[] {(long) aid, rnd.nextBoolean() ? null : "n" + round, t.startTime()});
        case 6 -> {
          String k = "k" + slot;
          int n = rnd.nextInt(5);
          if (t.insertOrLock(t.table("kv"), new Object[] {k, n, new java.math.BigDecimal(round)})
              != null) {
            t.update(
                t.table("kv"),
                new Object[] {k, n},
                new Object[] {k, n, java.math.BigDecimal.valueOf(-round, 2)},
                null);
          }
        }
        default -> {
          if (rnd.nextInt(4) == 0) {
            t.rollback();
          } else {
            t.commit(rnd.nextBoolean() ? SynchronousCommit.ON : SynchronousCommit.OFF);
          }
          open[slot] = null;
        }
      }
    }
    for (Transaction t : open) {
      if (t != null) {
        t.commit(SynchronousCommit.ON);
      }
    }
    Transaction alter = f.rc();
    alter.addColumn(
        "acc", new Column("extra", ColumnType.BIGINT, false, new ColumnDefault.Constant(7L)));
    alter.truncate("hist");
    alter.insert(alter.table("hist"), new Object[] {1L, "after truncate", null});
    alter.commit(SynchronousCommit.ON);
    Transaction more = f.rc();
    more.update(more.table("acc"), 0, new Object[] {0, 1, 1, "", 8L}, null);
    more.dropColumn("kv", "v");
    more.commit(SynchronousCommit.ON);
  }

  private static TransactionManager replica(Lsn start) {
    TransactionManager m =
        new TransactionManager(
            null,
            org.walden.storage.catalog.Catalog.empty(start.value()),
            start,
            Xid.of(1),
            Clock.systemUTC());
    m.setInRecovery(true);
    return m;
  }

  private static void replay(Redo redo, List<TestWal.Rec> recs, Lsn from) {
    for (TestWal.Rec r : recs) {
      if (!r.start().isBefore(from)) {
        redo.apply(r.kind(), r.xid(), r.start(), r.end(), r.bodyBuffer());
      }
    }
  }

  @Test
  void replayAllWal_intoFreshStore_sameContents() {
    long seed = Long.getLong("walden.seed", System.nanoTime());
    Fixture f = new Fixture(new TestWal(0x1000, true));
    workload(f, new Random(seed), 600, null);
    TransactionManager rep = replica(Lsn.of(0x1000));
    Redo redo = new Redo(rep, Lsn.INVALID);
    replay(redo, f.wal.records(), Lsn.INVALID);
    assertThat(dump(rep)).as("seed %d", seed).isEqualTo(dump(f.mgr));
    assertThat(rep.visibilityHorizon()).isEqualTo(f.horizon());
    assertThat(redo.openTransactions()).isZero();
    assertThat(rep.nextXid()).isEqualTo(f.mgr.nextXid());
  }

  @Test
  void snapshotMidWorkload_plusWalFromRedoPoint_sameContents(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("walden.seed", System.nanoTime());
    Fixture f = new Fixture(new TestWal(0x1000, true));
    Path file = dir.resolve("snapshot");
    Lsn[] cr = new Lsn[2];
    workload(
        f,
        new Random(seed),
        600,
        () -> {
          try (CheckpointPoint p = f.mgr.checkpointPoint()) {
            cr[0] = p.consistentAt();
            cr[1] = p.redo();
            SnapshotWriter.write(f.mgr, p, file, new DurableFiles(FileIo.nio()));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    SnapshotLoad load = SnapshotReader.load(file, FileIo.nio());
    assertThat(load).isInstanceOf(SnapshotLoad.Loaded.class);
    SnapshotLoad.Loaded l = (SnapshotLoad.Loaded) load;
    assertThat(l.consistentAt()).isEqualTo(cr[0]);
    TransactionManager rep =
        new TransactionManager(null, l.catalog(), l.consistentAt(), l.nextXid(), Clock.systemUTC());
    rep.setInRecovery(true);
    Redo redo = new Redo(rep, l.consistentAt());
    replay(redo, f.wal.records(), cr[1]);
    assertThat(dump(rep)).as("seed %d, C %s R %s", seed, cr[0], cr[1]).isEqualTo(dump(f.mgr));
  }

  @Test
  void apply_changeToMissingTable_failsNamingLsn() {
    TransactionManager rep = replica(Lsn.of(0x1000));
    Redo redo = new Redo(rep, Lsn.INVALID);
    ByteBuffer body = ByteBuffer.allocate(13).put((byte) 1).putInt(99999).putLong(1).flip();
    redo.apply(RecordKind.INSERT, Xid.of(5), Lsn.of(0x2000), Lsn.of(0x2020), body);
    assertThatThrownBy(() ->
            redo.apply(
                RecordKind.COMMIT,
                Xid.of(5),
                Lsn.of(0x2020),
                Lsn.of(0x2040),
                ByteBuffer.allocate(9).put((byte) 1).putLong(0).flip()))
        .isInstanceOf(RedoException.class)
        .hasMessageContaining("0/2000")
        .hasMessageContaining("99999");
  }

  @Test
  void apply_malformedBody_failsNamingLsn() {
    TransactionManager rep = replica(Lsn.of(0x1000));
    Redo redo = new Redo(rep, Lsn.INVALID);
    assertThatThrownBy(() ->
            redo.apply(
                RecordKind.CREATE_TABLE,
                Xid.of(5),
                Lsn.of(0x3000),
                Lsn.of(0x3010),
                ByteBuffer.wrap(new byte[] {7})))
        .isInstanceOf(RedoException.class)
        .hasMessageContaining("0/3000");
  }

  @Test
  void apply_uncommittedTransaction_invisibleUntilCommit() {
    Fixture f = new Fixture(new TestWal(0x1000, true));
    Table acc = f.createAccounts("acc");
    Transaction t = f.rc();
    t.insert(acc, Fixture.account(1, 1));
    t.commit(SynchronousCommit.ON);
    List<TestWal.Rec> recs = f.wal.records();
    TransactionManager rep = replica(Lsn.of(0x1000));
    Redo redo = new Redo(rep, Lsn.INVALID);
    TestWal.Rec last = recs.get(recs.size() - 1);
    replay(redo, recs.subList(0, recs.size() - 1), Lsn.INVALID);
    Transaction reader = rep.begin(org.walden.storage.txn.IsolationLevel.READ_COMMITTED, 1);
    Table repAcc = reader.table("acc");
    assertThat(reader.get(repAcc, 1)).isNull();
    redo.apply(last.kind(), last.xid(), last.start(), last.end(), last.bodyBuffer());
    reader.newStatementSnapshot();
    assertThat(reader.get(repAcc, 1)).isNotNull();
  }

  @Test
  void discardOpenTransactions_unfinishedXidIsNeverAssignedAgain() {
    Fixture f = new Fixture(new TestWal(0x1000, true));
    Table acc = f.createAccounts("acc");
    Transaction t = f.rc();
    t.insert(acc, Fixture.account(1, 1));
    Xid cutOff = t.xid();
    // the crash comes before t's COMMIT: replay sees its INSERT only
    List<TestWal.Rec> recs = f.wal.records();
    TransactionManager rep = replica(Lsn.of(0x1000));
    Redo redo = new Redo(rep, Lsn.INVALID);
    replay(redo, recs, Lsn.INVALID);
    assertThat(redo.openTransactions()).isEqualTo(1);
    redo.discardOpenTransactions();
    assertThat(rep.nextXid().value()).isGreaterThan(cutOff.value());
  }
}
