package org.walden.sql.parse;

import java.util.ArrayList;
import java.util.List;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.Expr.BinaryOp;
import org.walden.sql.parse.ast.Expr.SqlValueKind;
import org.walden.sql.parse.ast.Expr.UnaryOp;
import org.walden.sql.parse.ast.TypeName;

/**
 * Expressions, by precedence climbing over PostgreSQL's operator table (lowest first):
 *
 * <pre>
 *   1 OR   2 AND   3 NOT (prefix)   4 IS, ISNULL, NOTNULL   5 &lt; &gt; = &lt;= &gt;= &lt;&gt;
 *   6 [NOT] BETWEEN / IN / LIKE / ILIKE   7 other operators (||)   8 + -   9 * / %   10 ^
 *   then unary minus, then :: (tightest)
 * </pre>
 *
 * Levels 4 to 6 are non-associative as in PostgreSQL: {@code a = b = c} is a syntax error at the
 * second {@code =}. A minus sign before a numeric constant is folded into it.
 *
 * <p>Constructs PostgreSQL has but this dialect does not (subqueries, arrays, row constructors,
 * window functions, operators outside the table above, COLLATE, AT TIME ZONE …) raise 0A000 at
 * their first token rather than a syntax error, so clients learn what is missing.
 */
final class ExprParser {

  private static final int P_OR = 1;
  private static final int P_AND = 2;
  private static final int P_NOT = 3;
  private static final int P_IS = 4;
  private static final int P_CMP = 5;
  private static final int P_IN = 6;
  private static final int P_OTHER = 7;
  private static final int P_ADD = 8;
  private static final int P_MUL = 9;
  private static final int P_EXP = 10;

  private final Cursor c;

  ExprParser(Cursor c) {
    this.c = c;
  }

  /** A full expression (PostgreSQL's a_expr). */
  Expr expr() {
    return expr(0);
  }

  /** An expression without boolean and comparison operators at the top (roughly b_expr). */
  Expr operand() {
    return expr(P_OTHER);
  }

  List<Expr> exprList() {
    List<Expr> list = new ArrayList<>(4);
    do {
      list.add(expr(0));
    } while (c.accept(Tokens.COMMA));
    return list;
  }

  private Expr expr(int minPrec) {
    c.enter();
    Expr left = unary();
    int lastNonAssoc = 0;
    while (true) {
      int p = infixPrecedence();
      if (p == 0 || p < minPrec) {
        break;
      }
      if (p == lastNonAssoc) {
        throw c.syntaxError();
      }
      left = infix(left, p);
      lastNonAssoc = p >= P_IS && p <= P_IN ? p : 0;
    }
    c.leave();
    return left;
  }

  /** The precedence of the current token as an infix/postfix operator, or 0 if it is not one. */
  private int infixPrecedence() {
    switch (c.kind()) {
      case Tokens.EQ, Tokens.NE, Tokens.LT, Tokens.LE, Tokens.GT, Tokens.GE -> {
        return P_CMP;
      }
      case Tokens.PLUS, Tokens.MINUS -> {
        return P_ADD;
      }
      case Tokens.STAR, Tokens.SLASH, Tokens.PERCENT -> {
        return P_MUL;
      }
      case Tokens.CARET -> {
        return P_EXP;
      }
      case Tokens.CONCAT, Tokens.OP -> {
        return P_OTHER;
      }
      case Tokens.IDENT -> {
        Keyword k = c.kw();
        if (k == null) {
          return 0;
        }
        return switch (k) {
          case OR -> P_OR;
          case AND -> P_AND;
          case IS, ISNULL, NOTNULL -> P_IS;
          case IN, BETWEEN, LIKE, ILIKE, SIMILAR -> P_IN;
          case NOT -> {
            Keyword n = c.kw(1);
            yield n == Keyword.IN
                    || n == Keyword.BETWEEN
                    || n == Keyword.LIKE
                    || n == Keyword.ILIKE
                    || n == Keyword.SIMILAR
                ? P_IN
                : 0;
          }
          case AT, COLLATE -> P_EXP + 1;
          default -> 0;
        };
      }
      default -> {
        return 0;
      }
    }
  }

