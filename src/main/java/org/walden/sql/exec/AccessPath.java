package org.walden.sql.exec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.Expr.BinaryOp;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.table.Table;
import org.walden.storage.txn.RowCursor;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.ColumnType;

/**
 * How a statement finds the rows of its table, chosen from the WHERE clause at prepare time:
 *
 * <ul>
 *   <li>POINT: every primary key column is pinned by {@code col = value} with a row-independent
 *       value (constants, parameters): one {@link Transaction#get}.
 *   <li>RANGE: a single-column primary key is bounded by {@code <, <=, >, >=} or BETWEEN: an
 *       ordered {@link Transaction#scan} between the bounds.
 *   <li>FULL: a scan of the whole table.
 * </ul>
 *
 * The WHERE clause is still applied to every row found ({@link #filter}) except when a point lookup
 * on an integer key consumed all of it, so the access path only ever narrows the rows looked at and
 * never decides a result. Immutable; shared by all executions of a plan.
 */
final class AccessPath {

  enum Kind {
    POINT,
    RANGE,
    FULL
  }

  final Kind kind;
  private final Eval[] key;
  private final Eval lo;
  private final Eval hi;
  private final boolean loInclusive;
  private final boolean hiInclusive;

  /** The condition each row must meet, or null for none. */
  final Eval filter;

  private AccessPath(
      Kind kind, Eval[] key, Eval lo, boolean loInc, Eval hi, boolean hiInc, Eval filter) {
    this.kind = kind;
    this.key = key;
    this.lo = lo;
    this.loInclusive = loInc;
    this.hi = hi;
    this.hiInclusive = hiInc;
    this.filter = filter;
  }

  static AccessPath plan(Expr where, TableSchema schema, ExprCompiler comp, String clause) {
    Eval filter = where == null ? null : comp.compileCondition(where, clause).eval();
    int[] pk = schema.primaryKey();
    if (where == null || pk.length == 0) {
      return new AccessPath(Kind.FULL, null, null, false, null, false, filter);
    }
    List<Expr> parts = new ArrayList<>();
    Exprs.conjuncts(where, parts);
    Eval[] key = new Eval[pk.length];
    int pinned = 0;
    boolean exactTypes = true;
    Eval lo = null;
    Eval hi = null;
    boolean loInc = false;
    boolean hiInc = false;
    for (Expr part : parts) {
      if (part instanceof Expr.Between b
          && !b.negated()
          && !b.symmetric()
          && pk.length == 1
          && isColumn(b.operand(), schema, pk[0], comp)
          && Exprs.isRowIndependent(b.low())
          && Exprs.isRowIndependent(b.high())) {
        ColumnType t = schema.column(pk[0]).type();
        lo = comp.compile(b.low(), t).eval();
        hi = comp.compile(b.high(), t).eval();
        loInc = true;
        hiInc = true;
        continue;
      }
      if (!(part instanceof Expr.Binary bin)) {
        continue;
      }
      BinaryOp op = bin.op();
      Expr colSide = bin.left();
      Expr valSide = bin.right();
      if (!(colSide instanceof Expr.ColumnRef)) {
        colSide = bin.right();
        valSide = bin.left();
        op = flip(op);
      }
      if (op == null || !(colSide instanceof Expr.ColumnRef) || !Exprs.isRowIndependent(valSide)) {
        continue;
      }
      for (int k = 0; k < pk.length; k++) {
        if (!isColumn(colSide, schema, pk[k], comp)) {
          continue;
        }
        ColumnType t = schema.column(pk[k]).type();
        Compiled v = comp.compile(valSide, t);
        if (op == BinaryOp.EQ) {
          if (key[k] == null) {
            pinned++;
          }
          key[k] = v.eval();
          exactTypes &= v.type().kind().isInteger() && t.kind().isInteger();
        } else if (k == 0 && pk.length == 1) {
          switch (op) {
            case GT, GE -> {
              lo = v.eval();
              loInc = op == BinaryOp.GE;
            }
            case LT, LE -> {
              hi = v.eval();
              hiInc = op == BinaryOp.LE;
            }
            default -> {}
          }
        }
      }
    }
    if (pinned == pk.length) {
      boolean allConsumed = parts.size() == pk.length && exactTypes && schema.hasLongKey();
      return new AccessPath(Kind.POINT, key, null, false, null, false, allConsumed ? null : filter);
    }
    if (lo != null || hi != null) {
      return new AccessPath(Kind.RANGE, null, lo, loInc, hi, hiInc, filter);
    }
    return new AccessPath(Kind.FULL, null, null, false, null, false, filter);
  }

