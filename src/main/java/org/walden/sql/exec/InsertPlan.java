package org.walden.sql.exec;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.InsertStmt;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.table.Table;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.WriteOutcome;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.RowCodec;

/**
 * INSERT … VALUES | SELECT, with ON CONFLICT (primary key) DO NOTHING / DO UPDATE and RETURNING.
 * Omitted columns and DEFAULT take the column default (evaluated with the transaction's start time
 * for {@code now()}). ON CONFLICT uses {@link Transaction#insertOrLock}: the conflicting row comes
 * back locked, so DO UPDATE's write cannot lose to a concurrent one. Immutable.
 */
final class InsertPlan implements Plan {

  private final TableRef table;
  private final int[] targetColumns;

  /** VALUES rows: one Eval per target column, null for DEFAULT; or null with a SELECT source. */
  private final Eval[][] values;

  private final SelectPlan select;
  private final ColumnType[] targetTypes;
  private final boolean onConflict;
  private final boolean doUpdate;
  private final int[] setColumns;
  private final Eval[] setValues;
  private final Eval conflictWhere;
  private final Returning returning;

  private InsertPlan(
      TableRef table,
      int[] targetColumns,
      Eval[][] values,
      SelectPlan select,
      boolean onConflict,
      boolean doUpdate,
      int[] setColumns,
      Eval[] setValues,
      Eval conflictWhere,
      Returning returning) {
    this.table = table;
    this.targetColumns = targetColumns;
    this.values = values;
    this.select = select;
    this.onConflict = onConflict;
    this.doUpdate = doUpdate;
    this.setColumns = setColumns;
    this.setValues = setValues;
    this.conflictWhere = conflictWhere;
    this.returning = returning;
    this.targetTypes = new ColumnType[targetColumns.length];
    for (int i = 0; i < targetColumns.length; i++) {
      targetTypes[i] = table.schema().column(targetColumns[i]).type();
    }
  }

  static InsertPlan compile(InsertStmt s, Transaction txn, int[] paramTypes) {
    SystemViews.refuseWrite(s.table(), "insert into");
    TableRef t = TableRef.resolve(s.table(), txn);
    TableSchema schema = t.schema();
    int[] cols;
    if (s.columns().isEmpty()) {
      int n =
          s.values() != null
              ? s.values().stream().mapToInt(List::size).max().orElse(0)
              : schema.columns().size();
      if (s.values() == null) {
        n = Math.min(n, schema.columns().size());
      }
      if (n > schema.columns().size()) {
        throw Errors.syntax("INSERT has more expressions than target columns");
      }
      cols = new int[n];
      for (int i = 0; i < n; i++) {
        cols[i] = i;
      }
    } else {
      cols = new int[s.columns().size()];
      for (int i = 0; i < cols.length; i++) {
        String name = s.columns().get(i);
        cols[i] = schema.columnIndex(name);
        if (cols[i] < 0) {
          throw new SqlException(
              "42703",
              "column \"" + name + "\" of relation \"" + schema.name() + "\" does not exist");
        }
        for (int j = 0; j < i; j++) {
          if (cols[j] == cols[i]) {
            throw new SqlException("42701", "column \"" + name + "\" specified more than once");
          }
        }
      }
    }
    Scope scope = Scope.of(schema, null);
    ExprCompiler rowless = new ExprCompiler(Scope.EMPTY, null, paramTypes);
    Eval[][] vals = null;
    SelectPlan sel = null;
    if (s.values() != null) {
      vals = new Eval[s.values().size()][];
      for (int r = 0; r < vals.length; r++) {
        List<Expr> row = s.values().get(r);
        if (row.size() != s.values().get(0).size()) {
          throw Errors.syntax("VALUES lists must all be the same length");
        }
        if (row.size() > cols.length) {
          throw Errors.syntax("INSERT has more expressions than target columns");
        }
        if (row.size() < cols.length && !s.columns().isEmpty()) {
          throw Errors.syntax("INSERT has more target columns than expressions");
        }
        vals[r] = new Eval[cols.length];
        for (int i = 0; i < row.size(); i++) {
          Expr e = row.get(i);
          if (e instanceof Expr.Default) {
            continue;
          }
          ColumnType ct = schema.column(cols[i]).type();
          Compiled c = rowless.compileNoAggregates(e, ct, "VALUES");
          ModifyPlan.checkAssignable(schema.column(cols[i]).name(), ct, c);
          vals[r][i] = c.eval();
        }
      }
    } else {
      sel = SelectPlan.compile(s.select(), txn, paramTypes);
      if (sel.columns().size() > cols.length) {
        throw Errors.syntax("INSERT has more expressions than target columns");
      }
      if (sel.columns().size() < cols.length && !s.columns().isEmpty()) {
        throw Errors.syntax("INSERT has more target columns than expressions");
      }
      cols = java.util.Arrays.copyOf(cols, sel.columns().size());
    }
    InsertStmt.OnConflict oc = s.onConflict();
    int[] setCols = new int[0];
    Eval[] setVals = new Eval[0];
    Eval where = null;
    if (oc != null) {
      checkConflictTarget(oc, schema);
      if (oc.doUpdate()) {
        ExprCompiler comp = new ExprCompiler(scope, scope, paramTypes);
        setCols = new int[oc.set().size()];
        setVals = new Eval[setCols.length];
        ModifyPlan.compileAssignments(oc.set(), schema, comp, setCols, setVals);
        if (oc.where() != null) {
          where = comp.compileCondition(oc.where(), "WHERE").eval();
        }
      }
    }
    Returning r = Returning.compile(s.returning(), new ExprCompiler(scope, null, paramTypes));
    return new InsertPlan(
        t, cols, vals, sel, oc != null, oc != null && oc.doUpdate(), setCols, setVals, where, r);
  }

