package org.walden.storage.type;

import java.math.BigDecimal;
import java.util.Arrays;
import org.walden.storage.SqlState;
import org.walden.storage.StorageException;

/**
 * A column's type: a {@link TypeKind} plus, for {@code varchar(n)} and {@code char(n)}, the length
 * limit {@code n} in characters ({@code -1} = none). Knows its PostgreSQL OID, {@code typlen},
 * {@code typmod}, how values compare, and how they convert from Java values ({@link #coerce}) and
 * from/to PostgreSQL text ({@link #parse}, {@link #format}). Immutable.
 */
public record ColumnType(TypeKind kind, int length) {

  public static final ColumnType SMALLINT = new ColumnType(TypeKind.SMALLINT, -1);
  public static final ColumnType INTEGER = new ColumnType(TypeKind.INTEGER, -1);
  public static final ColumnType BIGINT = new ColumnType(TypeKind.BIGINT, -1);
  public static final ColumnType BOOLEAN = new ColumnType(TypeKind.BOOLEAN, -1);
  public static final ColumnType TEXT = new ColumnType(TypeKind.TEXT, -1);
  public static final ColumnType FLOAT8 = new ColumnType(TypeKind.FLOAT8, -1);
  public static final ColumnType NUMERIC = new ColumnType(TypeKind.NUMERIC, -1);
  public static final ColumnType TIMESTAMP = new ColumnType(TypeKind.TIMESTAMP, -1);
  public static final ColumnType TIMESTAMPTZ = new ColumnType(TypeKind.TIMESTAMPTZ, -1);
  public static final ColumnType BYTEA = new ColumnType(TypeKind.BYTEA, -1);
  public static final ColumnType PG_LSN = new ColumnType(TypeKind.PG_LSN, -1);
  public static final ColumnType INTERVAL = new ColumnType(TypeKind.INTERVAL, -1);
  public static final ColumnType INET = new ColumnType(TypeKind.INET, -1);
  public static final ColumnType OID = new ColumnType(TypeKind.OID, -1);
  public static final ColumnType XID = new ColumnType(TypeKind.XID, -1);
  public static final ColumnType NAME = new ColumnType(TypeKind.NAME, -1);
  public static final ColumnType RECORD = new ColumnType(TypeKind.RECORD, -1);

  public ColumnType {
    if (length != -1 && (kind != TypeKind.VARCHAR && kind != TypeKind.BPCHAR || length < 1)) {
      throw new IllegalArgumentException("bad length " + length + " for " + kind);
    }
  }

  public static ColumnType varchar(int n) {
    return new ColumnType(TypeKind.VARCHAR, n);
  }

  /** {@code varchar} without a limit. */
  public static ColumnType varchar() {
    return new ColumnType(TypeKind.VARCHAR, -1);
  }

  /** {@code char(n)}; PostgreSQL's bare {@code char} is {@code char(1)}. */
  public static ColumnType bpchar(int n) {
    return new ColumnType(TypeKind.BPCHAR, n);
  }

  public int oid() {
    return kind.oid();
  }

  public int typlen() {
    return kind.typlen();
  }

  /** PostgreSQL's {@code atttypmod}: {@code n + 4} for varchar(n)/char(n), else -1. */
  public int typmod() {
    return length < 0 ? -1 : length + 4;
  }

  /** {@code format_type} output, e.g. {@code character varying(10)}. */
  public String displayName() {
    return length < 0 ? kind.pgName() : kind.pgName() + "(" + length + ")";
  }

