package org.walden.storage.catalog;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.walden.storage.type.ByteSink;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.TypeKind;

/**
 * The binary form of catalog objects, shared by DDL WAL records and checkpoint snapshot files.
 * Defaults are stored as PostgreSQL text and parsed back with the column's type, so the encoding
 * needs no per-type binary rules. Changing the layout means bumping the version byte of the
 * enclosing format ({@code StorageRecords.VERSION}, the snapshot file version).
 */
public final class CatalogCodec {
  private CatalogCodec() {}

  private static final int DEFAULT_NONE = 0;
  private static final int DEFAULT_CONSTANT = 1;
  private static final int DEFAULT_NOW = 2;

  public static void writeSchema(ByteSink out, TableSchema s) {
    out.putInt(s.oid()).putString(s.name()).putInt(s.columns().size());
    for (Column c : s.columns()) {
      out.putString(c.name())
          .putByte(c.type().kind().ordinal())
          .putInt(c.type().length())
          .putBoolean(c.notNull());
      switch (c.defaultValue()) {
        case ColumnDefault.None n -> out.putByte(DEFAULT_NONE);
        case ColumnDefault.Constant k -> {
          out.putByte(DEFAULT_CONSTANT);
          out.putString(k.constant() == null ? null : c.type().format(k.constant()));
        }
        case ColumnDefault.CurrentTimestamp t -> out.putByte(DEFAULT_NOW);
      }
    }
    int[] pk = s.primaryKey();
    out.putInt(pk.length);
    for (int i : pk) {
      out.putInt(i);
    }
  }

  public static TableSchema readSchema(ByteBuffer in) {
    int oid = in.getInt();
    String name = ByteSink.getString(in);
    int n = in.getInt();
    if (n < 0 || n > 1600) {
      throw new IllegalArgumentException("bad column count " + n);
    }
    List<Column> cols = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String cname = ByteSink.getString(in);
      TypeKind kind = TypeKind.fromCode(in.get());
      ColumnType type = new ColumnType(kind, in.getInt());
      boolean notNull = in.get() != 0;
      int dk = in.get();
      ColumnDefault def =
          switch (dk) {
            case DEFAULT_NONE -> ColumnDefault.NONE;
            case DEFAULT_CONSTANT -> {
              String text = ByteSink.getString(in);
              yield new ColumnDefault.Constant(text == null ? null : type.parse(text));
            }
            case DEFAULT_NOW -> new ColumnDefault.CurrentTimestamp();
            default -> throw new IllegalArgumentException("bad default kind " + dk);
          };
      cols.add(new Column(cname, type, notNull, def));
    }
    int k = in.getInt();
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("bad primary key length " + k);
    }
    int[] pk = new int[k];
    for (int i = 0; i < k; i++) {
      pk[i] = in.getInt();
      if (pk[i] < 0 || pk[i] >= n) {
        throw new IllegalArgumentException("bad primary key column " + pk[i]);
      }
    }
    return new TableSchema(oid, name, cols, pk);
  }

  public static void writeRole(ByteSink out, Role r) {
    out.putInt(r.oid())
        .putString(r.name())
        .putBoolean(r.superuser())
        .putBoolean(r.login())
        .putBoolean(r.replication())
        .putString(r.scramVerifier());
  }

  public static Role readRole(ByteBuffer in) {
    return new Role(
        in.getInt(),
        ByteSink.getString(in),
        in.get() != 0,
        in.get() != 0,
        in.get() != 0,
        ByteSink.getString(in));
  }
}
