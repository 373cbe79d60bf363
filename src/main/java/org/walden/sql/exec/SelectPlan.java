package org.walden.sql.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.FromItem;
import org.walden.sql.parse.ast.OrderItem;
import org.walden.sql.parse.ast.SelectItem;
import org.walden.sql.parse.ast.SelectStmt;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.ColumnType;

/**
 * SELECT: source rows, WHERE, optional grouping with aggregates and HAVING, the target list, ORDER
 * BY, OFFSET and LIMIT. Without grouping or ORDER BY the rows stream from the source as the session
 * pulls them (so a portal's row limit stops the scan early); otherwise they are computed, sorted
 * and cut when the cursor is opened. Immutable.
 */
final class SelectPlan implements Plan {

  private final RowSourcePlan source;
  private final Eval filter;
  private final Eval[] outputs;
  private final List<ResultColumn> columns;
  private final boolean grouped;
  private final Eval[] groupKeys;
  private final Aggregates.Spec[] aggs;
  private final Eval having;
  private final Eval[] sortKeys;
  private final boolean[] descending;
  private final boolean[] nullsFirst;
  private final Eval limit;
  private final Eval offset;

  private SelectPlan(Builder b) {
    this.source = b.source;
    this.filter = b.filter;
    this.outputs = b.outputs.toArray(Eval[]::new);
    this.columns = List.copyOf(b.columns);
    this.grouped = b.grouped;
    this.groupKeys = b.groupKeys;
    this.aggs = b.aggs;
    this.having = b.having;
    this.sortKeys = b.sortKeys.toArray(Eval[]::new);
    this.descending = b.descending;
    this.nullsFirst = b.nullsFirst;
    this.limit = b.limit;
    this.offset = b.offset;
  }

  @Override
  public List<ResultColumn> columns() {
    return columns;
  }

  @Override
  public boolean stale(Transaction txn) {
    return source.stale(txn);
  }

  /** Compiles a SELECT. {@code paramTypes} receives the inferred parameter types. */
  static SelectPlan compile(SelectStmt s, Transaction txn, int[] paramTypes) {
    return new Builder(s, txn, paramTypes).build();
  }

  private static final class Builder {
    final SelectStmt s;
    RowSourcePlan source;
    Eval filter;
    final List<Eval> outputs = new ArrayList<>();
    final List<ResultColumn> columns = new ArrayList<>();
    final List<Expr> outputExprs = new ArrayList<>();
    final List<String> outputNames = new ArrayList<>();
    boolean grouped;
    Eval[] groupKeys = new Eval[0];
    Aggregates.Spec[] aggs = new Aggregates.Spec[0];
    Eval having;
    final List<Eval> sortKeys = new ArrayList<>();
    boolean[] descending;
    boolean[] nullsFirst;
    Eval limit;
    Eval offset;
    final int[] paramTypes;
    final Transaction txn;

    Builder(SelectStmt s, Transaction txn, int[] paramTypes) {
      this.s = s;
      this.txn = txn;
      this.paramTypes = paramTypes;
    }

