package org.walden.sql.parse;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.Assignment;
import org.walden.sql.parse.ast.DeleteStmt;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.FromItem;
import org.walden.sql.parse.ast.InsertStmt;
import org.walden.sql.parse.ast.OrderItem;
import org.walden.sql.parse.ast.QualifiedName;
import org.walden.sql.parse.ast.SelectItem;
import org.walden.sql.parse.ast.SelectStmt;
import org.walden.sql.parse.ast.UpdateStmt;

/**
 * SELECT, INSERT, UPDATE and DELETE. A query reads at most one table (or one set-returning function
 * such as {@code generate_series}); joins, several FROM items, subqueries, set operations,
 * DISTINCT, FOR UPDATE and window clauses are rejected with 0A000 at their first token.
 */
final class QueryParser {

  private final Cursor c;
  private final ExprParser ex;

  QueryParser(Cursor c, ExprParser ex) {
    this.c = c;
    this.ex = ex;
  }

  // ---- SELECT

  SelectStmt select() {
    c.expect(Keyword.SELECT);
    if (c.at(Keyword.DISTINCT)) {
      throw c.unsupported("SELECT DISTINCT");
    }
    c.accept(Keyword.ALL);
    List<SelectItem> targets = atTargetListEnd() ? List.of() : selectList();
    if (c.at(Keyword.INTO)) {
      throw c.unsupported("SELECT INTO");
    }
    FromItem from = null;
    if (c.accept(Keyword.FROM)) {
      from = fromItem();
    }
    Expr where = c.accept(Keyword.WHERE) ? ex.expr() : null;
    List<Expr> groupBy = List.of();
    if (c.at(Keyword.GROUP)) {
      c.pos++;
      c.expect(Keyword.BY);
      groupBy = List.copyOf(ex.exprList());
    }
    Expr having = c.accept(Keyword.HAVING) ? ex.expr() : null;
    if (c.at(Keyword.WINDOW)) {
      throw c.unsupported("WINDOW");
    }
    rejectSetOperation();
    List<OrderItem> orderBy = List.of();
    if (c.at(Keyword.ORDER)) {
      c.pos++;
      c.expect(Keyword.BY);
      orderBy = orderList();
    }
    Expr limit = null;
    Expr offset = null;
    // LIMIT and OFFSET may come in either order; FETCH FIRST is the standard LIMIT
    for (int i = 0; i < 2; i++) {
      if (limit == null && c.accept(Keyword.LIMIT)) {
        limit = c.accept(Keyword.ALL) ? null : ex.expr();
      } else if (offset == null && c.accept(Keyword.OFFSET)) {
        offset = ex.expr();
        if (!c.accept(Keyword.ROWS)) {
          c.acceptWord("row");
        }
      } else if (limit == null && c.at(Keyword.FETCH)) {
        limit = fetchFirst();
      }
    }
    if (c.at(Keyword.FOR)) {
      throw c.unsupported("SELECT ... FOR UPDATE/SHARE");
    }
    rejectSetOperation();
    return new SelectStmt(targets, from, where, groupBy, having, orderBy, limit, offset);
  }

  private Expr fetchFirst() {
    c.pos++; // FETCH
    if (!c.accept(Keyword.FIRST)) {
      c.expect(Keyword.NEXT);
    }
    Expr count = new Expr.IntLit(1);
    if (!c.at(Keyword.ROWS) && !c.atWord("row")) {
      count = ex.operand();
    }
    if (!c.accept(Keyword.ROWS) && !c.acceptWord("row")) {
      throw c.syntaxError();
    }
    if (c.at(Keyword.WITH)) {
      throw c.unsupported("FETCH ... WITH TIES");
    }
    c.expect(Keyword.ONLY);
    return count;
  }

  private void rejectSetOperation() {
    Keyword k = c.kw();
    if (k == Keyword.UNION || k == Keyword.INTERSECT || k == Keyword.EXCEPT) {
      throw c.unsupported(c.upperText());
    }
  }

  private boolean atTargetListEnd() {
    if (c.atEnd()) {
      return true;
    }
    Keyword k = c.kw();
    return k == Keyword.FROM
        || k == Keyword.WHERE
        || k == Keyword.GROUP
        || k == Keyword.HAVING
        || k == Keyword.ORDER
        || k == Keyword.LIMIT
        || k == Keyword.OFFSET
        || k == Keyword.UNION
        || k == Keyword.INTERSECT
        || k == Keyword.EXCEPT
        || c.at(Tokens.RPAREN);
  }

  /** A SELECT or RETURNING list. */
  List<SelectItem> selectList() {
    List<SelectItem> items = new ArrayList<>(4);
    do {
      items.add(selectItem());
    } while (c.accept(Tokens.COMMA));
    return List.copyOf(items);
  }

