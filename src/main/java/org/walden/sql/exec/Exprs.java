package org.walden.sql.exec;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.Expr;

/** Structural questions about expression trees, asked while planning. Stateless. */
final class Exprs {
  private Exprs() {}

  static List<Expr> children(Expr e) {
    return switch (e) {
      case Expr.Unary u -> List.of(u.operand());
      case Expr.Binary b -> List.of(b.left(), b.right());
      case Expr.IsNull n -> List.of(n.operand());
      case Expr.IsBool b -> List.of(b.operand());
      case Expr.InList in -> {
        List<Expr> l = new ArrayList<>(in.list());
        l.add(in.operand());
        yield l;
      }
      case Expr.Between b -> List.of(b.operand(), b.low(), b.high());
      case Expr.Like l -> {
        List<Expr> out = new ArrayList<>(List.of(l.operand(), l.pattern()));
        if (l.escape() != null) {
          out.add(l.escape());
        }
        yield out;
      }
      case Expr.Case k -> {
        List<Expr> out = new ArrayList<>();
        if (k.operand() != null) {
          out.add(k.operand());
        }
        for (Expr.When w : k.whens()) {
          out.add(w.condition());
          out.add(w.result());
        }
        if (k.otherwise() != null) {
          out.add(k.otherwise());
        }
        yield out;
      }
      case Expr.Cast c -> List.of(c.operand());
      case Expr.FuncCall f -> f.args();
      default -> List.of();
    };
  }

  static boolean containsAggregate(Expr e) {
    if (e instanceof Expr.FuncCall f && Aggregates.isAggregate(f.name())) {
      return true;
    }
    for (Expr c : children(e)) {
      if (containsAggregate(c)) {
        return true;
      }
    }
    return false;
  }

  /** True if the value cannot change from row to row within one execution. */
  static boolean isRowIndependent(Expr e) {
    if (e instanceof Expr.ColumnRef) {
      return false;
    }
    if (e instanceof Expr.FuncCall f
        && (Aggregates.isAggregate(f.name())
            || f.name().equals("random")
            || f.name().equals("set_config"))) {
      return false;
    }
    for (Expr c : children(e)) {
      if (!isRowIndependent(c)) {
        return false;
      }
    }
    return true;
  }

  /** The AND-ed parts of a condition. */
  static void conjuncts(Expr e, List<Expr> out) {
    if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
      conjuncts(b.left(), out);
      conjuncts(b.right(), out);
    } else {
      out.add(e);
    }
  }
}
