package org.walden.sql.exec;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.Assignment;
import org.walden.sql.parse.ast.DeleteStmt;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.UpdateStmt;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.table.Table;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.WriteOutcome;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.RowCodec;

/**
 * UPDATE and DELETE. Rows are found through an {@link AccessPath}; each one that meets the WHERE
 * clause is written with the image it was evaluated on as the basis. Under READ COMMITTED the
 * storage engine answers {@code CHANGED} with the newest committed image when another transaction
 * updated the row meanwhile; the plan then evaluates WHERE and SET again on that image and retries,
 * as PostgreSQL's EvalPlanQual does, so concurrent increments are never lost. {@code NOT_FOUND}
 * means the row was deleted meanwhile: it is skipped.
 *
 * <p>Range and full scans collect their candidate rows before writing any, so a row an UPDATE moves
 * to a later key is not met again by the same scan. Immutable.
 */
final class ModifyPlan implements Plan {

  private final boolean delete;
  private final TableRef table;
  private final AccessPath path;
  private final int[] setColumns;
  private final Eval[] setValues;
  private final ColumnType[] setTypes;
  private final Returning returning;

  private ModifyPlan(
      boolean delete,
      TableRef table,
      AccessPath path,
      int[] setColumns,
      Eval[] setValues,
      Returning returning) {
    this.delete = delete;
    this.table = table;
    this.path = path;
    this.setColumns = setColumns;
    this.setValues = setValues;
    this.setTypes = new ColumnType[setColumns.length];
    for (int i = 0; i < setColumns.length; i++) {
      setTypes[i] = table.schema().column(setColumns[i]).type();
    }
    this.returning = returning;
  }

  static ModifyPlan update(UpdateStmt u, Transaction txn, int[] paramTypes) {
    SystemViews.refuseWrite(u.table(), "update");
    TableRef t = TableRef.resolve(u.table(), txn);
    Scope scope = Scope.of(t.schema(), u.alias());
    ExprCompiler comp = new ExprCompiler(scope, null, paramTypes);
    int[] cols = new int[u.set().size()];
    Eval[] vals = new Eval[cols.length];
    compileAssignments(u.set(), t.schema(), comp, cols, vals);
    AccessPath path = AccessPath.plan(u.where(), t.schema(), comp, "WHERE");
    Returning r = Returning.compile(u.returning(), comp);
    return new ModifyPlan(false, t, path, cols, vals, r);
  }

  static ModifyPlan delete(DeleteStmt d, Transaction txn, int[] paramTypes) {
    SystemViews.refuseWrite(d.table(), "delete from");
    TableRef t = TableRef.resolve(d.table(), txn);
    Scope scope = Scope.of(t.schema(), d.alias());
    ExprCompiler comp = new ExprCompiler(scope, null, paramTypes);
    AccessPath path = AccessPath.plan(d.where(), t.schema(), comp, "WHERE");
    Returning r = Returning.compile(d.returning(), comp);
    return new ModifyPlan(true, t, path, new int[0], new Eval[0], r);
  }

  /** Compiles SET lists (also ON CONFLICT DO UPDATE's); a DEFAULT value compiles to null. */
  static void compileAssignments(
      List<Assignment> set, TableSchema schema, ExprCompiler comp, int[] cols, Eval[] vals) {
    for (int i = 0; i < cols.length; i++) {
      Assignment a = set.get(i);
      int col = schema.columnIndex(a.column());
      if (col < 0) {
        throw new SqlException(
            "42703",
            "column \"" + a.column() + "\" of relation \"" + schema.name() + "\" does not exist");
      }
      for (int j = 0; j < i; j++) {
        if (cols[j] == col) {
          throw new SqlException(
              "42601", "multiple assignments to same column \"" + a.column() + "\"");
        }
      }
      cols[i] = col;
      ColumnType t = schema.column(col).type();
      if (a.value() instanceof Expr.Default) {
        vals[i] = null;
      } else {
        Compiled c = comp.compileNoAggregates(a.value(), t, "UPDATE");
        checkAssignable(schema.column(col).name(), t, c);
        vals[i] = c.eval();
      }
    }
  }

