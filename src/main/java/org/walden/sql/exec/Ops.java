package org.walden.sql.exec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.PgTimestamp;
import org.walden.storage.type.TypeKind;

/**
 * The runtime semantics of operators: arithmetic with PostgreSQL's overflow errors, comparison
 * across numeric types, LIKE, and casts. Stateless; values are the Java representations of {@link
 * TypeKind} (callers have already handled NULL unless a method says otherwise).
 */
final class Ops {
  private Ops() {}

  static SqlException outOfRange(ColumnType t) {
    String name =
        switch (t.kind()) {
          case SMALLINT -> "smallint";
          case INTEGER -> "integer";
          case BIGINT -> "bigint";
          default -> t.kind().pgName();
        };
    return new SqlException("22003", name + " out of range");
  }

  static SqlException divisionByZero() {
    return new SqlException("22012", "division by zero");
  }

  /** Narrows an exact long result to the integer type {@code t}, or 22003. */
  static Object narrow(long v, ColumnType t) {
    switch (t.kind()) {
      case SMALLINT -> {
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
          throw outOfRange(t);
        }
        return (short) v;
      }
      case INTEGER -> {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw outOfRange(t);
        }
        return (int) v;
      }
      default -> {
        return v;
      }
    }
  }

  static BigDecimal toBig(Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Double d) {
      return BigDecimal.valueOf(d);
    }
    return BigDecimal.valueOf(((Number) v).longValue());
  }

  /** {@code a op b} for numbers, computed in {@code type} (the promoted type of both operands). */
  static Object arith(char op, Object a, Object b, ColumnType type) {
    Number x = (Number) a;
    Number y = (Number) b;
    switch (type.kind()) {
      case SMALLINT, INTEGER -> {
        long l = x.longValue();
        long r = y.longValue();
        return narrow(
            switch (op) {
              case '+' -> l + r;
              case '-' -> l - r;
              case '*' -> l * r;
              case '/' -> {
                if (r == 0) {
                  throw divisionByZero();
                }
                yield l / r;
              }
              case '%' -> {
                if (r == 0) {
                  throw divisionByZero();
                }
                yield l % r;
              }
              default -> throw new IllegalStateException("op " + op);
            },
            type);
      }
      case BIGINT -> {
        long l = x.longValue();
        long r = y.longValue();
        try {
          return switch (op) {
            case '+' -> Math.addExact(l, r);
            case '-' -> Math.subtractExact(l, r);
            case '*' -> Math.multiplyExact(l, r);
            case '/' -> {
              if (r == 0) {
                throw divisionByZero();
              }
              if (l == Long.MIN_VALUE && r == -1) {
                throw outOfRange(type);
              }
              yield l / r;
            }
            case '%' -> {
              if (r == 0) {
                throw divisionByZero();
              }
              yield r == -1 ? 0L : l % r;
            }
            default -> throw new IllegalStateException("op " + op);
          };
        } catch (ArithmeticException e) {
          throw outOfRange(type);
        }
      }
      case FLOAT8 -> {
        double l = x.doubleValue();
        double r = y.doubleValue();
        if ((op == '/' || op == '%') && r == 0) {
          throw divisionByZero();
        }
        double v =
            switch (op) {
              case '+' -> l + r;
              case '-' -> l - r;
              case '*' -> l * r;
              case '/' -> l / r;
              case '%' -> l % r;
              default -> throw new IllegalStateException("op " + op);
            };
        if (Double.isInfinite(v) && !Double.isInfinite(l) && !Double.isInfinite(r)) {
          throw new SqlException("22003", "value out of range: overflow");
        }
        return v;
      }
      case NUMERIC -> {
        BigDecimal l = toBig(a);
        BigDecimal r = toBig(b);
        return switch (op) {
          case '+' -> l.add(r);
          case '-' -> l.subtract(r);
          case '*' -> l.multiply(r);
          case '/' -> divide(l, r);
          case '%' -> {
            if (r.signum() == 0) {
              throw divisionByZero();
            }
            yield l.remainder(r);
          }
          default -> throw new IllegalStateException("op " + op);
        };
      }
      default -> throw new IllegalStateException("not numeric: " + type);
    }
  }

  /**
   * Numeric division with PostgreSQL's {@code select_div_scale}: 16 significant digits counted from
   * the quotient's first base-10000 digit, and no less scale than either input.
   */
  static BigDecimal divide(BigDecimal l, BigDecimal r) {
    if (r.signum() == 0) {
      throw divisionByZero();
    }
    BigDecimal q = l.divide(r, java.math.MathContext.DECIMAL64);
    int weight = q.signum() == 0 ? 0 : q.precision() - q.scale() - 1;
    int scale = 16 - Math.floorDiv(weight, 4) * 4;
    scale = Math.max(scale, Math.max(l.scale(), r.scale()));
    return l.divide(r, Math.min(Math.max(scale, 0), 1000), RoundingMode.HALF_UP);
  }

  static Object negate(Object v, ColumnType t) {
    return switch (t.kind()) {
      case SMALLINT, INTEGER -> narrow(-((Number) v).longValue(), t);
      case BIGINT -> {
        long l = (Long) v;
        if (l == Long.MIN_VALUE) {
          throw outOfRange(t);
        }
        yield -l;
      }
      case FLOAT8 -> -((Double) v);
      case NUMERIC -> ((BigDecimal) v).negate();
      default -> throw new IllegalStateException("not numeric: " + t);
    };
  }

  /** Compares two non-null values of comparable types. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object a, Object b) {
    if (a instanceof Integer x && b instanceof Integer y) {
      return Integer.compare(x, y);
    }
    if (a instanceof Number x && b instanceof Number y) {
      if (a instanceof Double || b instanceof Double) {
        return Double.compare(x.doubleValue(), y.doubleValue());
      }
      if (a instanceof BigDecimal || b instanceof BigDecimal) {
        return toBig(a).compareTo(toBig(b));
      }
      return Long.compare(x.longValue(), y.longValue());
    }
    if (a instanceof String s && b instanceof String t) {
      return s.compareTo(t);
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    return ((Comparable) a).compareTo(b);
  }

  /** A value made suitable as a hash key: equal SQL values give equal Java objects. */
  static Object hashable(Object v) {
    if (v instanceof Integer || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      if (s.scale() <= 0 && s.precision() - s.scale() < 19) {
        return s.longValueExact();
      }
      return s;
    }
    if (v instanceof byte[] b) {
      return java.nio.ByteBuffer.wrap(b);
    }
    return v;
  }

  /** LIKE pattern (with escape character, or 0 for none) as a regular expression. */
  static Pattern likePattern(String pattern, char escape, boolean caseInsensitive) {
    StringBuilder sb = new StringBuilder(pattern.length() + 8);
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (escape != 0 && c == escape) {
        if (++i >= pattern.length()) {
          throw new SqlException(
              "22025", "LIKE pattern must not end with escape character", null, null, 0);
        }
        sb.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
      } else if (c == '%') {
        sb.append(".*");
      } else if (c == '_') {
        sb.append('.');
      } else {
        sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    int flags = Pattern.DOTALL;
    if (caseInsensitive) {
      flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    }
    return Pattern.compile(sb.toString(), flags);
  }

  /** Converts a non-null value of type {@code from} to type {@code to}, as a SQL cast does. */
  static Object cast(Object v, ColumnType from, ColumnType to) {
    TypeKind f = from.kind();
    TypeKind t = to.kind();
    try {
      if (SqlTypes.isText(to)) {
        String s = v instanceof String str ? str : from.format(v);
        if (t == TypeKind.VARCHAR && to.length() > 0 && s.length() > to.length()) {
          s = s.substring(0, to.length()); // an explicit cast truncates, as PostgreSQL's does
        }
        return to.coerce(s);
      }
      if (v instanceof String s) {
        return to.parse(s);
      }
      if (f == TypeKind.BOOLEAN && t.isInteger()) {
        return to.coerce(((Boolean) v) ? 1 : 0);
      }
      if (t == TypeKind.BOOLEAN && f == TypeKind.INTEGER) {
        return ((Integer) v) != 0;
      }
      if ((f == TypeKind.OID && t.isInteger()) || (t == TypeKind.OID && f.isInteger())) {
        return to.coerce(v); // range-checked: oid is unsigned 32-bit
      }
      if (SqlTypes.isNumeric(from) && SqlTypes.isNumeric(to)) {
        if (t == TypeKind.FLOAT8) {
          return ((Number) v).doubleValue();
        }
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
          throw outOfRange(to);
        }
        return to.coerce(v);
      }
      if (v instanceof PgTimestamp && (t == TypeKind.TIMESTAMP || t == TypeKind.TIMESTAMPTZ)) {
        return v; // UTC: the same instant reads the same either way
      }
      if (f == t) {
        return v;
      }
    } catch (org.walden.storage.StorageException e) {
      throw Errors.fromStorage(e);
    }
    throw new SqlException(
        "42846",
        "cannot cast type " + from.kind().pgName() + " to " + to.kind().pgName(),
        null,
        null,
        0);
  }

  private static final BigDecimal TWO_64 = new BigDecimal(java.math.BigInteger.ONE.shiftLeft(64));

  /** An LSN as the unsigned number it is. */
  static BigDecimal lsnNumeric(org.walden.wal.Lsn l) {
    long v = l.value();
    BigDecimal d = BigDecimal.valueOf(v);
    return v < 0 ? d.add(TWO_64) : d;
  }

  /**
   * The pg_lsn operators: {@code pg_lsn - pg_lsn} → numeric (pg_lsn_mi), {@code pg_lsn + numeric},
   * {@code numeric + pg_lsn} and {@code pg_lsn - numeric} → pg_lsn (22003 "pg_lsn out of range"
   * outside 0 … 2^64−1). Any other combination has no operator (42883).
   */
  static Compiled lsnArith(String op, Compiled left, Compiled right, ColumnType lt, ColumnType rt) {
    boolean ll = lt.kind() == TypeKind.PG_LSN;
    boolean rl = rt.kind() == TypeKind.PG_LSN;
    Eval le = left.eval();
    Eval re = right.eval();
    boolean constant = left.constant() && right.constant();
    if (op.equals("-") && ll && rl) {
      return Compiled.of(
          c -> {
            Object x = le.eval(c);
            Object y = re.eval(c);
            return x == null || y == null
                ? null
                : lsnNumeric((org.walden.wal.Lsn) x).subtract(lsnNumeric((org.walden.wal.Lsn) y));
          },
          ColumnType.NUMERIC,
          Compiled.NO_NAME,
          constant);
    }
    boolean plus = op.equals("+");
    if ((plus && ll != rl && SqlTypes.isNumeric(ll ? rt : lt))
        || (op.equals("-") && ll && SqlTypes.isNumeric(rt))) {
      Eval lsnE = ll ? le : re;
      Eval numE = ll ? re : le;
      return Compiled.of(
          c -> {
            Object x = lsnE.eval(c);
            Object y = numE.eval(c);
            if (x == null || y == null) {
              return null;
            }
            BigDecimal n = toBig(y);
            BigDecimal r = lsnNumeric((org.walden.wal.Lsn) x);
            r = plus ? r.add(n) : r.subtract(n);
            r = r.setScale(0, RoundingMode.HALF_UP);
            if (r.signum() < 0 || r.compareTo(TWO_64) >= 0) {
              throw new SqlException("22003", "pg_lsn out of range");
            }
            return org.walden.wal.Lsn.of(r.toBigInteger().longValue());
          },
          ColumnType.PG_LSN,
          Compiled.NO_NAME,
          constant);
    }
    throw Errors.noOperator(op, lt.kind().pgName(), rt.kind().pgName());
  }
}