  private static void checkConflictTarget(InsertStmt.OnConflict oc, TableSchema schema) {
    if (oc.columns().isEmpty() && !oc.doUpdate()) {
      if (!schema.hasPrimaryKey()) {
        return; // DO NOTHING without a key: nothing can conflict
      }
      return;
    }
    int[] pk = schema.primaryKey();
    java.util.Set<Integer> want = new java.util.HashSet<>();
    for (int k : pk) {
      want.add(k);
    }
    java.util.Set<Integer> got = new java.util.HashSet<>();
    for (String c : oc.columns()) {
      int i = schema.columnIndex(c);
      if (i < 0) {
        throw Errors.undefinedColumn(null, c);
      }
      got.add(i);
    }
    if (pk.length == 0 || !want.equals(got)) {
      throw new SqlException(
          "42P10",
          "there is no unique or exclusion constraint matching the ON CONFLICT specification");
    }
  }

  @Override
  public List<ResultColumn> columns() {
    return returning.columns;
  }

  @Override
  public boolean stale(Transaction txn) {
    return table.stale(txn) || (select != null && select.stale(txn));
  }

  @Override
  public ResultCursor run(EvalContext c) {
    Table t = table.table(c.txn);
    TableSchema schema = t.schema();
    List<Object[]> out = returning.isEmpty() ? null : new ArrayList<>();
    long count = 0;
    if (values != null) {
      for (Eval[] row : values) {
        Object[] v = schema.defaults(c.txn.startTime());
        c.row = null;
        for (int i = 0; i < row.length; i++) {
          if (row[i] != null) {
            v[targetColumns[i]] = ModifyPlan.coerce(targetTypes[i], row[i].eval(c));
          }
        }
        if (insertOne(c, t, v, out)) {
          count++;
        }
      }
    } else {
      ResultCursor src = select.run(c);
      List<Object[]> rows = new ArrayList<>();
      while (src.next()) {
        rows.add(src.row().clone());
      }
      for (Object[] r : rows) {
        Object[] v = schema.defaults(c.txn.startTime());
        for (int i = 0; i < targetColumns.length; i++) {
          v[targetColumns[i]] = ModifyPlan.coerce(targetTypes[i], r[i]);
        }
        if (insertOne(c, t, v, out)) {
          count++;
        }
      }
    }
    String tag = "INSERT 0 " + count;
    return out == null ? Cursors.done(tag) : Cursors.rows(out, tag);
  }

  private boolean insertOne(EvalContext c, Table t, Object[] v, List<Object[]> out) {
    try {
      if (!onConflict || !t.schema().hasPrimaryKey()) {
        c.txn.insert(t, v);
        if (out != null) {
          out.add(returning.project(c, v));
        }
        return true;
      }
      byte[] existing = c.txn.insertOrLock(t, v);
      if (existing == null) {
        if (out != null) {
          out.add(returning.project(c, v));
        }
        return true;
      }
      if (!doUpdate) {
        return false;
      }
      return conflictUpdate(c, t, v, existing, out);
    } catch (StorageException e) {
      throw Errors.fromStorage(e);
    }
  }

  private boolean conflictUpdate(
      EvalContext c, Table t, Object[] proposed, byte[] existing, List<Object[]> out) {
    RowCodec codec = t.schema().rowCodec();
    Object key = t.schema().keyOf(existing);
    byte[] image = existing;
    while (true) {
      Object[] row = codec.decode(image);
      c.row = row;
      c.excluded = proposed;
      if (conflictWhere != null && !Logic.isTrue(conflictWhere.eval(c))) {
        return false;
      }
      Object[] computed = new Object[setColumns.length];
      for (int i = 0; i < setColumns.length; i++) {
        computed[i] =
            setValues[i] == null
                ? t.schema().column(setColumns[i]).defaultValue().value(c.txn.startTime())
                : setValues[i].eval(c);
      }
      Object[] nv = row.clone();
      for (int i = 0; i < setColumns.length; i++) {
        nv[setColumns[i]] = ModifyPlan.coerce(t.schema().column(setColumns[i]).type(), computed[i]);
      }
      WriteOutcome o = c.txn.update(t, key, nv, image);
      switch (o.kind()) {
        case DONE -> {
          if (out != null) {
            out.add(returning.project(c, nv));
          }
          return true;
        }
        case NOT_FOUND -> {
          return false;
        }
        case CHANGED -> image = o.row();
      }
    }
  }
}