  private SelectItem selectItem() {
    if (c.accept(Tokens.STAR)) {
      return new SelectItem.Star(null);
    }
    if (c.atColId() && c.kind(1) == Tokens.DOT && c.kind(2) == Tokens.STAR) {
      String table = c.name(c.pos);
      c.pos += 3;
      return new SelectItem.Star(table);
    }
    Expr e = ex.expr();
    String alias = null;
    if (c.accept(Keyword.AS)) {
      alias = c.label();
    } else if (atBareLabel()) {
      alias = c.name(c.pos++);
    }
    return new SelectItem.Column(e, alias);
  }

  /** An alias without AS: a name that is not a reserved word (which would start a clause). */
  private boolean atBareLabel() {
    if (c.at(Tokens.QIDENT)) {
      return true;
    }
    if (!c.at(Tokens.IDENT)) {
      return false;
    }
    Keyword k = c.kw();
    return k == null || k.category != Keyword.Category.RESERVED && k != Keyword.OVER;
  }

  private FromItem fromItem() {
    if (c.at(Tokens.LPAREN)) {
      throw c.unsupported("subqueries in FROM");
    }
    if (c.at(Keyword.LATERAL)) {
      throw c.unsupported("LATERAL");
    }
    c.accept(Keyword.ONLY);
    String first = c.colId();
    String second = null;
    if (c.accept(Tokens.DOT)) {
      second = c.label();
    }
    FromItem item;
    if (c.at(Tokens.LPAREN)) {
      Expr.FuncCall call =
          second == null ? ex.functionCall(null, first) : ex.functionCall(first, second);
      if (c.at(Keyword.WITH)) {
        throw c.unsupported("WITH ORDINALITY");
      }
      item = new FromItem.Function(call, tableAlias());
    } else {
      QualifiedName name =
          second == null ? QualifiedName.of(first) : new QualifiedName(first, second);
      if (c.at(Keyword.TABLESAMPLE)) {
        throw c.unsupported("TABLESAMPLE");
      }
      item = new FromItem.Table(name, tableAlias());
    }
    if (c.at(Tokens.LPAREN)) {
      throw c.unsupported("column aliases in FROM");
    }
    if (c.at(Tokens.COMMA)) {
      throw c.unsupported("more than one FROM item (joins)");
    }
    Keyword k = c.kw();
    if (k == Keyword.JOIN
        || k == Keyword.INNER
        || k == Keyword.LEFT
        || k == Keyword.RIGHT
        || k == Keyword.FULL
        || k == Keyword.CROSS
        || k == Keyword.NATURAL) {
      throw c.unsupported("JOIN");
    }
    return item;
  }

  /** {@code [AS] alias}, or null. */
  String tableAlias() {
    if (c.accept(Keyword.AS)) {
      return c.colId();
    }
    if (c.atColId() && !c.at(Keyword.SET)) {
      return c.name(c.pos++);
    }
    return null;
  }

  private List<OrderItem> orderList() {
    List<OrderItem> items = new ArrayList<>(2);
    do {
      Expr e = ex.expr();
      boolean desc = false;
      if (c.accept(Keyword.DESC)) {
        desc = true;
      } else if (!c.accept(Keyword.ASC) && c.at(Keyword.USING)) {
        throw c.unsupported("ORDER BY ... USING");
      }
      OrderItem.NullsOrder nulls = OrderItem.NullsOrder.DEFAULT;
      if (c.accept(Keyword.NULLS)) {
        if (c.accept(Keyword.FIRST)) {
          nulls = OrderItem.NullsOrder.FIRST;
        } else {
          c.expect(Keyword.LAST);
          nulls = OrderItem.NullsOrder.LAST;
        }
      }
      items.add(new OrderItem(e, desc, nulls));
    } while (c.accept(Tokens.COMMA));
    return List.copyOf(items);
  }

  // ---- INSERT

  InsertStmt insert() {
    c.expect(Keyword.INSERT);
    c.expect(Keyword.INTO);
    QualifiedName table = qualifiedName();
    if (c.accept(Keyword.AS)) {
      throw c.unsupportedAt(c.pos - 1, "INSERT ... AS alias");
    }
    List<String> columns = List.of();
    if (c.at(Tokens.LPAREN)) {
      Keyword next = c.kw(1);
      if (next == Keyword.SELECT || next == Keyword.VALUES || next == Keyword.WITH) {
        throw c.unsupported("a parenthesised INSERT source");
      }
      c.pos++;
      columns = nameList();
      c.expect(Tokens.RPAREN);
    }
    List<List<Expr>> values = null;
    SelectStmt select = null;
    if (c.atWord("overriding")) {
      throw c.unsupported("OVERRIDING");
    }
    if (c.accept(Keyword.VALUES)) {
      values = new ArrayList<>(1);
      do {
        values.add(valuesRow());
      } while (c.accept(Tokens.COMMA));
      values = List.copyOf(values);
    } else if (c.at(Keyword.SELECT)) {
      select = select();
    } else if (c.at(Keyword.DEFAULT)) {
      c.pos++;
      c.expect(Keyword.VALUES);
      values = List.of(List.of());
    } else if (c.at(Tokens.LPAREN) || c.at(Keyword.WITH)) {
      throw c.unsupported("this INSERT source");
    } else {
      throw c.syntaxError();
    }
    InsertStmt.OnConflict onConflict = null;
    if (c.at(Keyword.ON) && c.kw(1) == Keyword.CONFLICT) {
      c.pos += 2;
      onConflict = onConflict();
    }
    return new InsertStmt(table, columns, values, select, onConflict, returning());
  }

