package org.walden.sql.exec;

/** SQL's three-valued logic and NULL-aware comparison. Stateless. */
final class Logic {
  private Logic() {}

  static Object and(Eval l, Eval r, EvalContext c) {
    Object a = l.eval(c);
    if (Boolean.FALSE.equals(a)) {
      return Boolean.FALSE;
    }
    Object b = r.eval(c);
    if (Boolean.FALSE.equals(b)) {
      return Boolean.FALSE;
    }
    return a == null || b == null ? null : Boolean.TRUE;
  }

  static Object or(Eval l, Eval r, EvalContext c) {
    Object a = l.eval(c);
    if (Boolean.TRUE.equals(a)) {
      return Boolean.TRUE;
    }
    Object b = r.eval(c);
    if (Boolean.TRUE.equals(b)) {
      return Boolean.TRUE;
    }
    return a == null || b == null ? null : Boolean.FALSE;
  }

  /** {@code l op r} with op 0 =, 1 <>, 2 <, 3 <=, 4 >, 5 >=; null if either side is NULL. */
  static Object cmp(Eval l, Eval r, EvalContext c, int op) {
    Object a = l.eval(c);
    if (a == null) {
      return null;
    }
    Object b = r.eval(c);
    if (b == null) {
      return null;
    }
    int x = Ops.compare(a, b);
    return switch (op) {
      case 0 -> x == 0;
      case 1 -> x != 0;
      case 2 -> x < 0;
      case 3 -> x <= 0;
      case 4 -> x > 0;
      default -> x >= 0;
    };
  }

  static boolean notDistinct(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Ops.compare(a, b) == 0;
  }

  static Boolean between(Object v, Object lo, Object hi) {
    Boolean ge = v == null || lo == null ? null : Ops.compare(v, lo) >= 0;
    Boolean le = v == null || hi == null ? null : Ops.compare(v, hi) <= 0;
    if (Boolean.FALSE.equals(ge) || Boolean.FALSE.equals(le)) {
      return Boolean.FALSE;
    }
    return ge == null || le == null ? null : Boolean.TRUE;
  }

  static boolean isTrue(Object v) {
    return v == Boolean.TRUE || Boolean.TRUE.equals(v);
  }
}
