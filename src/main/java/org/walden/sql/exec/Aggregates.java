package org.walden.sql.exec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Set;
import org.walden.sql.parse.ast.Expr;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.TypeKind;

/**
 * The aggregate functions count, sum, min, max and avg: their result types (as PostgreSQL's
 * catalogs declare them: sum(int4) is bigint, avg(int) numeric) and their per-group accumulators.
 */
final class Aggregates {
  private Aggregates() {}

  static boolean isAggregate(String name) {
    return switch (name) {
      case "count", "sum", "min", "max", "avg" -> true;
      default -> false;
    };
  }

  /**
   * One aggregate call in a query.
   *
   * @param arg the argument, or null for {@code count(*)}
   */
  record Spec(String name, Compiled arg, boolean distinct, ColumnType type) {
    Acc newAcc() {
      Acc a =
          switch (name) {
            case "count" -> new Count();
            case "sum" -> new Sum(type);
            case "avg" -> new Avg(arg.type());
            default -> new MinMax(name.equals("min"));
          };
      return distinct ? new Distinct(a) : a;
    }
  }

  static Spec spec(Expr.FuncCall f, Compiled arg) {
    String n = f.name();
    if (arg == null) {
      if (!n.equals("count")) {
        throw Functions.undefined(n + "(*)", null);
      }
      return new Spec(n, null, false, ColumnType.BIGINT);
    }
    ColumnType t = arg.unknown() ? ColumnType.TEXT : arg.type();
    ColumnType result =
        switch (n) {
          case "count" -> ColumnType.BIGINT;
          case "sum" -> {
            requireNumeric(n, t);
            yield switch (t.kind()) {
              case SMALLINT, INTEGER -> ColumnType.BIGINT;
              case BIGINT, NUMERIC -> ColumnType.NUMERIC;
              default -> ColumnType.FLOAT8;
            };
          }
          case "avg" -> {
            requireNumeric(n, t);
            yield t.kind() == TypeKind.FLOAT8 ? ColumnType.FLOAT8 : ColumnType.NUMERIC;
          }
          default -> t.kind() == TypeKind.BPCHAR || t.kind() == TypeKind.VARCHAR ? t : t;
        };
    return new Spec(n, arg, f.distinct(), result);
  }

  private static void requireNumeric(String n, ColumnType t) {
    if (!SqlTypes.isNumeric(t)) {
      throw Functions.undefined(n + "(" + SqlTypes.displayName(t) + ")", null);
    }
  }

  /** A per-group accumulator; sees only non-null inputs (count(*) sees a marker). */
  interface Acc {
    void add(Object v);

    Object result();
  }

  static final class Count implements Acc {
    private long n;

    @Override
    public void add(Object v) {
      n++;
    }

    @Override
    public Object result() {
      return n;
    }
  }

  static final class Sum implements Acc {
    private final ColumnType type;
    private long l;
    private BigDecimal d;
    private double f;
    private boolean any;

    Sum(ColumnType type) {
      this.type = type;
    }

    @Override
    public void add(Object v) {
      any = true;
      switch (type.kind()) {
        case BIGINT -> {
          try {
            l = Math.addExact(l, ((Number) v).longValue());
          } catch (ArithmeticException e) {
            throw Ops.outOfRange(type);
          }
        }
        case FLOAT8 -> f += ((Number) v).doubleValue();
        default -> d = d == null ? Ops.toBig(v) : d.add(Ops.toBig(v));
      }
    }

    @Override
    public Object result() {
      if (!any) {
        return null;
      }
      return switch (type.kind()) {
        case BIGINT -> l;
        case FLOAT8 -> f;
        default -> d;
      };
    }
  }

  static final class Avg implements Acc {
    private final boolean floating;
    private BigDecimal sum = BigDecimal.ZERO;
    private double fsum;
    private long n;

    Avg(ColumnType argType) {
      this.floating = argType.kind() == TypeKind.FLOAT8;
    }

    @Override
    public void add(Object v) {
      n++;
      if (floating) {
        fsum += ((Number) v).doubleValue();
      } else {
        sum = sum.add(Ops.toBig(v));
      }
    }

    @Override
    public Object result() {
      if (n == 0) {
        return null;
      }
      if (floating) {
        return fsum / n;
      }
      BigDecimal count = BigDecimal.valueOf(n);
      int scale = Math.max(16, sum.scale());
      return sum.divide(count, scale, RoundingMode.HALF_UP);
    }
  }

  static final class MinMax implements Acc {
    private final boolean min;
    private Object best;

    MinMax(boolean min) {
      this.min = min;
    }

    @Override
    public void add(Object v) {
      if (best == null) {
        best = v;
      } else {
        int c = Ops.compare(v, best);
        if (min ? c < 0 : c > 0) {
          best = v;
        }
      }
    }

    @Override
    public Object result() {
      return best;
    }
  }

  static final class Distinct implements Acc {
    private final Acc inner;
    private final Set<Object> seen = new HashSet<>();

    Distinct(Acc inner) {
      this.inner = inner;
    }

    @Override
    public void add(Object v) {
      if (seen.add(Ops.hashable(v))) {
        inner.add(v);
      }
    }

    @Override
    public Object result() {
      return inner.result();
    }
  }
}
