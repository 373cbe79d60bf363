package org.walden.storage.txn;

import java.util.ArrayList;
import java.util.List;
import org.walden.storage.SqlState;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.Role;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.record.StorageRecords;
import org.walden.storage.table.Table;
import org.walden.storage.table.TableRewriter;
import org.walden.wal.RecordKind;

/**
 * Transactional DDL for one {@link Transaction}. All DDL serializes on the manager's DDL lock (one
 * DDL transaction at a time, held to its end), and a transaction's catalog changes go to its
 * private {@code pendingCatalog}, installed as a new catalog version stamped with its commit LSN.
 * Changes to an existing table also take that table's exclusive lock, waiting out its writers.
 * Row-changing DDL builds a new table generation; the old one stays readable by older snapshots.
 * Each change is WAL-logged as it is made. Stateless; runs on the owning session.
 */
final class TransactionDdl {
  private TransactionDdl() {}

  static StorageException undefinedTable(String name) {
    return new StorageException(
        SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
  }

  private static void beginDdl(Transaction tx) {
    tx.mgr.checkWritable();
    tx.ensureXid();
    if (tx.pendingCatalog == null) {
      TableLock ddl = tx.mgr.ddlLock;
      Transaction h;
      while ((h = ddl.tryExclusive(tx)) != null) {
        tx.mgr.waitGraph.waitFor(tx, h, tx.lockTimeoutMillis());
      }
      tx.holdLock(ddl);
      // with the DDL lock held nobody else changes the catalog: the newest version is our base
      tx.pendingCatalog = tx.mgr.latestCatalog().toBuilder();
    }
  }

  private static Table lockExisting(Transaction tx, String name) {
    beginDdl(tx);
    Table t = tx.pendingCatalog.table(name);
    if (t == null) {
      throw undefinedTable(name);
    }
    Transaction h;
    while ((h = t.lock().tryExclusive(tx)) != null) {
      tx.mgr.waitGraph.waitFor(tx, h, tx.lockTimeoutMillis());
    }
    tx.holdLock(t.lock());
    return t;
  }

  static Table createTable(Transaction tx, String name, List<Column> columns, int[] primaryKey) {
    beginDdl(tx);
    if (tx.pendingCatalog.table(name) != null) {
      throw new StorageException(
          SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    checkDistinctColumns(columns);
    List<Column> cols = new ArrayList<>(columns);
    for (int k : primaryKey) {
      cols.set(k, cols.get(k).withNotNull());
    }
    TableSchema s = new TableSchema(tx.pendingCatalog.allocateOid(), name, cols, primaryKey);
    Table t = new Table(s, 1);
    t.lock().setCreator(tx);
    tx.holdLock(t.lock());
    tx.pendingCatalog.putTable(t);
    tx.log(RecordKind.CREATE_TABLE, StorageRecords.createTable(tx.sink, s));
    return t;
  }

  private static void checkDistinctColumns(List<Column> columns) {
    for (int i = 0; i < columns.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (columns.get(i).name().equals(columns.get(j).name())) {
          throw new StorageException(
              SqlState.DUPLICATE_COLUMN,
              "column \"" + columns.get(i).name() + "\" specified more than once");
        }
      }
    }
  }

  static void dropTable(Transaction tx, String name) {
    Table t = lockExisting(tx, name);
    tx.pendingCatalog.removeTable(t);
    tx.drops.add(t);
    tx.log(RecordKind.DROP_TABLE, StorageRecords.tableOid(tx.sink, t.oid()));
  }

  static Table truncate(Transaction tx, String name) {
    Table t = lockExisting(tx, name);
    Table fresh = new Table(t.schema(), t.generation() + 1);
    fresh.lock().setCreator(tx);
    tx.holdLock(fresh.lock());
    tx.pendingCatalog.putTable(fresh);
    tx.successions.add(new Table[] {t, fresh});
    tx.log(RecordKind.TRUNCATE, StorageRecords.tableOid(tx.sink, t.oid()));
    return fresh;
  }

  static Table addPrimaryKey(Transaction tx, String name, String[] columnNames) {
    Table t = lockExisting(tx, name);
    TableSchema s = t.schema();
    if (s.hasPrimaryKey()) {
      throw new StorageException(
          SqlState.INVALID_TABLE_DEFINITION,
          "multiple primary keys for table \"" + name + "\" are not allowed");
    }
    int[] pk = new int[columnNames.length];
    List<Column> cols = new ArrayList<>(s.columns());
    for (int i = 0; i < pk.length; i++) {
      pk[i] = s.columnIndex(columnNames[i]);
      if (pk[i] < 0) {
        throw new StorageException(
            SqlState.UNDEFINED_COLUMN,
            "column \"" + columnNames[i] + "\" of relation \"" + name + "\" does not exist");
      }
      cols.set(pk[i], cols.get(pk[i]).withNotNull());
    }
    int[] map = identity(cols.size());
    return rewrite(tx, t, new TableSchema(s.oid(), name, cols, pk), map, new Object[cols.size()]);
  }

  static Table addColumn(Transaction tx, String name, Column column) {
    Table t = lockExisting(tx, name);
    TableSchema s = t.schema();
    if (s.columnIndex(column.name()) >= 0) {
      throw new StorageException(
          SqlState.DUPLICATE_COLUMN,
          "column \"" + column.name() + "\" of relation \"" + name + "\" already exists");
    }
    List<Column> cols = new ArrayList<>(s.columns());
    cols.add(column);
    int[] map = new int[cols.size()];
    System.arraycopy(identity(cols.size() - 1), 0, map, 0, cols.size() - 1);
    map[cols.size() - 1] = -1;
    Object[] fill = new Object[cols.size()];
    fill[cols.size() - 1] = column.type().coerce(column.defaultValue().value(tx.startTime()));
    return rewrite(tx, t, new TableSchema(s.oid(), name, cols, s.primaryKey()), map, fill);
  }

  static Table dropColumn(Transaction tx, String name, String column) {
    Table t = lockExisting(tx, name);
    TableSchema s = t.schema();
    int idx = s.columnIndex(column);
    if (idx < 0) {
      throw new StorageException(
          SqlState.UNDEFINED_COLUMN,
          "column \"" + column + "\" of relation \"" + name + "\" does not exist");
    }
    int[] oldPk = s.primaryKey();
    for (int k : oldPk) {
      if (k == idx) {
        throw new StorageException(
            SqlState.FEATURE_NOT_SUPPORTED,
            "cannot drop column \""
                + column
                + "\" of relation \""
                + name
                + "\" because it is part of the primary key");
      }
    }
    List<Column> cols = new ArrayList<>(s.columns());
    cols.remove(idx);
    int[] map = new int[cols.size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = i < idx ? i : i + 1;
    }
    int[] pk = new int[oldPk.length];
    for (int i = 0; i < pk.length; i++) {
      pk[i] = oldPk[i] < idx ? oldPk[i] : oldPk[i] - 1;
    }
    return rewrite(tx, t, new TableSchema(s.oid(), name, cols, pk), map, new Object[cols.size()]);
  }

  private static int[] identity(int n) {
    int[] m = new int[n];
    for (int i = 0; i < n; i++) {
      m[i] = i;
    }
    return m;
  }

  private static Table rewrite(
      Transaction tx, Table old, TableSchema schema, int[] map, Object[] fill) {
    byte[] fillRow = schema.rowCodec().encode(fill);
    Table fresh = new Table(schema, old.generation() + 1);
    fresh.lock().setCreator(tx);
    tx.holdLock(fresh.lock());
    TableRewriter.rewrite(old, fresh, map, fillRow, tx, 0);
    tx.pendingCatalog.putTable(fresh);
    tx.successions.add(new Table[] {old, fresh});
    tx.rewritten.add(fresh);
    tx.log(RecordKind.ALTER_TABLE, StorageRecords.alterTable(tx.sink, schema, map, fillRow));
    return fresh;
  }

  static Role createRole(
      Transaction tx,
      String name,
      boolean superuser,
      boolean login,
      boolean replication,
      String verifier) {
    beginDdl(tx);
    if (tx.pendingCatalog.role(name) != null) {
      throw new StorageException(SqlState.DUPLICATE_OBJECT, "role \"" + name + "\" already exists");
    }
    Role r =
        new Role(tx.pendingCatalog.allocateOid(), name, superuser, login, replication, verifier);
    tx.pendingCatalog.putRole(r);
    tx.log(RecordKind.ROLE, StorageRecords.putRole(tx.sink, r));
    return r;
  }

  static void alterRole(Transaction tx, Role role) {
    beginDdl(tx);
    Role old = tx.pendingCatalog.role(role.name());
    if (old == null) {
      throw new StorageException(
          SqlState.UNDEFINED_OBJECT, "role \"" + role.name() + "\" does not exist");
    }
    Role r =
        new Role(
            old.oid(),
            role.name(),
            role.superuser(),
            role.login(),
            role.replication(),
            role.scramVerifier());
    tx.pendingCatalog.putRole(r);
    tx.log(RecordKind.ROLE, StorageRecords.putRole(tx.sink, r));
  }

  static void dropRole(Transaction tx, String name) {
    beginDdl(tx);
    if (tx.pendingCatalog.role(name) == null) {
      throw new StorageException(SqlState.UNDEFINED_OBJECT, "role \"" + name + "\" does not exist");
    }
    tx.pendingCatalog.removeRole(name);
    tx.log(RecordKind.ROLE, StorageRecords.dropRole(tx.sink, name));
  }
}