  private static boolean isColumn(Expr e, TableSchema schema, int col, ExprCompiler comp) {
    if (!(e instanceof Expr.ColumnRef r)) {
      return false;
    }
    if (r.table() != null && !r.table().equals(comp.scope().qualifier())) {
      return false;
    }
    return r.column().equals(schema.column(col).name());
  }

  private static BinaryOp flip(BinaryOp op) {
    return switch (op) {
      case EQ -> BinaryOp.EQ;
      case LT -> BinaryOp.GT;
      case LE -> BinaryOp.GE;
      case GT -> BinaryOp.LT;
      case GE -> BinaryOp.LE;
      default -> null;
    };
  }

  /**
   * The point lookup's key in the table's key form, or null if no row can match (a NULL, or a value
   * the key column cannot hold).
   */
  Object pointKey(TableSchema schema, EvalContext c) {
    if (schema.hasLongKey()) {
      return asLong(key[0].eval(c));
    }
    Object[] vals = new Object[key.length];
    for (int i = 0; i < key.length; i++) {
      vals[i] = key[i].eval(c);
      if (vals[i] == null) {
        return null;
      }
    }
    try {
      return schema.normalizeKey(vals);
    } catch (StorageException e) {
      return null; // a value the key type cannot hold equals no stored key
    }
  }

  private static Object asLong(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.2e18) {
      return d.longValue();
    }
    return null;
  }

  private Object bound(Eval e, TableSchema schema, EvalContext c) {
    if (e == null) {
      return null;
    }
    Object v = e.eval(c);
    if (v == null) {
      return null;
    }
    if (schema.hasLongKey()) {
      return asLong(v); // a fractional bound is dropped; the filter still applies it
    }
    try {
      return schema.normalizeKey(v);
    } catch (StorageException | IllegalArgumentException ex) {
      return null;
    }
  }

  /** The rows this path reads. */
  RowSource open(Transaction txn, Table t, EvalContext c) {
    TableSchema s = t.schema();
    switch (kind) {
      case POINT -> {
        Object k = pointKey(s, c);
        byte[] row = k == null ? null : txn.get(t, k);
        return RowSource.single(k, row);
      }
      case RANGE -> {
        if ((lo != null && lo.eval(c) == null) || (hi != null && hi.eval(c) == null)) {
          return RowSource.single(null, null); // comparison with NULL: no row
        }
        Object from = bound(lo, s, c);
        Object to = bound(hi, s, c);
        return RowSource.of(
            txn.scan(t, from, from == null || loInclusive, to, to == null || hiInclusive));
      }
      default -> {
        return RowSource.of(txn.scan(t));
      }
    }
  }

  /** A forward iterator over (key, row image) pairs. */
  interface RowSource {
    boolean next();

    Object key();

    byte[] row();

    static RowSource single(Object key, byte[] row) {
      return new RowSource() {
        private boolean done = row == null;

        @Override
        public boolean next() {
          if (done) {
            return false;
          }
          done = true;
          return true;
        }

        @Override
        public Object key() {
          return key;
        }

        @Override
        public byte[] row() {
          return row;
        }
      };
    }

    static RowSource of(RowCursor cur) {
      return new RowSource() {
        @Override
        public boolean next() {
          return cur.next();
        }

        @Override
        public Object key() {
          return cur.key();
        }

        @Override
        public byte[] row() {
          return cur.row();
        }
      };
    }
  }
}