  private Expr infix(Expr left, int p) {
    int opIndex = c.pos;
    switch (c.kind()) {
      case Tokens.EQ -> {
        return binary(BinaryOp.EQ, left, p);
      }
      case Tokens.NE -> {
        return binary(BinaryOp.NE, left, p);
      }
      case Tokens.LT -> {
        return binary(BinaryOp.LT, left, p);
      }
      case Tokens.LE -> {
        return binary(BinaryOp.LE, left, p);
      }
      case Tokens.GT -> {
        return binary(BinaryOp.GT, left, p);
      }
      case Tokens.GE -> {
        return binary(BinaryOp.GE, left, p);
      }
      case Tokens.PLUS -> {
        return binary(BinaryOp.ADD, left, p);
      }
      case Tokens.MINUS -> {
        return binary(BinaryOp.SUB, left, p);
      }
      case Tokens.STAR -> {
        return binary(BinaryOp.MUL, left, p);
      }
      case Tokens.SLASH -> {
        return binary(BinaryOp.DIV, left, p);
      }
      case Tokens.PERCENT -> {
        return binary(BinaryOp.MOD, left, p);
      }
      case Tokens.CARET -> {
        return binary(BinaryOp.POW, left, p);
      }
      case Tokens.CONCAT -> {
        return binary(BinaryOp.CONCAT, left, p);
      }
      case Tokens.OP -> throw c.unsupported("operator " + c.t.text(opIndex));
      default -> {}
    }
    Keyword k = c.kw();
    switch (k) {
      case OR -> {
        return binary(BinaryOp.OR, left, p);
      }
      case AND -> {
        return binary(BinaryOp.AND, left, p);
      }
      case ISNULL -> {
        c.pos++;
        return new Expr.IsNull(left, false);
      }
      case NOTNULL -> {
        c.pos++;
        return new Expr.IsNull(left, true);
      }
      case IS -> {
        return is(left);
      }
      case AT -> throw c.unsupported("AT TIME ZONE");
      case COLLATE -> throw c.unsupported("COLLATE");
      default -> {}
    }
    boolean negated = c.accept(Keyword.NOT);
    int at = c.pos;
    switch (c.kw()) {
      case IN -> {
        c.pos++;
        c.expect(Tokens.LPAREN);
        if (c.at(Keyword.SELECT) || c.at(Keyword.VALUES) || c.at(Keyword.WITH)) {
          throw c.unsupported("IN (subquery)");
        }
        List<Expr> list = exprList();
        c.expect(Tokens.RPAREN);
        return new Expr.InList(left, List.copyOf(list), negated);
      }
      case BETWEEN -> {
        c.pos++;
        boolean symmetric = c.accept(Keyword.SYMMETRIC);
        if (!symmetric) {
          c.accept(Keyword.ASYMMETRIC);
        }
        Expr low = expr(P_OTHER);
        c.expect(Keyword.AND);
        Expr high = expr(P_OTHER);
        return new Expr.Between(left, low, high, negated, symmetric);
      }
      case LIKE, ILIKE -> {
        boolean ci = c.kw() == Keyword.ILIKE;
        c.pos++;
        Expr pattern = expr(P_OTHER);
        Expr escape = null;
        if (c.accept(Keyword.ESCAPE)) {
          escape = expr(P_OTHER);
        }
        return new Expr.Like(left, pattern, escape, negated, ci);
      }
      case SIMILAR -> throw c.unsupportedAt(at, "SIMILAR TO");
      default -> throw c.syntaxError();
    }
  }

  private Expr binary(BinaryOp op, Expr left, int p) {
    c.pos++;
    // all binary operators here are left-associative (or non-associative, checked by the caller)
    Expr right = expr(p + 1);
    return new Expr.Binary(op, left, right);
  }

