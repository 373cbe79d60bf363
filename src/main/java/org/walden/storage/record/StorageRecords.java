package org.walden.storage.record;

import java.nio.ByteBuffer;
import org.walden.storage.catalog.CatalogCodec;
import org.walden.storage.catalog.Role;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.type.ByteSink;

/**
 * The bodies of the WAL records the storage layer writes ({@code RecordKind} COMMIT, ABORT, INSERT,
 * UPDATE, DELETE, TRUNCATE, CREATE_TABLE, DROP_TABLE, ALTER_TABLE, ROLE). Every body starts with
 * {@link #VERSION}; integers are big-endian.
 *
 * <pre>
 *   INSERT, UPDATE   version, table oid (int), key, full new row image (rest of the body)
 *   DELETE           version, table oid, key
 *   TRUNCATE         version, table oid
 *   DROP_TABLE       version, table oid
 *   CREATE_TABLE     version, schema (CatalogCodec)
 *   ALTER_TABLE      version, new schema, column map (int count, ints: old column index or -1),
 *                    fill row (length-prefixed row of the new schema: values for mapped-from -1
 *                    columns, evaluated once on the primary so redo is deterministic)
 *   ROLE             version, op (1 = create/replace, 2 = drop), role | name
 *   COMMIT           version, commit time (long, µs since 2000-01-01 UTC)
 *   ABORT            version
 * </pre>
 *
 * A key is 8 bytes for a long-keyed table, else a length-prefixed key row ({@link
 * TableSchema#writeKey}). Since bodies reference tables by OID and keys by the table's key layout,
 * redo decodes them against the catalog as it stands at that point of the WAL. Stateless.
 */
public final class StorageRecords {
  private StorageRecords() {}

  public static final int VERSION = 1;
  public static final int ROLE_PUT = 1;
  public static final int ROLE_DROP = 2;

  public static ByteSink change(ByteSink out, TableSchema schema, Object key, byte[] row) {
    out.clear().putByte(VERSION).putInt(schema.oid());
    schema.writeKey(out, key);
    if (row != null) {
      out.putBytes(row);
    }
    return out;
  }

  public static ByteSink tableOid(ByteSink out, int oid) {
    return out.clear().putByte(VERSION).putInt(oid);
  }

  public static ByteSink createTable(ByteSink out, TableSchema schema) {
    out.clear().putByte(VERSION);
    CatalogCodec.writeSchema(out, schema);
    return out;
  }

  public static ByteSink alterTable(
      ByteSink out, TableSchema schema, int[] columnMap, byte[] fillRow) {
    out.clear().putByte(VERSION);
    CatalogCodec.writeSchema(out, schema);
    out.putInt(columnMap.length);
    for (int m : columnMap) {
      out.putInt(m);
    }
    return out.putLengthPrefixed(fillRow);
  }

  public static ByteSink putRole(ByteSink out, Role role) {
    out.clear().putByte(VERSION).putByte(ROLE_PUT);
    CatalogCodec.writeRole(out, role);
    return out;
  }

  public static ByteSink dropRole(ByteSink out, String name) {
    return out.clear().putByte(VERSION).putByte(ROLE_DROP).putString(name);
  }

  public static ByteSink commit(ByteSink out, long commitTimeMicros) {
    return out.clear().putByte(VERSION).putLong(commitTimeMicros);
  }

  /**
   * The commit time (µs since 2000-01-01) of a COMMIT record's body, read from the body's start
   * whatever its position; the body is not consumed.
   */
  public static long commitTimeMicros(ByteBuffer body) {
    // absolute reads: redo may already have consumed the body
    int v = body.get(0);
    if (v != VERSION) {
      throw new IllegalArgumentException("unknown storage record version " + v);
    }
    return body.getLong(1);
  }

  public static ByteSink abort(ByteSink out) {
    return out.clear().putByte(VERSION);
  }

  /** Consumes and checks the version byte. */
  public static void readVersion(ByteBuffer body) {
    int v = body.get();
    if (v != VERSION) {
      throw new IllegalArgumentException("unknown storage record version " + v);
    }
  }

  /** The parsed form of an ALTER_TABLE body (after the version byte). */
  public record AlterTable(TableSchema schema, int[] columnMap, byte[] fillRow) {
    public static AlterTable read(ByteBuffer body) {
      TableSchema s = CatalogCodec.readSchema(body);
      int n = body.getInt();
      if (n != s.columns().size()) {
        throw new IllegalArgumentException(
            "column map has " + n + " entries for " + s.columns().size() + " columns");
      }
      int[] map = new int[n];
      for (int i = 0; i < n; i++) {
        map[i] = body.getInt();
      }
      return new AlterTable(s, map, ByteSink.getLengthPrefixed(body));
    }
  }
}