  private List<Expr> valuesRow() {
    c.expect(Tokens.LPAREN);
    List<Expr> row = new ArrayList<>(8);
    do {
      if (c.at(Keyword.DEFAULT) && (c.kind(1) == Tokens.COMMA || c.kind(1) == Tokens.RPAREN)) {
        c.pos++;
        row.add(Expr.Default.INSTANCE);
      } else {
        row.add(ex.expr());
      }
    } while (c.accept(Tokens.COMMA));
    c.expect(Tokens.RPAREN);
    return List.copyOf(row);
  }

  private InsertStmt.OnConflict onConflict() {
    List<String> target = List.of();
    if (c.at(Keyword.ON)) {
      throw c.unsupported("ON CONFLICT ON CONSTRAINT");
    }
    if (c.accept(Tokens.LPAREN)) {
      target = nameList();
      c.expect(Tokens.RPAREN);
      if (c.at(Keyword.WHERE)) {
        throw c.unsupported("ON CONFLICT (...) WHERE");
      }
    }
    c.expect(Keyword.DO);
    if (c.accept(Keyword.NOTHING)) {
      return new InsertStmt.OnConflict(target, false, List.of(), null);
    }
    int at = c.pos;
    c.expect(Keyword.UPDATE);
    if (target.isEmpty()) {
      throw c.errorAt(
          at,
          SqlParseException.SYNTAX_ERROR,
          "ON CONFLICT DO UPDATE requires inference specification or constraint name");
    }
    c.expect(Keyword.SET);
    List<Assignment> set = assignments();
    Expr where = c.accept(Keyword.WHERE) ? ex.expr() : null;
    return new InsertStmt.OnConflict(target, true, set, where);
  }

  /** {@code RETURNING list}, or the empty list. */
  List<SelectItem> returning() {
    return c.accept(Keyword.RETURNING) ? selectList() : List.of();
  }

  // ---- UPDATE / DELETE

  UpdateStmt update() {
    c.expect(Keyword.UPDATE);
    QualifiedName table = qualifiedName();
    String alias = tableAlias();
    c.expect(Keyword.SET);
    List<Assignment> set = assignments();
    if (c.at(Keyword.FROM)) {
      throw c.unsupported("UPDATE ... FROM");
    }
    Expr where = where();
    return new UpdateStmt(table, alias, set, where, returning());
  }

  DeleteStmt delete() {
    c.expect(Keyword.DELETE);
    c.expect(Keyword.FROM);
    QualifiedName table = qualifiedName();
    String alias = tableAlias();
    if (c.at(Keyword.USING)) {
      throw c.unsupported("DELETE ... USING");
    }
    Expr where = where();
    return new DeleteStmt(table, alias, where, returning());
  }

  private Expr where() {
    if (!c.accept(Keyword.WHERE)) {
      return null;
    }
    if (c.atWord("current") && c.kw(1) == Keyword.OF) {
      throw c.unsupported("WHERE CURRENT OF");
    }
    return ex.expr();
  }

  private List<Assignment> assignments() {
    List<Assignment> set = new ArrayList<>(2);
    do {
      if (c.at(Tokens.LPAREN)) {
        throw c.unsupported("multiple-column assignment");
      }
      String column = c.colId();
      if (c.at(Tokens.DOT) || c.at(Tokens.LBRACKET)) {
        throw c.unsupported("assignment to a field or array element");
      }
      c.expect(Tokens.EQ);
      Expr value;
      if (c.at(Keyword.DEFAULT) && !isExpressionContinuation(c.kind(1))) {
        c.pos++;
        value = Expr.Default.INSTANCE;
      } else {
        value = ex.expr();
      }
      set.add(new Assignment(column, value));
    } while (c.accept(Tokens.COMMA));
    return List.copyOf(set);
  }

  private static boolean isExpressionContinuation(int kind) {
    return kind == Tokens.LPAREN || kind == Tokens.DOT || kind == Tokens.TYPECAST;
  }

  // ---- shared

  QualifiedName qualifiedName() {
    c.accept(Keyword.ONLY);
    String first = c.colId();
    if (c.accept(Tokens.DOT)) {
      String second = c.label();
      if (c.at(Tokens.DOT)) {
        throw c.unsupported("cross-database references");
      }
      return new QualifiedName(first, second);
    }
    return QualifiedName.of(first);
  }

  /** {@code a, b, c} of column names. */
  List<String> nameList() {
    List<String> names = new ArrayList<>(4);
    do {
      names.add(c.colId());
    } while (c.accept(Tokens.COMMA));
    return List.copyOf(names);
  }
}