  private Expr is(Expr left) {
    c.pos++; // IS
    boolean not = c.accept(Keyword.NOT);
    Keyword k = c.kw();
    if (k == Keyword.NULL) {
      c.pos++;
      return new Expr.IsNull(left, not);
    }
    if (k == Keyword.TRUE || k == Keyword.FALSE) {
      c.pos++;
      return new Expr.IsBool(left, k == Keyword.TRUE, not);
    }
    if (k == Keyword.UNKNOWN) {
      // IS UNKNOWN is IS NULL for booleans
      c.pos++;
      return new Expr.IsNull(left, not);
    }
    if (k == Keyword.DISTINCT) {
      c.pos++;
      c.expect(Keyword.FROM);
      Expr right = expr(P_CMP);
      return new Expr.Binary(
          not ? BinaryOp.IS_NOT_DISTINCT_FROM : BinaryOp.IS_DISTINCT_FROM, left, right);
    }
    throw c.syntaxError();
  }

  private Expr unary() {
    switch (c.kind()) {
      case Tokens.MINUS -> {
        c.pos++;
        c.enter();
        Expr operand = unary();
        c.leave();
        return negate(operand);
      }
      case Tokens.PLUS -> {
        c.pos++;
        c.enter();
        Expr operand = unary();
        c.leave();
        if (operand instanceof Expr.IntLit || operand instanceof Expr.NumericLit) {
          return operand;
        }
        return new Expr.Unary(UnaryOp.PLUS, operand);
      }
      case Tokens.OP -> throw c.unsupported("prefix operator " + c.t.text(c.pos));
      default -> {}
    }
    if (c.at(Keyword.NOT)) {
      c.pos++;
      return new Expr.Unary(UnaryOp.NOT, expr(P_IS));
    }
    return postfix(primary());
  }

  /** PostgreSQL folds a minus sign into a numeric constant (doNegate). */
  private static Expr negate(Expr operand) {
    if (operand instanceof Expr.IntLit i && i.value() != Long.MIN_VALUE) {
      return new Expr.IntLit(-i.value());
    }
    if (operand instanceof Expr.NumericLit n) {
      String text = n.text().startsWith("-") ? n.text().substring(1) : "-" + n.text();
      if (text.equals("-9223372036854775808")) {
        return new Expr.IntLit(Long.MIN_VALUE);
      }
      return new Expr.NumericLit(text);
    }
    return new Expr.Unary(UnaryOp.NEG, operand);
  }

  private Expr postfix(Expr e) {
    while (true) {
      if (c.accept(Tokens.TYPECAST)) {
        e = new Expr.Cast(e, new TypeParser(c).typeName());
      } else if (c.at(Tokens.LBRACKET)) {
        throw c.unsupported("array subscripting");
      } else {
        return e;
      }
    }
  }

  private Expr primary() {
    int k = c.kind();
    switch (k) {
      case Tokens.INTEGER -> {
        return integer();
      }
      case Tokens.NUMERIC -> {
        return new Expr.NumericLit(c.t.text(c.pos++));
      }
      case Tokens.STRING, Tokens.ESTRING, Tokens.DSTRING -> {
        return new Expr.StringLit(c.string());
      }
      case Tokens.PARAM -> {
        return param();
      }
      case Tokens.LPAREN -> {
        return parenthesised();
      }
      case Tokens.IDENT, Tokens.QIDENT -> {
        return word();
      }
      case Tokens.LBRACKET -> throw c.unsupported("array constructors");
      default -> throw c.syntaxError();
    }
  }

  private Expr integer() {
    int s = c.t.start[c.pos];
    int e = c.t.end[c.pos];
    c.pos++;
    if (e - s <= 18) {
      long v = 0;
      for (int i = s; i < e; i++) {
        v = v * 10 + (c.sql.charAt(i) - '0');
      }
      return new Expr.IntLit(v);
    }
    String text = c.sql.substring(s, e);
    try {
      return new Expr.IntLit(Long.parseLong(text));
    } catch (NumberFormatException tooBig) {
      return new Expr.NumericLit(text);
    }
  }

  private Expr param() {
    int s = c.t.start[c.pos] + 1;
    int e = c.t.end[c.pos];
    long v = 0;
    for (int i = s; i < e && v <= Integer.MAX_VALUE; i++) {
      v = v * 10 + (c.sql.charAt(i) - '0');
    }
    if (v == 0 || v > 65535) {
      throw c.errorAt(
          c.pos, SqlParseException.UNDEFINED_PARAMETER, "there is no parameter " + c.t.text(c.pos));
    }
    c.pos++;
    return new Expr.Param((int) v);
  }