    SelectPlan build() {
      FromItem from = s.from();
      TableRef table = null;
      ColumnType seriesType = null;
      SystemViews.View view = from instanceof FromItem.Table t ? SystemViews.find(t.name()) : null;
      boolean rowFunction =
          from instanceof FromItem.Function fn && RowSourcePlan.isRowFunction(fn.call());
      if (view != null) {
        // checked before tables: pg_catalog comes first in the search path
      } else if (from instanceof FromItem.Table t) {
        table = TableRef.resolve(t.name(), txn);
      } else if (from instanceof FromItem.Function f && !rowFunction) {
        seriesType = RowSourcePlan.seriesType(f.call(), paramTypes);
      }
      Scope scope =
          view != null
              ? view.scope(((FromItem.Table) from).alias())
              : rowFunction
                  ? RowSourcePlan.rowFunctionScope((FromItem.Function) from)
                  : RowSourcePlan.scopeOf(from, table, seriesType);
      ExprCompiler rows = new ExprCompiler(scope, null, paramTypes);
      if (from == null) {
        source = RowSourcePlan.none();
        filter = s.where() == null ? null : rows.compileCondition(s.where(), "WHERE").eval();
      } else if (view != null) {
        source = RowSourcePlan.view(view, scope);
        filter = s.where() == null ? null : rows.compileCondition(s.where(), "WHERE").eval();
      } else if (from instanceof FromItem.Table) {
        AccessPath path = AccessPath.plan(s.where(), table.schema(), rows, "WHERE");
        source = RowSourcePlan.table(table, path, scope);
        filter = path.filter;
      } else if (rowFunction) {
        source = RowSourcePlan.rowFunction(((FromItem.Function) from).call(), paramTypes, scope);
        filter = s.where() == null ? null : rows.compileCondition(s.where(), "WHERE").eval();
      } else {
        source = RowSourcePlan.series(((FromItem.Function) from).call(), rows, scope);
        filter = s.where() == null ? null : rows.compileCondition(s.where(), "WHERE").eval();
      }
      expandTargets(scope);
      grouped = !s.groupBy().isEmpty() || s.having() != null || anyAggregate();
      ExprCompiler out = rows;
      if (grouped) {
        List<Expr> keys = new ArrayList<>();
        for (Expr g : s.groupBy()) {
          keys.add(resolveOrdinal(g, "GROUP BY"));
        }
        groupKeys = new Eval[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
          groupKeys[i] = rows.compileNoAggregates(keys.get(i), null, "GROUP BY").eval();
        }
        out = rows.grouped(keys);
      }
      for (int i = 0; i < outputExprs.size(); i++) {
        Compiled c = out.compile(outputExprs.get(i), null);
        outputs.add(c.eval());
        columns.add(c.resultColumn(outputNames.get(i)));
      }
      if (s.having() != null) {
        having = out.compileHaving(s.having()).eval();
      }
      int n = s.orderBy().size();
      descending = new boolean[n];
      nullsFirst = new boolean[n];
      for (int i = 0; i < n; i++) {
        OrderItem o = s.orderBy().get(i);
        int ref = outputRef(o.expr());
        if (ref >= 0) {
          Eval e = outputs.get(ref);
          sortKeys.add(e);
        } else {
          sortKeys.add(out.compile(o.expr(), null).eval());
        }
        descending[i] = o.descending();
        nullsFirst[i] =
            o.nulls() == OrderItem.NullsOrder.DEFAULT
                ? o.descending()
                : o.nulls() == OrderItem.NullsOrder.FIRST;
      }
      if (grouped) {
        aggs = out.aggs.toArray(Aggregates.Spec[]::new);
      }
      if (from instanceof FromItem.Table && view == null) {
        source.decodeOnly(rows.used);
      }
      ExprCompiler consts = new ExprCompiler(Scope.EMPTY, null, paramTypes);
      if (s.limit() != null) {
        limit = consts.compileNoAggregates(s.limit(), ColumnType.BIGINT, "LIMIT").eval();
      }
      if (s.offset() != null) {
        offset = consts.compileNoAggregates(s.offset(), ColumnType.BIGINT, "OFFSET").eval();
      }
      return new SelectPlan(this);
    }

    private boolean anyAggregate() {
      for (Expr e : outputExprs) {
        if (Exprs.containsAggregate(e)) {
          return true;
        }
      }
      for (OrderItem o : s.orderBy()) {
        if (Exprs.containsAggregate(o.expr())) {
          return true;
        }
      }
      return false;
    }

    private void expandTargets(Scope scope) {
      for (SelectItem item : s.targets()) {
        switch (item) {
          case SelectItem.Star st -> {
            if (scope == Scope.EMPTY) {
              throw Errors.syntax("SELECT * with no tables specified is not valid");
            }
            if (st.table() != null && !st.table().equals(scope.qualifier())) {
              throw new SqlException(
                  "42P01", "missing FROM-clause entry for table \"" + st.table() + "\"");
            }
            for (String col : scope.names()) {
              outputExprs.add(new Expr.ColumnRef(null, col));
              outputNames.add(null);
            }
          }
          case SelectItem.Column c -> {
            outputExprs.add(c.expr());
            outputNames.add(c.alias());
          }
        }
      }
    }

    /** GROUP BY 2 / ORDER BY 2 mean the second output column. */
    private Expr resolveOrdinal(Expr e, String clause) {
      if (e instanceof Expr.IntLit i) {
        if (i.value() < 1 || i.value() > outputExprs.size()) {
          throw new SqlException(
              "42P10", clause + " position " + i.value() + " is not in select list");
        }
        return outputExprs.get((int) i.value() - 1);
      }
      return e;
    }

    /** The output column an ORDER BY item names (ordinal or output name), or -1. */
    private int outputRef(Expr e) {
      if (e instanceof Expr.IntLit) {
        resolveOrdinal(e, "ORDER BY");
        return (int) ((Expr.IntLit) e).value() - 1;
      }
      if (e instanceof Expr.ColumnRef r && r.table() == null) {
        for (int i = 0; i < columns.size(); i++) {
          if (outputNames.get(i) != null && outputNames.get(i).equals(r.column())) {
            return i;
          }
        }
      }
      return -1;
    }
  }

  // ---- execution ------------------------------------------------------------------------------

