package org.walden.sql.exec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.Expr.BinaryOp;
import org.walden.storage.StorageException;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.TypeKind;

/**
 * Turns {@link Expr} trees into {@link Eval}s: resolves column names against a {@link Scope}, types
 * every node (PostgreSQL's parse analysis, simplified), infers the types of parameters the client
 * left unspecified from the context they appear in, and folds string literals into the type they
 * are compared with or assigned to.
 *
 * <p>Lifecycle: one compiler per statement being prepared, used on the preparing thread only and
 * then dropped; it writes inferred types into the {@code paramTypes} array it was given.
 *
 * <p>Grouped queries use two compilers: the row compiler (group keys and aggregate arguments) and
 * the grouped one made by {@link #grouped}, which maps expressions equal to a GROUP BY expression
 * to the group key and aggregates to their results, and refuses other column references (42803).
 */
final class ExprCompiler {

  private final Scope scope;
  private final Scope excluded;
  final int[] paramTypes;

  /** Grouped mode: the GROUP BY expressions, else null. */
  private final List<Expr> groupBy;

  /** Grouped mode: compiles aggregate arguments against the rows. */
  private final ExprCompiler rowCompiler;

  /** Grouped mode: the aggregates found, in slot order. */
  final List<Aggregates.Spec> aggs = new ArrayList<>();

  /** The scope's columns referenced so far (a SELECT decodes only these). */
  final java.util.BitSet used = new java.util.BitSet();

  /** Where aggregates are refused, the clause name for the error; null where allowed. */
  private String noAggregatesIn;

  ExprCompiler(Scope scope, Scope excluded, int[] paramTypes) {
    this(scope, excluded, paramTypes, null, null);
  }

  private ExprCompiler(
      Scope scope, Scope excluded, int[] paramTypes, List<Expr> groupBy, ExprCompiler rows) {
    this.scope = scope;
    this.excluded = excluded;
    this.paramTypes = paramTypes;
    this.groupBy = groupBy;
    this.rowCompiler = rows;
  }

  /** A compiler for the output of a grouped query. */
  ExprCompiler grouped(List<Expr> groupByExprs) {
    return new ExprCompiler(scope, excluded, paramTypes, groupByExprs, this);
  }

  Scope scope() {
    return scope;
  }

  /** Compiles {@code e} where aggregates are not allowed ({@code clause} names the place). */
  Compiled compileNoAggregates(Expr e, ColumnType hint, String clause) {
    String saved = noAggregatesIn;
    noAggregatesIn = clause;
    try {
      return compile(e, hint);
    } finally {
      noAggregatesIn = saved;
    }
  }

  /** Compiles a condition: must be boolean (or unknown, read as boolean). */
  Compiled compileCondition(Expr e, String clause) {
    Compiled c = compileNoAggregates(e, ColumnType.BOOLEAN, clause);
    requireBoolean(c, clause);
    return c;
  }

  Compiled compileHaving(Expr e) {
    Compiled c = compile(e, ColumnType.BOOLEAN);
    requireBoolean(c, "HAVING");
    return c;
  }

  private static void requireBoolean(Compiled c, String clause) {
    if (c.type().kind() != TypeKind.BOOLEAN && !c.unknown()) {
      throw Errors.datatypeMismatch(
          "argument of " + clause + " must be type boolean, not type " + c.type().kind().pgName());
    }
  }