  static void checkAssignable(String column, ColumnType target, Compiled c) {
    if (c.unknown() || SqlTypes.comparable(target, c.type())) {
      return;
    }
    if (SqlTypes.isText(target)) {
      return; // any value has a text form (an assignment cast exists to text types)
    }
    throw new SqlException(
        "42804",
        "column \""
            + column
            + "\" is of type "
            + target.displayName()
            + " but expression is of type "
            + c.type().displayName(),
        null,
        "You will need to rewrite or cast the expression.",
        0);
  }

  @Override
  public List<ResultColumn> columns() {
    return returning.columns;
  }

  @Override
  public boolean stale(Transaction txn) {
    return table.stale(txn);
  }

  @Override
  public ResultCursor run(EvalContext c) {
    Table t = table.table(c.txn);
    RowCodec codec = t.schema().rowCodec();
    List<Object[]> out = returning.isEmpty() ? null : new ArrayList<>();
    long count = 0;
    if (path.kind == AccessPath.Kind.POINT) {
      Object key = path.pointKey(t.schema(), c);
      byte[] image = key == null ? null : c.txn.get(t, key);
      if (image != null && apply(c, t, codec, key, image, out)) {
        count++;
      }
    } else {
      List<Object> keys = new ArrayList<>();
      List<byte[]> images = new ArrayList<>();
      AccessPath.RowSource src = path.open(c.txn, t, c);
      while (src.next()) {
        keys.add(src.key());
        images.add(src.row());
      }
      for (int i = 0; i < keys.size(); i++) {
        if ((i & 1023) == 1023) {
          c.session.checkCancel();
        }
        if (apply(c, t, codec, keys.get(i), images.get(i), out)) {
          count++;
        }
      }
    }
    String tag = (delete ? "DELETE " : "UPDATE ") + count;
    return out == null ? Cursors.done(tag) : Cursors.rows(out, tag);
  }

  /** Writes one candidate row, re-checking it on a concurrent change; true if written. */
  private boolean apply(
      EvalContext c, Table t, RowCodec codec, Object key, byte[] image, List<Object[]> out) {
    while (true) {
      Object[] row = codec.decode(image);
      c.row = row;
      if (path.filter != null && !Logic.isTrue(path.filter.eval(c))) {
        return false;
      }
      Object[] written = delete ? row : newValues(c, t.schema(), row);
      WriteOutcome o;
      try {
        o = delete ? c.txn.delete(t, key, image) : c.txn.update(t, key, written, image);
      } catch (StorageException e) {
        throw Errors.fromStorage(e);
      }
      switch (o.kind()) {
        case DONE -> {
          if (out != null) {
            out.add(returning.project(c, written));
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

  private Object[] newValues(EvalContext c, TableSchema schema, Object[] row) {
    Object[] nv = row.clone();
    Object[] computed = new Object[setColumns.length];
    // every SET expression sees the old row, so compute all before assigning any
    for (int i = 0; i < setColumns.length; i++) {
      computed[i] =
          setValues[i] == null
              ? schema.column(setColumns[i]).defaultValue().value(c.txn.startTime())
              : setValues[i].eval(c);
    }
    for (int i = 0; i < setColumns.length; i++) {
      nv[setColumns[i]] = coerce(setTypes[i], computed[i]);
    }
    return nv;
  }

  static Object coerce(ColumnType t, Object v) {
    if (v == null) {
      return null;
    }
    if (t.kind() == org.walden.storage.type.TypeKind.INTEGER && v instanceof Integer) {
      return v;
    }
    try {
      if (!(v instanceof String) && SqlTypes.isText(t)) {
        return t.coerce(formatAny(v));
      }
      return t.coerce(v);
    } catch (StorageException e) {
      throw Errors.fromStorage(e);
    }
  }

  private static String formatAny(Object v) {
    if (v instanceof org.walden.storage.type.PgTimestamp ts) {
      return ColumnType.TIMESTAMPTZ.format(ts);
    }
    if (v instanceof byte[] b) {
      return ColumnType.BYTEA.format(b);
    }
    if (v instanceof Double d) {
      return ColumnType.FLOAT8.format(d);
    }
    if (v instanceof java.math.BigDecimal d) {
      return d.toPlainString();
    }
    return v.toString();
  }
}