  private Expr parenthesised() {
    c.pos++;
    if (c.at(Keyword.SELECT) || c.at(Keyword.VALUES) || c.at(Keyword.WITH)) {
      throw c.unsupported("subqueries");
    }
    c.enter();
    Expr e = expr(0);
    c.leave();
    if (c.at(Tokens.COMMA)) {
      throw c.unsupported("row constructors");
    }
    c.expect(Tokens.RPAREN);
    return e;
  }

  private Expr word() {
    Keyword k = c.kw();
    if (k != null) {
      Expr special = keywordExpr(k);
      if (special != null) {
        return special;
      }
    }
    int first = c.pos;
    boolean quoted = c.at(Tokens.QIDENT);
    if (!quoted && k != null && !k.isColId()) {
      // type_func_name key words (left, right, …) may only start a function call here
      if (k.isFunctionName() && c.kind(1) == Tokens.LPAREN) {
        return functionCall(null, c.name(c.pos++));
      }
      throw c.syntaxError();
    }
    String name = c.name(c.pos++);
    if (c.at(Tokens.LPAREN)) {
      if (k != null && !k.isFunctionName()) {
        throw c.syntaxErrorAt(c.pos);
      }
      return functionCall(null, name);
    }
    if (!quoted && k == null && c.atString()) {
      // type 'literal', for any type spelled as a plain name: date '…', int4 '…', timestamptz '…'
      return new Expr.TypedLit(TypeParser.genericType(name), c.string());
    }
    if (!c.at(Tokens.DOT)) {
      return new Expr.ColumnRef(null, name);
    }
    c.pos++;
    if (c.at(Tokens.STAR)) {
      throw c.unsupported("a .* reference in an expression");
    }
    String second = c.label();
    if (c.at(Tokens.LPAREN)) {
      return functionCall(name, second);
    }
    if (c.at(Tokens.DOT)) {
      throw c.unsupportedAt(first, "a column reference with more than two parts");
    }
    return new Expr.ColumnRef(name, second);
  }

  /** Key words with their own expression syntax; null if {@code k} is just a name here. */
  private Expr keywordExpr(Keyword k) {
    switch (k) {
      case NULL -> {
        c.pos++;
        return Expr.Null.INSTANCE;
      }
      case TRUE, FALSE -> {
        c.pos++;
        return new Expr.BoolLit(k == Keyword.TRUE);
      }
      case CASE -> {
        return caseExpr();
      }
      case CAST -> {
        c.pos++;
        c.expect(Tokens.LPAREN);
        Expr operand = expr(0);
        c.expect(Keyword.AS);
        TypeName type = new TypeParser(c).typeName();
        c.expect(Tokens.RPAREN);
        return new Expr.Cast(operand, type);
      }
      case CURRENT_TIMESTAMP -> {
        return valueFunction(SqlValueKind.CURRENT_TIMESTAMP, true);
      }
      case CURRENT_TIME -> {
        return valueFunction(SqlValueKind.CURRENT_TIME, true);
      }
      case LOCALTIMESTAMP -> {
        return valueFunction(SqlValueKind.LOCALTIMESTAMP, true);
      }
      case LOCALTIME -> {
        return valueFunction(SqlValueKind.LOCALTIME, true);
      }
      case CURRENT_DATE -> {
        return valueFunction(SqlValueKind.CURRENT_DATE, false);
      }
      case CURRENT_USER -> {
        return valueFunction(SqlValueKind.CURRENT_USER, false);
      }
      case CURRENT_ROLE -> {
        return valueFunction(SqlValueKind.CURRENT_ROLE, false);
      }
      case SESSION_USER -> {
        return valueFunction(SqlValueKind.SESSION_USER, false);
      }
      case USER -> {
        return valueFunction(SqlValueKind.USER, false);
      }
      case CURRENT_CATALOG -> {
        return valueFunction(SqlValueKind.CURRENT_CATALOG, false);
      }
      case CURRENT_SCHEMA -> {
        if (c.kind(1) == Tokens.LPAREN) {
          return null; // current_schema() is an ordinary function call
        }
        return valueFunction(SqlValueKind.CURRENT_SCHEMA, false);
      }
      case SELECT, WITH, VALUES -> throw c.unsupported("subqueries");
      case EXISTS -> throw c.unsupported("EXISTS");
      case ARRAY -> throw c.unsupported("arrays");
      case ROW -> throw c.unsupported("row constructors");
      case ANY, SOME, ALL -> throw c.unsupported(c.upperText() + " (array or subquery)");
      case DEFAULT -> throw c.unsupported("DEFAULT in this position");
      default -> {}
    }
    if (TypeParser.startsKeywordType(k)) {
      return typedLiteral();
    }
    return null;
  }

