package org.walden.sql.exec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.walden.sql.parse.ast.AlterTableStmt;
import org.walden.sql.parse.ast.ColumnDef;
import org.walden.sql.parse.ast.CreateTableStmt;
import org.walden.sql.parse.ast.DropTableStmt;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.QualifiedName;
import org.walden.sql.parse.ast.TruncateStmt;
import org.walden.sql.parse.ast.VacuumStmt;
import org.walden.storage.catalog.Column;
import org.walden.storage.catalog.ColumnDefault;
import org.walden.storage.table.Table;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.TypeKind;

/**
 * Table DDL: CREATE TABLE, DROP TABLE, TRUNCATE, ALTER TABLE and the no-op VACUUM / ANALYZE. Each
 * is resolved when it runs, not when prepared (the catalog may change in between), and runs in the
 * session's transaction, so it commits or rolls back with it. Stateless.
 */
final class DdlPlans {
  private DdlPlans() {}

  /** A plan with no result columns whose work is {@code body}. */
  static Plan utility(java.util.function.Function<EvalContext, String> body) {
    return new Plan() {
      @Override
      public ResultCursor run(EvalContext c) {
        return Cursors.done(body.apply(c));
      }

      @Override
      public List<ResultColumn> columns() {
        return List.of();
      }
    };
  }

  static Plan createTable(CreateTableStmt s) {
    String name = TableRef.checkSchema(s.name());
    // type and default errors surface at prepare time, as PostgreSQL reports them at parse analysis
    List<Column> cols = columns(s);
    return utility(c -> {
      if (c.txn.table(name) != null) {
        if (s.ifNotExists()) {
          c.session.notice("42P07", "relation \"" + name + "\" already exists, skipping");
          return "CREATE TABLE";
        }
        throw new SqlException("42P07", "relation \"" + name + "\" already exists");
      }
      int[] pk = new int[s.primaryKey().size()];
      List<Column> withPk = new ArrayList<>(cols);
      for (int i = 0; i < pk.length; i++) {
        String col = s.primaryKey().get(i);
        int idx = indexOf(cols, col);
        if (idx < 0) {
          throw new SqlException("42703", "column \"" + col + "\" named in key does not exist");
        }
        pk[i] = idx;
        withPk.set(idx, withPk.get(idx).withNotNull());
      }
      run(() -> c.txn.createTable(name, withPk, pk));
      return "CREATE TABLE";
    });
  }

