package org.walden.sql.exec;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.SelectItem;

/**
 * A RETURNING list compiled against the target table's row: evaluated on each row written (the new
 * image for INSERT and UPDATE, the old one for DELETE). Immutable.
 */
final class Returning {
  static final Returning NONE = new Returning(new Eval[0], List.of());

  private final Eval[] outputs;
  final List<ResultColumn> columns;

  private Returning(Eval[] outputs, List<ResultColumn> columns) {
    this.outputs = outputs;
    this.columns = columns;
  }

  static Returning compile(List<SelectItem> items, ExprCompiler comp) {
    if (items.isEmpty()) {
      return NONE;
    }
    List<Eval> evals = new ArrayList<>();
    List<ResultColumn> cols = new ArrayList<>();
    Scope scope = comp.scope();
    for (SelectItem item : items) {
      switch (item) {
        case SelectItem.Star st -> {
          for (String col : scope.names()) {
            Compiled c =
                comp.compileNoAggregates(new Expr.ColumnRef(st.table(), col), null, "RETURNING");
            evals.add(c.eval());
            cols.add(c.resultColumn(null));
          }
        }
        case SelectItem.Column c -> {
          Compiled x = comp.compileNoAggregates(c.expr(), null, "RETURNING");
          evals.add(x.eval());
          cols.add(x.resultColumn(c.alias()));
        }
      }
    }
    return new Returning(evals.toArray(Eval[]::new), List.copyOf(cols));
  }

  boolean isEmpty() {
    return outputs.length == 0;
  }

  /** Evaluates the list on {@code row} (which becomes {@code c.row}). */
  Object[] project(EvalContext c, Object[] row) {
    c.row = row;
    Object[] out = new Object[outputs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = outputs[i].eval(c);
    }
    return out;
  }
}
