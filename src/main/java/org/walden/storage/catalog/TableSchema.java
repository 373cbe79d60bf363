package org.walden.storage.catalog;

import java.nio.ByteBuffer;
import java.util.List;
import org.walden.storage.SqlState;
import org.walden.storage.StorageException;
import org.walden.storage.type.ByteSink;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.PgTimestamp;
import org.walden.storage.type.RowCodec;
import org.walden.storage.type.RowKey;

/**
 * A table's definition: OID, name, columns, and the primary key (column indexes, possibly empty).
 *
 * <p>Keys. Rows are stored by primary key. A single integer column key is a {@link Long}; any other
 * key is a {@link RowKey}. A table without a primary key gets a hidden 64-bit row id as its key (a
 * {@link Long} allocated by the table), like PostgreSQL's ctid but stable.
 *
 * <p>Immutable; DDL makes a new schema (same OID) and, for changes that alter rows, a new table.
 */
public final class TableSchema {

  private final int oid;
  private final String name;
  private final List<Column> columns;
  private final int[] primaryKey;
  private final RowCodec rowCodec;
  private final RowCodec keyCodec;
  private final ColumnType[] keyTypes;
  private final boolean longKey;

  public TableSchema(int oid, String name, List<Column> columns, int[] primaryKey) {
    this.oid = oid;
    this.name = name;
    this.columns = List.copyOf(columns);
    this.primaryKey = primaryKey.clone();
    ColumnType[] types = new ColumnType[columns.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = columns.get(i).type();
    }
    this.rowCodec = new RowCodec(types);
    this.keyTypes = new ColumnType[primaryKey.length];
    for (int i = 0; i < primaryKey.length; i++) {
      if (!columns.get(primaryKey[i]).notNull()) {
        throw new IllegalArgumentException(
            "primary key column " + columns.get(primaryKey[i]).name() + " must be NOT NULL");
      }
      keyTypes[i] = types[primaryKey[i]];
    }
    this.keyCodec = new RowCodec(keyTypes);
    this.longKey =
        primaryKey.length == 0 || (primaryKey.length == 1 && keyTypes[0].kind().isInteger());
  }

  public int oid() {
    return oid;
  }

  public String name() {
    return name;
  }

  public List<Column> columns() {
    return columns;
  }

  public Column column(int i) {
    return columns.get(i);
  }

  /** The index of the named column, or -1. */
  public int columnIndex(String columnName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(columnName)) {
        return i;
      }
    }
    return -1;
  }

  public int[] primaryKey() {
    return primaryKey.clone();
  }

  public boolean hasPrimaryKey() {
    return primaryKey.length > 0;
  }

  /** True when keys are {@link Long}s (one integer key column, or the hidden row id). */
  public boolean hasLongKey() {
    return longKey;
  }

  public RowCodec rowCodec() {
    return rowCodec;
  }

  /** The primary key constraint's name, {@code <table>_pkey}. */
  public String primaryKeyName() {
    return name + "_pkey";
  }

  public TableSchema withName(String newName) {
    return new TableSchema(oid, newName, columns, primaryKey);
  }

  /** The key of an encoded row (the table must have a primary key). */
  public Object keyOf(byte[] row) {
    if (longKey) {
      return rowCodec.getLong(row, primaryKey[0]);
    }
    Object[] v = new Object[primaryKey.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = rowCodec.get(row, primaryKey[i]);
    }
    return new RowKey(v, keyTypes);
  }

  /** The key of a row given as coerced values (the table must have a primary key). */
  public Object keyOf(Object[] values) {
    if (longKey) {
      return ((Number) values[primaryKey[0]]).longValue();
    }
    Object[] v = new Object[primaryKey.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[primaryKey[i]];
    }
    return new RowKey(v, keyTypes);
  }

  /**
   * Converts a caller's key ({@code Integer}, {@code Long}, values array, RowKey) to this table's
   * key form.
   */
  public Object normalizeKey(Object key) {
    if (longKey) {
      if (key instanceof Long) {
        return key;
      }
      if (key instanceof Number n) {
        return n.longValue();
      }
      if (key instanceof RowKey k && k.size() == 1) {
        return ((Number) k.value(0)).longValue();
      }
    } else if (key instanceof RowKey) {
      return key;
    } else if (key instanceof Object[] arr) {
      Object[] v = new Object[arr.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = keyTypes[i].coerce(arr[i]);
      }
      return new RowKey(v, keyTypes);
    } else if (primaryKey.length == 1) {
      return new RowKey(new Object[] {keyTypes[0].coerce(key)}, keyTypes);
    }
    throw new IllegalArgumentException("not a key of " + name + ": " + key);
  }

  /**
   * Writes a key as WAL and snapshots carry it: 8 bytes for a long key, else a length-prefixed key
   * row.
   */
  public void writeKey(ByteSink out, Object key) {
    if (longKey) {
      out.putLong((Long) key);
    } else {
      RowKey k = (RowKey) key;
      Object[] v = new Object[k.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = k.value(i);
      }
      out.putLengthPrefixed(keyCodec.encode(v));
    }
  }

  /** Reads what {@link #writeKey} wrote. */
  public Object readKey(ByteBuffer in) {
    if (longKey) {
      return in.getLong();
    }
    return new RowKey(keyCodec.decode(ByteSink.getLengthPrefixed(in)), keyTypes);
  }

  /** PostgreSQL's key description for error details: {@code Key (id)=(1)}. */
  public String describeKey(Object key) {
    StringBuilder cols = new StringBuilder();
    for (int i = 0; i < primaryKey.length; i++) {
      if (i > 0) {
        cols.append(", ");
      }
      cols.append(columns.get(primaryKey[i]).name());
    }
    String vals = key instanceof RowKey k ? k.toText() : String.valueOf(key);
    return "Key (" + cols + ")=(" + vals + ")";
  }

  /**
   * Coerces a full row of values to the column types, checking lengths/ranges and NOT NULL (23502),
   * and encodes it. The array must have one entry per column (defaults already applied).
   */
  public byte[] encodeRow(Object[] values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values, " + name + " has " + columns.size() + " columns");
    }
    Object[] c = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      Column col = columns.get(i);
      c[i] = col.type().coerce(values[i]);
      if (c[i] == null && col.notNull()) {
        throw new StorageException(
            SqlState.NOT_NULL_VIOLATION,
            "null value in column \""
                + col.name()
                + "\" of relation \""
                + name
                + "\" violates not-null constraint",
            "Failing row contains " + describeRow(c) + ".");
      }
    }
    return rowCodec.encode(c);
  }

  /** The row as PostgreSQL prints it in "Failing row contains (...)". */
  public String describeRow(Object[] values) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(values[i] == null ? "null" : columns.get(i).type().format(values[i]));
    }
    return sb.append(')').toString();
  }

  /**
   * Default values for a row inserted by a transaction started at {@code now} (null where none).
   */
  public Object[] defaults(PgTimestamp now) {
    Object[] v = new Object[columns.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = columns.get(i).defaultValue().value(now);
    }
    return v;
  }

  @Override
  public String toString() {
    return name + "(oid " + oid + ")";
  }
}