  private static List<Column> columns(CreateTableStmt s) {
    List<Column> cols = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ColumnDef d : s.columns()) {
      if (!seen.add(d.name())) {
        throw new SqlException("42701", "column \"" + d.name() + "\" specified more than once");
      }
      cols.add(column(d));
    }
    return cols;
  }

  static Column column(ColumnDef d) {
    ColumnType t = SqlTypes.ofName(d.type());
    if (!t.kind().storable()) {
      throw Errors.unsupported("columns of type " + t.kind().pgName());
    }
    return new Column(d.name(), t, d.notNull(), defaultOf(d, t));
  }

  private static ColumnDefault defaultOf(ColumnDef d, ColumnType t) {
    Expr e = d.defaultValue();
    if (e == null || e instanceof Expr.Null) {
      return ColumnDefault.NONE;
    }
    boolean now =
        (e instanceof Expr.FuncCall f
                && f.args().isEmpty()
                && (f.name().equals("now") || f.name().equals("transaction_timestamp")))
            || (e instanceof Expr.SqlValue v
                && (v.kind() == Expr.SqlValueKind.CURRENT_TIMESTAMP
                    || v.kind() == Expr.SqlValueKind.LOCALTIMESTAMP));
    if (now) {
      if (t.kind() != TypeKind.TIMESTAMP && t.kind() != TypeKind.TIMESTAMPTZ) {
        throw Errors.unsupported("DEFAULT now() for a column of type " + t.displayName());
      }
      return new ColumnDefault.CurrentTimestamp();
    }
    if (!Exprs.isRowIndependent(e) || containsFunction(e)) {
      throw Errors.unsupported("DEFAULT expression other than a constant or now()");
    }
    Compiled c =
        new ExprCompiler(Scope.EMPTY, null, new int[0]).compileNoAggregates(e, t, "DEFAULT");
    Object v = c.eval().eval(null);
    return new ColumnDefault.Constant(ModifyPlan.coerce(t, v));
  }

  private static boolean containsFunction(Expr e) {
    if (e instanceof Expr.FuncCall || e instanceof Expr.SqlValue || e instanceof Expr.Param) {
      return true;
    }
    for (Expr c : Exprs.children(e)) {
      if (containsFunction(c)) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(List<Column> cols, String name) {
    for (int i = 0; i < cols.size(); i++) {
      if (cols.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  static Plan dropTable(DropTableStmt s) {
    return utility(c -> {
      List<String> names = new ArrayList<>();
      for (QualifiedName qn : s.names()) {
        String n = TableRef.checkSchema(qn);
        if (c.txn.table(n) == null) {
          if (!s.ifExists()) {
            throw new SqlException("42P01", "table \"" + qn + "\" does not exist");
          }
          c.session.notice("00000", "table \"" + qn + "\" does not exist, skipping");
        } else {
          names.add(n);
        }
      }
      for (String n : names) {
        run(() -> c.txn.dropTable(n));
      }
      return "DROP TABLE";
    });
  }

  static Plan truncate(TruncateStmt s) {
    return utility(c -> {
      for (QualifiedName qn : s.names()) {
        SystemViews.refuseTruncate(qn);
        if (c.txn.table(TableRef.checkSchema(qn)) == null) {
          throw Errors.undefinedTable(qn.toString());
        }
      }
      for (QualifiedName qn : s.names()) {
        run(() -> c.txn.truncate(qn.name()));
      }
      return "TRUNCATE TABLE";
    });
  }

  static Plan alterTable(AlterTableStmt s) {
    // column types and defaults are checked now, not at run time
    for (AlterTableStmt.Action a : s.actions()) {
      if (a instanceof AlterTableStmt.AddColumn add) {
        column(add.column());
      }
    }
    return utility(c -> {
      String name = TableRef.checkSchema(s.name());
      Table t = c.txn.table(name);
      if (t == null) {
        if (s.ifExists()) {
          c.session.notice("00000", "relation \"" + name + "\" does not exist, skipping");
          return "ALTER TABLE";
        }
        throw Errors.undefinedTable(name);
      }
      for (AlterTableStmt.Action a : s.actions()) {
        alter(c, name, a);
      }
      return "ALTER TABLE";
    });
  }

  private static void alter(EvalContext c, String name, AlterTableStmt.Action a) {
    Table t = c.txn.table(name);
    switch (a) {
      case AlterTableStmt.AddPrimaryKey pk -> {
        for (String col : pk.columns()) {
          if (t.schema().columnIndex(col) < 0) {
            throw new SqlException(
                "42703", "column \"" + col + "\" of relation \"" + name + "\" does not exist");
          }
        }
        run(() -> c.txn.addPrimaryKey(name, pk.columns().toArray(String[]::new)));
      }
      case AlterTableStmt.AddColumn add -> {
        String col = add.column().name();
        if (t.schema().columnIndex(col) >= 0) {
          if (add.ifNotExists()) {
            c.session.notice(
                "42701",
                "column \"" + col + "\" of relation \"" + name + "\" already exists, skipping");
            return;
          }
          throw new SqlException(
              "42701", "column \"" + col + "\" of relation \"" + name + "\" already exists");
        }
        Column column = column(add.column());
        if (column.notNull() && column.defaultValue() == ColumnDefault.NONE) {
          RowSourceCheck.requireEmpty(c, t, col, name);
        }
        run(() -> c.txn.addColumn(name, column));
      }
      case AlterTableStmt.DropColumn drop -> {
        if (t.schema().columnIndex(drop.column()) < 0) {
          if (drop.ifExists()) {
            c.session.notice(
                "00000",
                "column \""
                    + drop.column()
                    + "\" of relation \""
                    + name
                    + "\" does not exist, skipping");
            return;
          }
          throw new SqlException(
              "42703",
              "column \"" + drop.column() + "\" of relation \"" + name + "\" does not exist");
        }
        run(() -> c.txn.dropColumn(name, drop.column()));
      }
    }
  }

  /** The NOT NULL check PostgreSQL makes when a column without default is added. */
  private static final class RowSourceCheck {
    static void requireEmpty(EvalContext c, Table t, String col, String table) {
      if (c.txn.scan(t).next()) {
        throw new SqlException(
            "23502", "column \"" + col + "\" of relation \"" + table + "\" contains null values");
      }
    }
  }

  static Plan vacuum(VacuumStmt s) {
    String tag = s.vacuum() ? "VACUUM" : "ANALYZE";
    return utility(c -> {
      for (QualifiedName qn : s.tables()) {
        if (c.txn.table(TableRef.checkSchema(qn)) == null) {
          throw Errors.undefinedTable(qn.toString());
        }
      }
      return tag;
    });
  }

  /** Runs a storage call, translating its errors. */
  static void run(Runnable r) {
    try {
      r.run();
    } catch (org.walden.storage.StorageException e) {
      throw Errors.fromStorage(e);
    }
  }
}