  /** {@code int '42'}, {@code timestamp with time zone '…'}, {@code double precision '1.5'}. */
  private Expr typedLiteral() {
    int start = c.pos;
    try {
      TypeName type = new TypeParser(c).typeName();
      if (c.atString()) {
        return new Expr.TypedLit(type, c.string());
      }
    } catch (SqlParseException notAType) {
      // fall through: the word may still be a column name
    }
    // not a literal after all: a single type word may still name a column ("time", "int" …)
    c.pos = start;
    if (c.t.kw[start].isColId() && c.kind(1) != Tokens.LPAREN) {
      String name = c.name(c.pos++);
      if (c.accept(Tokens.DOT)) {
        return new Expr.ColumnRef(name, c.label());
      }
      return new Expr.ColumnRef(null, name);
    }
    throw c.syntaxErrorAt(start + 1);
  }

  private Expr valueFunction(SqlValueKind kind, boolean takesPrecision) {
    c.pos++;
    int precision = -1;
    if (takesPrecision && c.at(Tokens.LPAREN)) {
      c.pos++;
      precision = c.smallInt();
      c.expect(Tokens.RPAREN);
    }
    return new Expr.SqlValue(kind, precision);
  }

  private Expr caseExpr() {
    c.pos++; // CASE
    c.enter();
    Expr operand = c.at(Keyword.WHEN) ? null : expr(0);
    List<Expr.When> whens = new ArrayList<>(4);
    if (!c.at(Keyword.WHEN)) {
      throw c.syntaxError();
    }
    while (c.accept(Keyword.WHEN)) {
      Expr cond = expr(0);
      c.expect(Keyword.THEN);
      whens.add(new Expr.When(cond, expr(0)));
    }
    Expr otherwise = c.accept(Keyword.ELSE) ? expr(0) : null;
    c.expect(Keyword.END);
    c.leave();
    return new Expr.Case(operand, List.copyOf(whens), otherwise);
  }

  /** Called with the cursor on the opening parenthesis. */
  Expr.FuncCall functionCall(String schema, String name) {
    c.pos++; // (
    c.enter();
    boolean star = false;
    boolean distinct = false;
    List<Expr> args = List.of();
    if (c.accept(Tokens.STAR)) {
      star = true;
    } else if (!c.at(Tokens.RPAREN)) {
      distinct = c.accept(Keyword.DISTINCT);
      if (!distinct) {
        c.accept(Keyword.ALL);
      }
      if (c.at(Keyword.VARIADIC)) {
        throw c.unsupported("VARIADIC");
      }
      List<Expr> list = new ArrayList<>(4);
      do {
        if (c.kind(1) == Tokens.EQUALS_GREATER || c.kind(1) == Tokens.COLON_EQUALS) {
          throw c.unsupported("named function arguments");
        }
        list.add(expr(0));
      } while (c.accept(Tokens.COMMA));
      if (c.at(Keyword.ORDER)) {
        throw c.unsupported("ORDER BY in aggregate arguments");
      }
      args = List.copyOf(list);
    }
    c.expect(Tokens.RPAREN);
    c.leave();
    if (c.at(Keyword.OVER)) {
      throw c.unsupported("window functions");
    }
    if (c.at(Keyword.FILTER) && c.kind(1) == Tokens.LPAREN) {
      throw c.unsupported("FILTER");
    }
    if (c.at(Keyword.WITHIN)) {
      throw c.unsupported("WITHIN GROUP");
    }
    return new Expr.FuncCall(schema, name, args, star, distinct);
  }
}