  /**
   * Compiles {@code e}. {@code hint} is the type the context expects (the column assigned to, the
   * other side of a comparison), or null; it decides the type of literals and parameters.
   */
  Compiled compile(Expr e, ColumnType hint) {
    if (groupBy != null) {
      int g = groupBy.indexOf(e);
      if (g >= 0) {
        Compiled k = rowCompiler.compile(e, hint);
        final int slot = g;
        return new Compiled(
            c -> c.groupKey[slot],
            k.type(),
            k.unknown(),
            k.name(),
            k.tableOid(),
            k.attnum(),
            false);
      }
    }
    return switch (e) {
      case Expr.Null n -> {
        ColumnType t = hint != null ? hint : ColumnType.TEXT;
        yield new Compiled(c -> null, t, hint == null, Compiled.NO_NAME, 0, 0, true);
      }
      case Expr.BoolLit b -> {
        Boolean v = b.value();
        yield Compiled.of(c -> v, ColumnType.BOOLEAN, "bool", true);
      }
      case Expr.IntLit i -> {
        if (i.value() >= Integer.MIN_VALUE && i.value() <= Integer.MAX_VALUE) {
          Integer v = (int) i.value();
          yield Compiled.of(c -> v, ColumnType.INTEGER, Compiled.NO_NAME, true);
        }
        Long v = i.value();
        yield Compiled.of(c -> v, ColumnType.BIGINT, Compiled.NO_NAME, true);
      }
      case Expr.NumericLit n -> {
        BigDecimal v = new BigDecimal(n.text());
        yield Compiled.of(c -> v, ColumnType.NUMERIC, Compiled.NO_NAME, true);
      }
      case Expr.StringLit s -> stringLiteral(s.value(), hint);
      case Expr.TypedLit t -> {
        ColumnType type = SqlTypes.ofName(t.type());
        Object v = parseConstant(type, t.value());
        yield Compiled.of(c -> v, type, t.type().name(), true);
      }
      case Expr.Param p -> param(p.index(), hint);
      case Expr.ColumnRef r -> column(r);
      case Expr.Unary u -> unary(u, hint);
      case Expr.Binary b -> binary(b, hint);
      case Expr.IsNull n -> {
        Eval x = compile(n.operand(), null).eval();
        boolean neg = n.negated();
        yield Compiled.of(
            c -> (x.eval(c) == null) != neg, ColumnType.BOOLEAN, Compiled.NO_NAME, false);
      }
      case Expr.IsBool b -> {
        Compiled x = compile(b.operand(), ColumnType.BOOLEAN);
        requireBoolean(x, "IS " + (b.value() ? "TRUE" : "FALSE"));
        Eval xe = x.eval();
        Boolean want = b.value();
        boolean neg = b.negated();
        yield Compiled.of(
            c -> want.equals(xe.eval(c)) != neg, ColumnType.BOOLEAN, Compiled.NO_NAME, false);
      }
      case Expr.InList in -> inList(in);
      case Expr.Between b -> between(b);
      case Expr.Like l -> like(l);
      case Expr.Case k -> caseExpr(k, hint);
      case Expr.Cast k -> cast(k);
      case Expr.FuncCall f -> function(f, hint);
      case Expr.SqlValue v -> Functions.sqlValue(v);
      case Expr.Default d -> throw Errors.syntax("DEFAULT is not allowed in this context");
    };
  }

  private static Object parseConstant(ColumnType type, String text) {
    try {
      return type.parse(text);
    } catch (StorageException ex) {
      throw Errors.fromStorage(ex);
    }
  }

  private Compiled stringLiteral(String s, ColumnType hint) {
    if (hint == null || SqlTypes.isText(hint)) {
      ColumnType t = hint != null && hint.kind() == TypeKind.BPCHAR ? hint : ColumnType.TEXT;
      Object v = t == ColumnType.TEXT ? s : parseConstant(t, s);
      return new Compiled(c -> v, t, hint == null, Compiled.NO_NAME, 0, 0, true);
    }
    Object v = parseConstant(hint, s);
    return new Compiled(c -> v, hint, false, Compiled.NO_NAME, 0, 0, true);
  }

  private Compiled param(int index, ColumnType hint) {
    if (index < 1 || index > paramTypes.length) {
      throw new SqlException("42P02", "there is no parameter $" + index);
    }
    int i = index - 1;
    boolean unknown = false;
    if (paramTypes[i] == SqlTypes.UNSPECIFIED || paramTypes[i] == SqlTypes.UNKNOWN_OID) {
      if (hint != null) {
        paramTypes[i] = hint.oid();
      } else {
        unknown = true;
      }
    }
    ColumnType declared = unknown ? ColumnType.TEXT : SqlTypes.ofOid(paramTypes[i]);
    // A text-typed parameter used where another type is expected (pgjdbc's setString sends
    // varchar) is read as that type's input, as if the client had left it unspecified.
    ColumnType t =
        hint != null && SqlTypes.isText(declared) && !SqlTypes.isText(hint) ? hint : declared;
    Eval e = paramEval(i, t);
    return new Compiled(e, t, unknown, Compiled.NO_NAME, 0, 0, true);
  }