  /**
   * Converts a Java value to this type's representation, checking range and length (22003, 22001)
   * and blank-padding {@code char(n)}. Strings are parsed as PostgreSQL text input. Null stays
   * null.
   */
  public Object coerce(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s
        && kind != TypeKind.TEXT
        && kind != TypeKind.VARCHAR
        && kind != TypeKind.BPCHAR
        && kind != TypeKind.NAME
        && kind != TypeKind.RECORD) {
      return parse(s);
    }
    switch (kind) {
      case SMALLINT -> {
        long v = integral(value);
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
          throw outOfRange("smallint");
        }
        return (short) v;
      }
      case INTEGER -> {
        long v = integral(value);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw outOfRange("integer");
        }
        return (int) v;
      }
      case BIGINT -> {
        return integral(value);
      }
      case BOOLEAN -> {
        if (value instanceof Boolean) {
          return value;
        }
      }
      case TEXT -> {
        return value.toString();
      }
      case VARCHAR -> {
        return checkVarchar(value.toString());
      }
      case BPCHAR -> {
        return padBpchar(value.toString());
      }
      case FLOAT8 -> {
        if (value instanceof Number n) {
          return n.doubleValue();
        }
      }
      case NUMERIC -> {
        if (value instanceof BigDecimal) {
          return value;
        }
        if (value instanceof Double || value instanceof Float) {
          return BigDecimal.valueOf(((Number) value).doubleValue());
        }
        if (value instanceof Number n) {
          return BigDecimal.valueOf(n.longValue());
        }
      }
      case TIMESTAMP, TIMESTAMPTZ -> {
        if (value instanceof PgTimestamp) {
          return value;
        }
        if (value instanceof java.time.Instant i) {
          return PgTimestamp.of(i);
        }
        if (value instanceof java.time.LocalDateTime l) {
          return PgTimestamp.of(l);
        }
      }
      case BYTEA -> {
        if (value instanceof byte[]) {
          return value;
        }
      }
      case PG_LSN -> {
        if (value instanceof org.walden.wal.Lsn) {
          return value;
        }
      }
      case INTERVAL -> {
        if (value instanceof java.time.Duration) {
          return value;
        }
      }
      case INET, NAME, RECORD -> {
        return value.toString();
      }
      case OID, XID -> {
        long v = integral(value);
        if (v < 0 || v > 0xFFFF_FFFFL) {
          throw outOfRange(kind.pgName());
        }
        return v;
      }
    }
    throw new IllegalArgumentException(
        "cannot store " + value.getClass().getSimpleName() + " in a " + displayName() + " column");
  }

  private static long integral(Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal d) {
      BigDecimal r = d.setScale(0, java.math.RoundingMode.HALF_UP);
      if (r.unscaledValue().bitLength() > 63) {
        throw new StorageException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range");
      }
      return r.longValue();
    }
    if (value instanceof Double d) {
      double r = Math.rint(d);
      if (Double.isNaN(r) || r < -9.223372036854776E18 || r >= 9.223372036854776E18) {
        throw new StorageException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range");
      }
      return (long) r;
    }
    throw new IllegalArgumentException("not an integer: " + value.getClass().getSimpleName());
  }

  private static StorageException outOfRange(String type) {
    return new StorageException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, type + " out of range");
  }

  private String checkVarchar(String s) {
    if (length < 0 || s.length() <= length) {
      return s;
    }
    int cps = s.codePointCount(0, s.length());
    if (cps <= length) {
      return s;
    }
    // PostgreSQL silently drops excess characters only when they are all spaces
    int cut = s.offsetByCodePoints(0, length);
    if (s.substring(cut).isBlank() && s.substring(cut).chars().allMatch(c -> c == ' ')) {
      return s.substring(0, cut);
    }
    throw new StorageException(
        SqlState.STRING_DATA_RIGHT_TRUNCATION,
        "value too long for type character varying(" + length + ")");
  }

  private String padBpchar(String s) {
    if (length < 0) {
      return s;
    }
    int cps = s.codePointCount(0, s.length());
    if (cps == length) {
      return s;
    }
    if (cps < length) {
      return s + " ".repeat(length - cps);
    }
    int cut = s.offsetByCodePoints(0, length);
    if (s.substring(cut).chars().allMatch(c -> c == ' ')) {
      return s.substring(0, cut);
    }
    throw new StorageException(
        SqlState.STRING_DATA_RIGHT_TRUNCATION, "value too long for type character(" + length + ")");
  }

  /** Parses PostgreSQL text input for this type (22P02 invalid input, 22003 out of range). */
  public Object parse(String text) {
    return coerceParsed(TypeText.parse(this, text));
  }

  private Object coerceParsed(Object v) {
    return (kind == TypeKind.VARCHAR || kind == TypeKind.BPCHAR) ? coerce(v) : v;
  }

  /** PostgreSQL's text output of a value of this type (as with DateStyle ISO, TimeZone UTC). */
  public String format(Object value) {
    return TypeText.format(this, value);
  }

  /**
   * Compares two non-null values of this type. Text compares by code units (a {@code C}-collation
   * stand-in); {@code char(n)} ignores trailing blanks, as PostgreSQL does.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public int compare(Object a, Object b) {
    return switch (kind) {
      case BPCHAR -> stripTrailing((String) a).compareTo(stripTrailing((String) b));
      case BYTEA -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
      case NUMERIC -> ((BigDecimal) a).compareTo((BigDecimal) b);
      default -> ((Comparable) a).compareTo(b);
    };
  }

  static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  @Override
  public String toString() {
    return displayName();
  }
}
