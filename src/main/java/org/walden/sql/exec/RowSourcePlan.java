package org.walden.sql.exec;

import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.FromItem;
import org.walden.storage.table.Table;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.RowCodec;

/**
 * The FROM clause of a SELECT: nothing (one empty row), a table read through an {@link AccessPath},
 * {@code generate_series(start, stop[, step])}, or a {@link SystemViews system view}. Immutable;
 * {@link #open} starts one pass.
 */
final class RowSourcePlan {

  /** One pass over the source's rows; each {@link #next} sets {@code c.row}. */
  interface Rows {
    boolean next(EvalContext c);
  }

  private final TableRef table;
  private final AccessPath path;

  /**
   * The table columns the query reads, or null for all; others stay null in {@code c.row}. Set once
   * before the owning plan is constructed, which publishes it through its final field.
   */
  private int[] usedColumns;

  private final Eval[] series;
  private final ColumnType seriesType;
  private final SystemViews.View view;

  /** A function in FROM returning one row ({@code Object[]}) or null for none. */
  private final Eval rowFunction;

  final Scope scope;

  private RowSourcePlan(
      TableRef table,
      AccessPath path,
      Eval[] series,
      ColumnType seriesType,
      SystemViews.View view,
      Eval rowFunction,
      Scope scope) {
    this.table = table;
    this.path = path;
    this.series = series;
    this.seriesType = seriesType;
    this.view = view;
    this.rowFunction = rowFunction;
    this.scope = scope;
  }

  /** The source's scope, before WHERE is compiled. */
  static Scope scopeOf(FromItem from, TableRef table, ColumnType seriesType) {
    return switch (from) {
      case null -> Scope.EMPTY;
      case FromItem.Table t -> Scope.of(table.schema(), t.alias());
      case FromItem.Function f -> {
        String name = f.alias() != null ? f.alias() : f.call().name();
        yield new Scope(name, java.util.List.of(name), java.util.List.of(seriesType), 0);
      }
    };
  }

  static RowSourcePlan none() {
    return new RowSourcePlan(null, null, null, null, null, null, Scope.EMPTY);
  }

  static RowSourcePlan table(TableRef t, AccessPath path, Scope scope) {
    return new RowSourcePlan(t, path, null, null, null, null, scope);
  }

  /** A system view; its rows are read from the session's server status when a pass starts. */
  static RowSourcePlan view(SystemViews.View v, Scope scope) {
    return new RowSourcePlan(null, null, null, null, v, null, scope);
  }

  /**
   * Restricts decoding to the columns the statement references: a SELECT of one integer does not
   * build the strings of the other columns. Called once while the plan is built.
   */
  void decodeOnly(java.util.BitSet used) {
    if (used.cardinality() < scope.size()) {
      usedColumns = used.stream().toArray();
    }
  }

  /**
   * Whether a FROM function returns one composite row (pg_walfile_name_offset, the slot functions).
   */
  static boolean isRowFunction(Expr.FuncCall f) {
    return (f.name().equals("pg_walfile_name_offset")
            || SlotFunctions.ROW_FUNCTIONS.contains(f.name()))
        && (f.schema() == null || f.schema().equals("pg_catalog"));
  }

  /** The OUT columns of a row function: {@code file_name text, file_offset int4}. */
  static Scope rowFunctionScope(FromItem.Function f) {
    String name = f.alias() != null ? f.alias() : f.call().name();
    if (SlotFunctions.ROW_FUNCTIONS.contains(f.call().name())) {
      return new Scope(
          name, SlotFunctions.outColumns(f.call().name()), SlotFunctions.outTypes(), 0);
    }
    return new Scope(
        name,
        java.util.List.of("file_name", "file_offset"),
        java.util.List.of(ColumnType.TEXT, ColumnType.INTEGER),
        0);
  }

  static RowSourcePlan rowFunction(Expr.FuncCall f, int[] paramTypes, Scope scope) {
    ExprCompiler comp = new ExprCompiler(Scope.EMPTY, null, paramTypes);
    if (SlotFunctions.ROW_FUNCTIONS.contains(f.name())) {
      java.util.List<Compiled> slotArgs = new java.util.ArrayList<>();
      for (int i = 0; i < f.args().size(); i++) {
        ColumnType hint =
            i == 0
                ? ColumnType.TEXT
                : f.name().equals("pg_replication_slot_advance")
                    ? ColumnType.PG_LSN
                    : ColumnType.BOOLEAN;
        slotArgs.add(comp.compileNoAggregates(f.args().get(i), hint, "functions in FROM"));
      }
      Eval slotRow = SlotFunctions.rowEval(f.name(), slotArgs);
      Eval strict =
          c -> {
            Object r = slotRow.eval(c);
            return r == null ? new Object[2] : r;
          };
      return new RowSourcePlan(null, null, null, null, null, strict, scope);
    }
    java.util.List<Compiled> args = new java.util.ArrayList<>();
    for (Expr a : f.args()) {
      args.add(comp.compileNoAggregates(a, ColumnType.PG_LSN, "functions in FROM"));
    }
    if (args.size() != 1
        || (!args.get(0).unknown()
            && args.get(0).type().kind() != org.walden.storage.type.TypeKind.PG_LSN)) {
      throw Functions.undefined(f.name(), args);
    }
    Eval a = args.get(0).eval();
    Eval row =
        c -> {
          Object[] r = WalFunctions.walFileNameOffset(c.session, a.eval(c));
          return r == null ? new Object[2] : r; // strict: NULL in, one row of NULLs out
        };
    return new RowSourcePlan(null, null, null, null, null, row, scope);
  }