  private static Eval paramEval(int i, ColumnType t) {
    return switch (t.kind()) {
      case INTEGER ->
          c -> {
            Object v = c.params[i];
            return v == null || v instanceof Integer ? v : convertParam(v, t);
          };
      case BIGINT ->
          c -> {
            Object v = c.params[i];
            return v == null || v instanceof Long ? v : convertParam(v, t);
          };
      default ->
          c -> {
            Object v = c.params[i];
            return v == null ? null : convertParam(v, t);
          };
    };
  }

  private static Object convertParam(Object v, ColumnType t) {
    try {
      if (v instanceof String s && !SqlTypes.isText(t)) {
        return t.parse(s);
      }
      if (SqlTypes.isText(t) && !(v instanceof String)) {
        return v.toString();
      }
      return t.coerce(v);
    } catch (StorageException e) {
      throw Errors.fromStorage(e);
    }
  }

  private Compiled column(Expr.ColumnRef r) {
    if (groupBy != null) {
      throw new SqlException(
          "42803",
          "column \""
              + (r.table() != null ? r.table() + "." : "")
              + r.column()
              + "\" must appear in the GROUP BY clause or be used in an aggregate function");
    }
    if (r.table() != null && excluded != null && r.table().equals("excluded")) {
      int i = excluded.indexOf(r.column());
      if (i < 0) {
        throw Errors.undefinedColumn(r.table(), r.column());
      }
      return new Compiled(
          c -> c.excluded[i], excluded.types().get(i), false, r.column(), 0, 0, false);
    }
    if (r.table() != null && !r.table().equals(scope.qualifier())) {
      throw new SqlException("42P01", "missing FROM-clause entry for table \"" + r.table() + "\"");
    }
    int i = scope.indexOf(r.column());
    if (i < 0) {
      throw Errors.undefinedColumn(r.table(), r.column());
    }
    used.set(i);
    return new Compiled(
        c -> c.row[i], scope.types().get(i), false, r.column(), scope.tableOid(), i + 1, false);
  }

  private Compiled unary(Expr.Unary u, ColumnType hint) {
    if (u.op() == Expr.UnaryOp.NOT) {
      Compiled x = compile(u.operand(), ColumnType.BOOLEAN);
      requireBoolean(x, "NOT");
      Eval xe = x.eval();
      return Compiled.of(
          c -> {
            Object v = xe.eval(c);
            return v == null ? null : !(Boolean) v;
          },
          ColumnType.BOOLEAN,
          Compiled.NO_NAME,
          x.constant());
    }
    Compiled x = compile(u.operand(), hint != null && SqlTypes.isNumeric(hint) ? hint : null);
    ColumnType t = x.unknown() ? ColumnType.NUMERIC : x.type();
    if (!SqlTypes.isNumeric(t)) {
      throw new SqlException(
          "42883",
          "operator does not exist: "
              + (u.op() == Expr.UnaryOp.NEG ? "-" : "+")
              + " "
              + t.kind().pgName(),
          null,
          "No operator matches the given name and argument type. You might need to add an explicit"
              + " type cast.",
          0);
    }
    if (u.op() == Expr.UnaryOp.PLUS) {
      return Compiled.of(x.eval(), t, Compiled.NO_NAME, x.constant());
    }
    Eval xe = x.eval();
    return Compiled.of(
        c -> {
          Object v = xe.eval(c);
          return v == null ? null : Ops.negate(v, t);
        },
        t,
        Compiled.NO_NAME,
        x.constant());
  }

