package org.walden.sql.exec;

import java.util.List;
import org.walden.sql.parse.ast.AlterRoleStmt;
import org.walden.sql.parse.ast.AlterTableStmt;
import org.walden.sql.parse.ast.CreateRoleStmt;
import org.walden.sql.parse.ast.CreateTableStmt;
import org.walden.sql.parse.ast.DeleteStmt;
import org.walden.sql.parse.ast.DropRoleStmt;
import org.walden.sql.parse.ast.DropTableStmt;
import org.walden.sql.parse.ast.InsertStmt;
import org.walden.sql.parse.ast.SelectStmt;
import org.walden.sql.parse.ast.ShowStmt;
import org.walden.sql.parse.ast.Statement;
import org.walden.sql.parse.ast.TruncateStmt;
import org.walden.sql.parse.ast.UpdateStmt;
import org.walden.sql.parse.ast.VacuumStmt;
import org.walden.storage.StorageException;
import org.walden.storage.txn.Transaction;
import org.walden.storage.type.ColumnType;

/**
 * The SQL executor: turns parsed statements into {@link Prepared} plans and runs them in the
 * session's transaction.
 *
 * <p>Lifecycle: one per server, created at startup, never closed. Thread-safe and stateless: every
 * session calls it concurrently; all per-statement state is in the {@link Prepared} (immutable,
 * shareable) and per-execution state in the returned {@link ResultCursor}.
 *
 * <p>The executor never begins, commits or rolls back. At the start of each execution it asks the
 * transaction for a fresh statement snapshot (a no-op under REPEATABLE READ), which is what READ
 * COMMITTED means per statement. Transaction control, SET/RESET and COPY belong to the session
 * layer; this class runs SHOW too for sessions that pass it on.
 */
public final class Executor {

  public Executor() {}

  /**
   * Prepares {@code stmt}: resolves names against the transaction's catalog, infers the types of
   * parameters given as 0 (text where the context says nothing), and computes the result columns.
   *
   * @param paramTypeOids the client's parameter type OIDs (0 = infer); may be shorter than the
   *     number of parameters used
   * @throws SqlException on unknown tables, columns, functions, type errors, unsupported features
   */
  public Prepared prepare(Statement stmt, int[] paramTypeOids, SqlSession s) {
    int n = Math.max(paramTypeOids.length, maxParam(stmt));
    int[] types = java.util.Arrays.copyOf(paramTypeOids, n);
    Plan plan;
    try {
      plan = compile(stmt, types, s.transaction());
    } catch (StorageException e) {
      throw Errors.fromStorage(e);
    }
    for (int i = 0; i < types.length; i++) {
      if (types[i] == SqlTypes.UNSPECIFIED || types[i] == SqlTypes.UNKNOWN_OID) {
        types[i] = ColumnType.TEXT.oid();
      }
    }
    return new PreparedPlan(stmt, types, paramTypeOids.clone(), plan.columns(), plan);
  }

  /**
   * Runs a prepared statement with {@code params} (Java values of the parameter types, as {@link
   * PgValues} decodes them; null for NULL) in {@code s.transaction()}. Statements without a result
   * have finished when this returns; SELECT rows may be computed as the cursor is pulled.
   */
  public ResultCursor execute(Prepared p, Object[] params, SqlSession s) {
    PreparedPlan pp = (PreparedPlan) p;
    Transaction txn = s.transaction();
    txn.newStatementSnapshot();
    Plan plan = pp.plan();
    if (plan.stale(txn)) {
      Prepared again = prepare(pp.statement(), pp.requestedTypes(), s);
      if (!again.resultColumns().equals(pp.resultColumns())
          || !java.util.Arrays.equals(again.parameterTypes(), pp.parameterTypesArray())) {
        throw new SqlException("0A000", "cached plan must not change result type");
      }
      plan = ((PreparedPlan) again).plan();
    }
    int needed = pp.parameterTypesArray().length;
    if (params.length < needed) {
      throw new SqlException(
          "08P01",
          "bind message supplies "
              + params.length
              + " parameters, but prepared statement requires "
              + needed);
    }
    try {
      return plan.run(new EvalContext(params, s));
    } catch (StorageException e) {
      throw Errors.fromStorage(e);
    }
  }

  private static Plan compile(Statement stmt, int[] types, Transaction txn) {
    return switch (stmt) {
      case SelectStmt sel -> SelectPlan.compile(sel, txn, types);
      case InsertStmt ins -> InsertPlan.compile(ins, txn, types);
      case UpdateStmt upd -> ModifyPlan.update(upd, txn, types);
      case DeleteStmt del -> ModifyPlan.delete(del, txn, types);
      case CreateTableStmt ct -> DdlPlans.createTable(ct);
      case DropTableStmt dt -> DdlPlans.dropTable(dt);
      case TruncateStmt tr -> DdlPlans.truncate(tr);
      case AlterTableStmt at -> DdlPlans.alterTable(at);
      case CreateRoleStmt cr -> RolePlans.create(cr);
      case AlterRoleStmt ar -> RolePlans.alter(ar);
      case DropRoleStmt dr -> RolePlans.drop(dr);
      case VacuumStmt v -> DdlPlans.vacuum(v);
      case ShowStmt sh -> show(sh);
      default ->
          throw new SqlException(
              "0A000",
              stmt.commandTag().tag() + " is handled by the session, not the executor",
              null,
              null,
              0);
    };
  }

  private static Plan show(ShowStmt sh) {
    if (sh.name().equals("all")) {
      throw Errors.unsupported("SHOW ALL");
    }
    List<ResultColumn> cols =
        List.of(new ResultColumn(sh.name(), 0, (short) 0, ColumnType.TEXT.oid(), (short) -1, -1));
    return new Plan() {
      @Override
      public ResultCursor run(EvalContext c) {
        String v = c.session.setting(sh.name());
        if (v == null) {
          throw new SqlException(
              "42704", "unrecognized configuration parameter \"" + sh.name() + "\"");
        }
        return Cursors.rows(List.<Object[]>of(new Object[] {v}), "SHOW");
      }

      @Override
      public List<ResultColumn> columns() {
        return cols;
      }
    };
  }

  /** The highest $n in the statement (parameters are found by walking the record tree). */
  static int maxParam(Object node) {
    if (node instanceof org.walden.sql.parse.ast.Expr.Param p) {
      return p.index();
    }
    int max = 0;
    if (node instanceof List<?> l) {
      for (Object o : l) {
        max = Math.max(max, maxParam(o));
      }
    } else if (node instanceof Record r) {
      for (var comp : r.getClass().getRecordComponents()) {
        Class<?> t = comp.getType();
        if (t.isPrimitive() || t == String.class || t.isEnum()) {
          continue;
        }
        try {
          max = Math.max(max, maxParam(comp.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return max;
  }
}