  @Override
  public ResultCursor run(EvalContext c) {
    long lim = bound(limit, c, "2201W", "LIMIT must not be negative", Long.MAX_VALUE);
    long off = bound(offset, c, "2201X", "OFFSET must not be negative", 0);
    if (!grouped && sortKeys.length == 0) {
      return new Streaming(source.open(c), c, lim, off);
    }
    List<Object[]> rows = grouped ? groupRows(c) : plainRows(c);
    if (sortKeys.length > 0) {
      rows.sort(comparator());
    }
    int from = (int) Math.min(off, rows.size());
    int to = (int) Math.min(rows.size(), from + Math.min(lim, Integer.MAX_VALUE));
    List<Object[]> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      Object[] r = rows.get(i);
      out.add(r.length == outputs.length ? r : java.util.Arrays.copyOf(r, outputs.length));
    }
    return Cursors.rows(out, "SELECT " + out.size());
  }

  private static long bound(Eval e, EvalContext c, String state, String msg, long dflt) {
    if (e == null) {
      return dflt;
    }
    Object v = e.eval(c);
    if (v == null) {
      return dflt;
    }
    long n = ((Number) v).longValue();
    if (n < 0) {
      throw new SqlException(state, msg);
    }
    return n;
  }

  private Object[] project(EvalContext c) {
    Object[] r = new Object[outputs.length + sortKeys.length];
    for (int i = 0; i < outputs.length; i++) {
      r[i] = outputs[i].eval(c);
    }
    for (int i = 0; i < sortKeys.length; i++) {
      r[outputs.length + i] = sortKeys[i].eval(c);
    }
    return r;
  }

  private List<Object[]> plainRows(EvalContext c) {
    RowSourcePlan.Rows src = source.open(c);
    List<Object[]> out = new ArrayList<>();
    while (src.next(c)) {
      if (filter == null || Logic.isTrue(filter.eval(c))) {
        out.add(project(c));
      }
    }
    return out;
  }

  private record Group(Object[] key, Aggregates.Acc[] accs) {}

  private List<Object[]> groupRows(EvalContext c) {
    RowSourcePlan.Rows src = source.open(c);
    Map<List<Object>, Group> groups = new LinkedHashMap<>();
    Group single = null;
    int checks = 0;
    while (src.next(c)) {
      if ((++checks & 1023) == 0) {
        c.session.checkCancel();
      }
      if (filter != null && !Logic.isTrue(filter.eval(c))) {
        continue;
      }
      Group g;
      if (groupKeys.length == 0) {
        g = single != null ? single : (single = newGroup(new Object[0]));
      } else {
        Object[] key = new Object[groupKeys.length];
        Object[] hk = new Object[groupKeys.length];
        for (int i = 0; i < key.length; i++) {
          key[i] = groupKeys[i].eval(c);
          hk[i] = Ops.hashable(key[i]);
        }
        g = groups.get(java.util.Arrays.asList(hk));
        if (g == null) {
          g = newGroup(key);
          groups.put(java.util.Arrays.asList(hk), g);
        }
      }
      for (int i = 0; i < aggs.length; i++) {
        Aggregates.Spec sp = aggs[i];
        if (sp.arg() == null) {
          g.accs[i].add(Boolean.TRUE);
        } else {
          Object v = sp.arg().eval().eval(c);
          if (v != null) {
            g.accs[i].add(v);
          }
        }
      }
    }
    if (groupKeys.length == 0) {
      // without GROUP BY there is exactly one group, even over no rows
      groups.put(List.of(), single != null ? single : newGroup(new Object[0]));
    }
    List<Object[]> out = new ArrayList<>(groups.size());
    c.row = null;
    for (Group g : groups.values()) {
      c.groupKey = g.key;
      Object[] results = new Object[aggs.length];
      for (int i = 0; i < aggs.length; i++) {
        results[i] = g.accs[i].result();
      }
      c.aggs = results;
      if (having == null || Logic.isTrue(having.eval(c))) {
        out.add(project(c));
      }
    }
    return out;
  }

  private Group newGroup(Object[] key) {
    Aggregates.Acc[] accs = new Aggregates.Acc[aggs.length];
    for (int i = 0; i < accs.length; i++) {
      accs[i] = aggs[i].newAcc();
    }
    return new Group(key, accs);
  }

  private Comparator<Object[]> comparator() {
    int base = outputs.length;
    return (a, b) -> {
      for (int i = 0; i < sortKeys.length; i++) {
        Object x = a[base + i];
        Object y = b[base + i];
        int r;
        if (x == null || y == null) {
          if (x == y) {
            continue;
          }
          r = (x == null) == nullsFirst[i] ? -1 : 1;
          return r;
        }
        r = Ops.compare(x, y);
        if (r != 0) {
          return descending[i] ? -r : r;
        }
      }
      return 0;
    };
  }

  /** Rows computed as the session pulls them. */
  private final class Streaming implements ResultCursor {
    private final RowSourcePlan.Rows src;
    private final EvalContext c;
    private final long limit;
    private long skip;
    private long count;
    private Object[] row;
    private boolean done;

    Streaming(RowSourcePlan.Rows src, EvalContext c, long limit, long offset) {
      this.src = src;
      this.c = c;
      this.limit = limit;
      this.skip = offset;
    }

    @Override
    public boolean next() {
      while (!done && count < limit && src.next(c)) {
        if (filter != null && !Logic.isTrue(filter.eval(c))) {
          continue;
        }
        if (skip > 0) {
          skip--;
          continue;
        }
        row = project(c);
        count++;
        return true;
      }
      done = true;
      row = null;
      return false;
    }

    @Override
    public Object[] row() {
      return row;
    }

    @Override
    public String commandTag() {
      return "SELECT " + count;
    }
  }
}