  /** Compiles two operands so that an untyped one takes the other's type. */
  private Compiled[] pair(Expr l, Expr r, ColumnType hint) {
    Compiled a = compile(l, null);
    Compiled b = compile(r, a.unknown() ? null : a.type());
    if (a.unknown() && !b.unknown()) {
      a = compile(l, b.type());
    } else if (a.unknown() && b.unknown() && hint != null) {
      a = compile(l, hint);
      b = compile(r, hint);
    }
    return new Compiled[] {a, b};
  }

  private Compiled binary(Expr.Binary b, ColumnType hint) {
    BinaryOp op = b.op();
    switch (op) {
      case AND, OR -> {
        Compiled l = compile(b.left(), ColumnType.BOOLEAN);
        Compiled r = compile(b.right(), ColumnType.BOOLEAN);
        requireBoolean(l, op.sql());
        requireBoolean(r, op.sql());
        Eval le = l.eval();
        Eval re = r.eval();
        boolean and = op == BinaryOp.AND;
        return Compiled.of(
            and ? c -> Logic.and(le, re, c) : c -> Logic.or(le, re, c),
            ColumnType.BOOLEAN,
            Compiled.NO_NAME,
            l.constant() && r.constant());
      }
      case CONCAT -> {
        Compiled[] p = pair(b.left(), b.right(), ColumnType.TEXT);
        Eval le = p[0].eval();
        Eval re = p[1].eval();
        ColumnType lt = p[0].type();
        ColumnType rt = p[1].type();
        return Compiled.of(
            c -> {
              Object x = le.eval(c);
              Object y = re.eval(c);
              if (x == null || y == null) {
                return null;
              }
              return text(x, lt).concat(text(y, rt));
            },
            ColumnType.TEXT,
            Compiled.NO_NAME,
            p[0].constant() && p[1].constant());
      }
      case ADD, SUB, MUL, DIV, MOD -> {
        Compiled[] p =
            pair(b.left(), b.right(), hint != null && SqlTypes.isNumeric(hint) ? hint : null);
        ColumnType lt = p[0].unknown() ? ColumnType.INTEGER : p[0].type();
        ColumnType rt = p[1].unknown() ? ColumnType.INTEGER : p[1].type();
        if (lt.kind() == TypeKind.PG_LSN || rt.kind() == TypeKind.PG_LSN) {
          return Ops.lsnArith(op.sql(), p[0], p[1], lt, rt);
        }
        if (!SqlTypes.isNumeric(lt) || !SqlTypes.isNumeric(rt)) {
          throw Errors.noOperator(op.sql(), lt.kind().pgName(), rt.kind().pgName());
        }
        ColumnType t = SqlTypes.numericRank(lt) >= SqlTypes.numericRank(rt) ? lt : rt;
        if (t.kind() == TypeKind.SMALLINT && lt.kind() != rt.kind()) {
          t = ColumnType.INTEGER;
        }
        final ColumnType rtype = t;
        char ch = op.sql().charAt(0);
        Eval le = p[0].eval();
        Eval re = p[1].eval();
        Eval e;
        if (rtype.kind() == TypeKind.INTEGER && ch == '+') {
          e =
              c -> {
                Object x = le.eval(c);
                Object y = re.eval(c);
                if (x == null || y == null) {
                  return null;
                }
                long s = ((Number) x).longValue() + ((Number) y).longValue();
                if (s != (int) s) {
                  throw Ops.outOfRange(rtype);
                }
                return (int) s;
              };
        } else {
          e =
              c -> {
                Object x = le.eval(c);
                Object y = re.eval(c);
                return x == null || y == null ? null : Ops.arith(ch, x, y, rtype);
              };
        }
        return Compiled.of(e, rtype, Compiled.NO_NAME, p[0].constant() && p[1].constant());
      }
      case POW -> {
        Compiled[] p = pair(b.left(), b.right(), ColumnType.FLOAT8);
        Eval le = p[0].eval();
        Eval re = p[1].eval();
        return Compiled.of(
            c -> {
              Object x = le.eval(c);
              Object y = re.eval(c);
              return x == null || y == null
                  ? null
                  : Math.pow(((Number) x).doubleValue(), ((Number) y).doubleValue());
            },
            ColumnType.FLOAT8,
            Compiled.NO_NAME,
            p[0].constant() && p[1].constant());
      }
      default -> {
        return comparison(op, b.left(), b.right());
      }
    }
  }

