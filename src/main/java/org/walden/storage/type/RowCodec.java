package org.walden.storage.type;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes a row (one value per column, in column order) as one compact {@code byte[]}, the form in
 * which rows live in memory, in WAL records and in snapshot files.
 *
 * <pre>
 *   null bitmap   ceil(n/8) bytes, bit i set = column i is NULL
 *   values        for each non-null column in order:
 *                   fixed-width types: big-endian, TypeKind.rowWidth() bytes
 *                   others: unsigned varint length, then the bytes
 *                     text/varchar/bpchar: UTF-8; bytea: raw;
 *                     numeric: 4-byte scale + BigInteger two's complement of the unscaled value
 * </pre>
 *
 * A pgbench_accounts row (int, int, int, char(84)) is 1 + 12 + 1 + 84 = 98 bytes. Reading one
 * column walks the columns before it (no offset table: it would cost 2 bytes per column per row,
 * and rows are short). Immutable and thread-safe.
 */
public final class RowCodec {

  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final ColumnType[] types;
  private final TypeKind[] kinds;
  private final int bitmapBytes;

  public RowCodec(ColumnType[] types) {
    this.types = types.clone();
    this.kinds = new TypeKind[types.length];
    for (int i = 0; i < types.length; i++) {
      kinds[i] = types[i].kind();
    }
    this.bitmapBytes = (types.length + 7) >>> 3;
  }

  public int columnCount() {
    return types.length;
  }

  public ColumnType type(int col) {
    return types[col];
  }

  /** Encodes already-coerced values (see {@link ColumnType#coerce}). */
  public byte[] encode(Object[] values) {
    if (values.length != types.length) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values, table has " + types.length + " columns");
    }
    int size = bitmapBytes;
    byte[][] var = null;
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        continue;
      }
      int w = kinds[i].rowWidth();
      if (w > 0) {
        size += w;
      } else {
        if (var == null) {
          var = new byte[values.length][];
        }
        byte[] b = varBytes(kinds[i], v);
        var[i] = b;
        size += varintSize(b.length) + b.length;
      }
    }
    byte[] row = new byte[size];
    int p = bitmapBytes;
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        row[i >>> 3] |= (byte) (1 << (i & 7));
        continue;
      }
      switch (kinds[i]) {
        case SMALLINT -> SHORT.set(row, p, (Short) v);
        case INTEGER -> INT.set(row, p, (Integer) v);
        case BIGINT -> LONG.set(row, p, (Long) v);
        case BOOLEAN -> row[p] = (byte) (((Boolean) v) ? 1 : 0);
        case FLOAT8 -> LONG.set(row, p, Double.doubleToRawLongBits((Double) v));
        case TIMESTAMP, TIMESTAMPTZ -> LONG.set(row, p, ((PgTimestamp) v).micros());
        default -> {
          byte[] b = var[i];
          p = putVarint(row, p, b.length);
          System.arraycopy(b, 0, row, p, b.length);
          p += b.length;
          continue;
        }
      }
      p += kinds[i].rowWidth();
    }
    return row;
  }

  private static byte[] varBytes(TypeKind kind, Object v) {
    return switch (kind) {
      case TEXT, VARCHAR, BPCHAR -> ((String) v).getBytes(StandardCharsets.UTF_8);
      case BYTEA -> (byte[]) v;
      case NUMERIC -> {
        BigDecimal d = (BigDecimal) v;
        byte[] u = d.unscaledValue().toByteArray();
        byte[] b = new byte[4 + u.length];
        INT.set(b, 0, d.scale());
        System.arraycopy(u, 0, b, 4, u.length);
        yield b;
      }
      default -> throw new IllegalStateException("not a variable-width type: " + kind);
    };
  }

  public Object[] decode(byte[] row) {
    Object[] out = new Object[types.length];
    int p = bitmapBytes;
    for (int i = 0; i < types.length; i++) {
      if ((row[i >>> 3] & (1 << (i & 7))) != 0) {
        continue;
      }
      out[i] = valueAt(row, i, p);
      p = skip(row, i, p);
    }
    return out;
  }

  public boolean isNull(byte[] row, int col) {
    return (row[col >>> 3] & (1 << (col & 7))) != 0;
  }

  /** The value of one column, or null. */
  public Object get(byte[] row, int col) {
    int p = offsetOf(row, col);
    return p < 0 ? null : valueAt(row, col, p);
  }

  /** An integer column as a long (smallint, integer or bigint; must not be null). */
  public long getLong(byte[] row, int col) {
    int p = offsetOf(row, col);
    if (p < 0) {
      throw new IllegalStateException("column " + col + " is null");
    }
    return switch (kinds[col]) {
      case SMALLINT -> (short) SHORT.get(row, p);
      case INTEGER -> (int) INT.get(row, p);
      case BIGINT -> (long) LONG.get(row, p);
      default -> throw new IllegalStateException("not an integer column: " + types[col]);
    };
  }

  private int offsetOf(byte[] row, int col) {
    if (isNull(row, col)) {
      return -1;
    }
    int p = bitmapBytes;
    for (int i = 0; i < col; i++) {
      if ((row[i >>> 3] & (1 << (i & 7))) == 0) {
        p = skip(row, i, p);
      }
    }
    return p;
  }

  private int skip(byte[] row, int col, int p) {
    int w = kinds[col].rowWidth();
    if (w > 0) {
      return p + w;
    }
    int len = 0;
    int shift = 0;
    byte b;
    do {
      b = row[p++];
      len |= (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return p + len;
  }

  private Object valueAt(byte[] row, int col, int p) {
    switch (kinds[col]) {
      case SMALLINT:
        return (short) SHORT.get(row, p);
      case INTEGER:
        return (int) INT.get(row, p);
      case BIGINT:
        return (long) LONG.get(row, p);
      case BOOLEAN:
        return row[p] != 0;
      case FLOAT8:
        return Double.longBitsToDouble((long) LONG.get(row, p));
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return new PgTimestamp((long) LONG.get(row, p));
      default:
        break;
    }
    int len = 0;
    int shift = 0;
    byte b;
    do {
      b = row[p++];
      len |= (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return switch (kinds[col]) {
      case TEXT, VARCHAR, BPCHAR -> new String(row, p, len, StandardCharsets.UTF_8);
      case BYTEA -> Arrays.copyOfRange(row, p, p + len);
      case NUMERIC -> new BigDecimal(new BigInteger(row, p + 4, len - 4), (int) INT.get(row, p));
      default -> throw new IllegalStateException("unexpected " + kinds[col]);
    };
  }

  static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  static int putVarint(byte[] buf, int p, int v) {
    while ((v & ~0x7F) != 0) {
      buf[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[p++] = (byte) v;
    return p;
  }
}