  /** Compiles a FROM function; only generate_series over integers is known. */
  static RowSourcePlan series(Expr.FuncCall f, ExprCompiler comp, Scope scope) {
    Eval[] args = seriesArgs(f, comp);
    return new RowSourcePlan(null, null, args, scope.types().get(0), null, null, scope);
  }

  static ColumnType seriesType(Expr.FuncCall f, int[] paramTypes) {
    checkSeries(f);
    ExprCompiler probe = new ExprCompiler(Scope.EMPTY, null, paramTypes.clone());
    ColumnType t = ColumnType.INTEGER;
    for (Expr a : f.args()) {
      Compiled c = probe.compileNoAggregates(a, ColumnType.INTEGER, "functions in FROM");
      if (c.type().kind() == org.walden.storage.type.TypeKind.BIGINT) {
        t = ColumnType.BIGINT;
      } else if (!c.type().kind().isInteger()) {
        throw Functions.undefined(f.name(), java.util.List.of(c));
      }
    }
    return t;
  }

  private static void checkSeries(Expr.FuncCall f) {
    if (!f.name().equals("generate_series")) {
      throw Errors.unsupported("function " + f.name() + " in FROM");
    }
    if (f.args().size() < 2 || f.args().size() > 3) {
      throw Functions.undefined(f.name(), java.util.List.of());
    }
  }

  private static Eval[] seriesArgs(Expr.FuncCall f, ExprCompiler comp) {
    Eval[] out = new Eval[f.args().size()];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          comp.compileNoAggregates(f.args().get(i), ColumnType.INTEGER, "functions in FROM").eval();
    }
    return out;
  }

  /** The condition rows must meet beyond what the source applies itself, or null. */
  Eval filter() {
    return path == null ? null : path.filter;
  }

  boolean stale(org.walden.storage.txn.Transaction txn) {
    return table != null && table.stale(txn);
  }

  Rows open(EvalContext c) {
    if (table != null) {
      Table t = table.table(c.txn);
      RowCodec codec = t.schema().rowCodec();
      AccessPath.RowSource src = path.open(c.txn, t, c);
      int[] cols = usedColumns;
      int width = scope.size();
      return ctx -> {
        if (!src.next()) {
          return false;
        }
        if (cols == null) {
          ctx.row = codec.decode(src.row());
        } else {
          byte[] image = src.row();
          Object[] row = new Object[width];
          for (int col : cols) {
            row[col] = codec.get(image, col);
          }
          ctx.row = row;
        }
        return true;
      };
    }
    if (rowFunction != null) {
      Object[] one = (Object[]) rowFunction.eval(c);
      return new Rows() {
        private boolean done = one == null;

        @Override
        public boolean next(EvalContext ctx) {
          if (done) {
            return false;
          }
          done = true;
          ctx.row = one;
          return true;
        }
      };
    }
    if (view != null) {
      java.util.Iterator<Object[]> it =
          view.rows()
              .apply(
                  c.session.serverStatus(),
                  new SystemViews.Reader(c.session.user(), c.session.isSuperuser()))
              .iterator();
      return ctx -> {
        if (!it.hasNext()) {
          return false;
        }
        ctx.row = it.next();
        return true;
      };
    }
    if (series != null) {
      Object a = series[0].eval(c);
      Object b = series[1].eval(c);
      Object s = series.length > 2 ? series[2].eval(c) : 1;
      if (a == null || b == null || s == null) {
        return ctx -> false;
      }
      long start = ((Number) a).longValue();
      long stop = ((Number) b).longValue();
      long step = ((Number) s).longValue();
      if (step == 0) {
        throw new SqlException("22023", "step size cannot equal zero");
      }
      boolean isInt = seriesType.kind() == org.walden.storage.type.TypeKind.INTEGER;
      return new Rows() {
        private long next = start;
        private boolean done;

        @Override
        public boolean next(EvalContext ctx) {
          if (done || (step > 0 ? next > stop : next < stop)) {
            return false;
          }
          long v = next;
          try {
            next = Math.addExact(next, step);
          } catch (ArithmeticException e) {
            done = true;
          }
          ctx.row = new Object[] {isInt ? (Object) (int) v : (Object) v};
          return true;
        }
      };
    }
    return new Rows() {
      private boolean done;

      @Override
      public boolean next(EvalContext ctx) {
        if (done) {
          return false;
        }
        done = true;
        ctx.row = new Object[0];
        return true;
      }
    };
  }
}