  static String text(Object v, ColumnType t) {
    if (v instanceof String s) {
      return t.kind() == TypeKind.BPCHAR ? stripTrailingBlanks(s) : s;
    }
    return t.format(v);
  }

  static String stripTrailingBlanks(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  private static Eval stripBlanks(Eval e) {
    return c -> {
      Object v = e.eval(c);
      return v instanceof String s ? stripTrailingBlanks(s) : v;
    };
  }

  private Compiled comparison(BinaryOp op, Expr l, Expr r) {
    Compiled[] p = pair(l, r, ColumnType.TEXT);
    ColumnType lt = p[0].type();
    ColumnType rt = p[1].type();
    if (!SqlTypes.comparable(lt, rt) && !p[0].unknown() && !p[1].unknown()) {
      throw Errors.noOperator(op.sql(), lt.kind().pgName(), rt.kind().pgName());
    }
    boolean bpchar = lt.kind() == TypeKind.BPCHAR || rt.kind() == TypeKind.BPCHAR;
    // character(n) compares without its trailing blanks, whatever the other side's padding
    Eval le = bpchar ? stripBlanks(p[0].eval()) : p[0].eval();
    Eval re = bpchar ? stripBlanks(p[1].eval()) : p[1].eval();
    Eval e =
        switch (op) {
          case EQ -> c -> Logic.cmp(le, re, c, 0);
          case NE -> c -> Logic.cmp(le, re, c, 1);
          case LT -> c -> Logic.cmp(le, re, c, 2);
          case LE -> c -> Logic.cmp(le, re, c, 3);
          case GT -> c -> Logic.cmp(le, re, c, 4);
          case GE -> c -> Logic.cmp(le, re, c, 5);
          case IS_DISTINCT_FROM -> c -> !Logic.notDistinct(le.eval(c), re.eval(c));
          case IS_NOT_DISTINCT_FROM -> c -> Logic.notDistinct(le.eval(c), re.eval(c));
          default -> throw new IllegalStateException("not a comparison: " + op);
        };
    return Compiled.of(e, ColumnType.BOOLEAN, Compiled.NO_NAME, p[0].constant() && p[1].constant());
  }

  private Compiled inList(Expr.InList in) {
    Compiled x = compile(in.operand(), null);
    ColumnType t = x.type();
    if (x.unknown()) {
      for (Expr item : in.list()) {
        Compiled ci = compile(item, null);
        if (!ci.unknown()) {
          t = ci.type();
          x = compile(in.operand(), t);
          break;
        }
      }
    }
    Eval xe = x.eval();
    Eval[] items = new Eval[in.list().size()];
    for (int i = 0; i < items.length; i++) {
      Compiled ci = compile(in.list().get(i), t);
      if (!SqlTypes.comparable(t, ci.type()) && !ci.unknown()) {
        throw Errors.noOperator("=", t.kind().pgName(), ci.type().kind().pgName());
      }
      items[i] = ci.eval();
    }
    boolean neg = in.negated();
    return Compiled.of(
        c -> {
          Object v = xe.eval(c);
          if (v == null) {
            return null;
          }
          boolean sawNull = false;
          for (Eval item : items) {
            Object w = item.eval(c);
            if (w == null) {
              sawNull = true;
            } else if (Ops.compare(v, w) == 0) {
              return !neg;
            }
          }
          return sawNull ? null : neg;
        },
        ColumnType.BOOLEAN,
        Compiled.NO_NAME,
        false);
  }

  private Compiled between(Expr.Between b) {
    Compiled x = compile(b.operand(), null);
    ColumnType t = x.unknown() ? compile(b.low(), null).type() : x.type();
    if (x.unknown()) {
      x = compile(b.operand(), t);
    }
    Eval xe = x.eval();
    Eval lo = compile(b.low(), t).eval();
    Eval hi = compile(b.high(), t).eval();
    boolean neg = b.negated();
    boolean sym = b.symmetric();
    return Compiled.of(
        c -> {
          Object v = xe.eval(c);
          Object l = lo.eval(c);
          Object h = hi.eval(c);
          Boolean r = Logic.between(v, l, h);
          if (sym && !Boolean.TRUE.equals(r)) {
            Boolean r2 = Logic.between(v, h, l);
            r = Boolean.TRUE.equals(r2) ? Boolean.TRUE : (r == null || r2 == null ? null : false);
          }
          return r == null ? null : r != neg;
        },
        ColumnType.BOOLEAN,
        Compiled.NO_NAME,
        false);
  }

  private Compiled like(Expr.Like l) {
    Compiled x = compile(l.operand(), ColumnType.TEXT);
    Compiled p = compile(l.pattern(), ColumnType.TEXT);
    if (!SqlTypes.isText(x.type()) || !SqlTypes.isText(p.type())) {
      throw Errors.noOperator(
          l.caseInsensitive() ? "~~*" : "~~", x.type().kind().pgName(), p.type().kind().pgName());
    }
    Eval esc = l.escape() == null ? null : compile(l.escape(), ColumnType.TEXT).eval();
    Eval xe = x.type().kind() == TypeKind.BPCHAR ? stripBlanks(x.eval()) : x.eval();
    Eval pe = p.eval();
    boolean ci = l.caseInsensitive();
    boolean neg = l.negated();
    Pattern fixed = null;
    if (p.constant() && esc == null && l.pattern() instanceof Expr.StringLit s) {
      fixed = Ops.likePattern(s.value(), '\\', ci);
    }
    final Pattern pre = fixed;
    return Compiled.of(
        c -> {
          Object v = xe.eval(c);
          if (v == null) {
            return null;
          }
          Pattern pat = pre;
          if (pat == null) {
            Object pv = pe.eval(c);
            if (pv == null) {
              return null;
            }
            char e = '\\';
            if (esc != null) {
              Object ev = esc.eval(c);
              if (ev == null) {
                return null;
              }
              String es = (String) ev;
              if (es.length() > 1) {
                throw new SqlException(
                    "22019",
                    "invalid escape string",
                    null,
                    "Escape string must be empty or one character.",
                    0);
              }
              e = es.isEmpty() ? 0 : es.charAt(0);
            }
            pat = Ops.likePattern((String) pv, e, ci);
          }
          return pat.matcher((String) v).matches() != neg;
        },
        ColumnType.BOOLEAN,
        Compiled.NO_NAME,
        false);
  }

  private Compiled caseExpr(Expr.Case k, ColumnType hint) {
    Compiled operand = k.operand() == null ? null : compile(k.operand(), null);
    ColumnType rt = null;
    for (Expr.When w : k.whens()) {
      Compiled r = compile(w.result(), hint);
      if (!r.unknown()) {
        rt = r.type();
        break;
      }
    }
    if (rt == null && k.otherwise() != null) {
      Compiled r = compile(k.otherwise(), hint);
      if (!r.unknown()) {
        rt = r.type();
      }
    }
    if (rt == null) {
      rt = hint != null ? hint : ColumnType.TEXT;
    }
    int n = k.whens().size();
    Eval[] conds = new Eval[n];
    Eval[] results = new Eval[n];
    ColumnType[] rtypes = new ColumnType[n + 1];
    for (int i = 0; i < n; i++) {
      Expr.When w = k.whens().get(i);
      if (operand != null) {
        Compiled v = compile(w.condition(), operand.type());
        Eval oe = operand.eval();
        Eval ve = v.eval();
        conds[i] = c -> Logic.cmp(oe, ve, c, 0);
      } else {
        Compiled cond = compile(w.condition(), ColumnType.BOOLEAN);
        requireBoolean(cond, "CASE/WHEN");
        conds[i] = cond.eval();
      }
      Compiled r = compile(w.result(), rt);
      results[i] = r.eval();
      rtypes[i] = r.type();
    }
    Compiled other = k.otherwise() == null ? null : compile(k.otherwise(), rt);
    Eval oe = other == null ? c -> null : other.eval();
    rtypes[n] = other == null ? rt : other.type();
    final ColumnType type = rt;
    boolean mixed = false;
    for (ColumnType t : rtypes) {
      mixed |= !t.equals(type);
      if (!SqlTypes.comparable(t, type)) {
        throw Errors.datatypeMismatch(
            "CASE types "
                + type.kind().pgName()
                + " and "
                + t.kind().pgName()
                + " cannot be matched");
      }
    }
    final boolean convert = mixed;
    return Compiled.of(
        c -> {
          for (int i = 0; i < n; i++) {
            if (Boolean.TRUE.equals(conds[i].eval(c))) {
              Object v = results[i].eval(c);
              return convert && v != null ? Ops.cast(v, rtypes[i], type) : v;
            }
          }
          Object v = oe.eval(c);
          return convert && v != null ? Ops.cast(v, rtypes[n], type) : v;
        },
        type,
        "case",
        false);
  }

  private Compiled cast(Expr.Cast k) {
    ColumnType to = SqlTypes.ofName(k.type());
    Compiled x = compile(k.operand(), to);
    String name = x.name().equals(Compiled.NO_NAME) ? k.type().name() : x.name();
    if (x.unknown() || x.type().equals(to)) {
      return new Compiled(x.eval(), to, false, name, 0, 0, x.constant());
    }
    ColumnType from = x.type();
    Eval xe = x.eval();
    // fail now, not per row, when the cast cannot exist
    if (!SqlTypes.isText(to)
        && !SqlTypes.isText(from)
        && !SqlTypes.comparable(from, to)
        && !(from.kind() == TypeKind.BOOLEAN && to.kind().isInteger())
        && !(to.kind() == TypeKind.BOOLEAN && from.kind() == TypeKind.INTEGER)
        && !(to.kind() == TypeKind.OID && from.kind().isInteger())
        && !(from.kind() == TypeKind.OID && to.kind().isInteger())) {
      throw new SqlException(
          "42846", "cannot cast type " + from.kind().pgName() + " to " + to.kind().pgName());
    }
    return Compiled.of(
        c -> {
          Object v = xe.eval(c);
          return v == null ? null : Ops.cast(v, from, to);
        },
        to,
        name,
        x.constant());
  }

  private Compiled function(Expr.FuncCall f, ColumnType hint) {
    if (Aggregates.isAggregate(f.name())) {
      if (noAggregatesIn != null) {
        throw new SqlException("42803", "aggregate functions are not allowed in " + noAggregatesIn);
      }
      if (groupBy == null) {
        throw new IllegalStateException("aggregate outside a grouped query: " + f);
      }
      Compiled arg = null;
      if (!f.star()) {
        if (f.args().size() != 1) {
          throw Functions.undefined(f.name(), argTypes(f, rowCompiler));
        }
        rowCompiler.noAggregatesIn = "aggregate function calls";
        try {
          arg = rowCompiler.compile(f.args().get(0), null);
        } catch (SqlException e) {
          if (e.getMessage().startsWith("aggregate functions are not allowed")) {
            throw new SqlException("42803", "aggregate function calls cannot be nested");
          }
          throw e;
        } finally {
          rowCompiler.noAggregatesIn = null;
        }
      }
      Aggregates.Spec spec = Aggregates.spec(f, arg);
      int slot = aggs.size();
      aggs.add(spec);
      return Compiled.of(c -> c.aggs[slot], spec.type(), f.name(), false);
    }
    if (f.distinct() || f.star()) {
      throw Functions.undefined(f.name(), List.of());
    }
    List<Compiled> args = new ArrayList<>(f.args().size());
    for (Expr a : f.args()) {
      args.add(compile(a, Functions.argHint(f.name(), hint)));
    }
    return Functions.compile(f.schema(), f.name(), args, hint);
  }

  private static List<Compiled> argTypes(Expr.FuncCall f, ExprCompiler comp) {
    List<Compiled> out = new ArrayList<>();
    for (Expr a : f.args()) {
      out.add(comp.compile(a, null));
    }
    return out;
  }
}
