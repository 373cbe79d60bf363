package org.walden.sql.parse.ast;

import java.util.List;

/**
 * A scalar expression. The tree already reflects PostgreSQL's operator precedence, so there is no
 * node for parentheses. Constants keep their literal form; typing (int4 vs int8 vs numeric, the
 * type of a string literal) is the executor's job, as PostgreSQL's parse analysis does it.
 */
public sealed interface Expr {

  /** The NULL constant. */
  record Null() implements Expr {
    public static final Null INSTANCE = new Null();
  }

  /** TRUE or FALSE. */
  record BoolLit(boolean value) implements Expr {}

  /**
   * An integer constant that fits in 64 bits (PostgreSQL types it int4 if it fits, else int8). A
   * minus sign written before a constant is folded in, as PostgreSQL's grammar does.
   */
  record IntLit(long value) implements Expr {}

  /** A numeric constant: has a point or exponent, or is too large for int8. Text as written. */
  record NumericLit(String text) implements Expr {}

  /** A string constant ({@code '…'}, {@code E'…'}, {@code $$…$$}), escapes already resolved. */
  record StringLit(String value) implements Expr {}

  /** {@code type 'string'}, such as {@code timestamp '2024-01-01 00:00'}. */
  record TypedLit(TypeName type, String value) implements Expr {}

  /** A bind parameter {@code $n}, 1-based. */
  record Param(int index) implements Expr {}

  /**
   * A column reference.
   *
   * @param table the qualifier in {@code t.col}, or null
   */
  record ColumnRef(String table, String column) implements Expr {}

  /** {@code -x}, {@code +x}, {@code NOT x}. */
  record Unary(UnaryOp op, Expr operand) implements Expr {}

  /** A binary operator, including AND and OR. */
  record Binary(BinaryOp op, Expr left, Expr right) implements Expr {}

  /** {@code x IS [NOT] NULL} (also ISNULL / NOTNULL). */
  record IsNull(Expr operand, boolean negated) implements Expr {}

  /** {@code x IS [NOT] TRUE} / {@code x IS [NOT] FALSE}. */
  record IsBool(Expr operand, boolean value, boolean negated) implements Expr {}

  /** {@code x [NOT] IN (a, b, …)}. */
  record InList(Expr operand, List<Expr> list, boolean negated) implements Expr {}

  /** {@code x [NOT] BETWEEN [SYMMETRIC] low AND high}. */
  record Between(Expr operand, Expr low, Expr high, boolean negated, boolean symmetric)
      implements Expr {}

  /**
   * {@code x [NOT] LIKE|ILIKE pattern [ESCAPE e]}.
   *
   * @param escape the ESCAPE expression, or null (backslash)
   */
  record Like(Expr operand, Expr pattern, Expr escape, boolean negated, boolean caseInsensitive)
      implements Expr {}

  /**
   * {@code CASE [operand] WHEN … THEN … [ELSE …] END}.
   *
   * @param operand the value compared in the simple form, or null for the searched form
   * @param otherwise the ELSE result, or null (NULL)
   */
  record Case(Expr operand, List<When> whens, Expr otherwise) implements Expr {}

  /** One {@code WHEN condition THEN result} arm of a {@link Case}. */
  record When(Expr condition, Expr result) {}

  /** {@code x::type} or {@code CAST(x AS type)}. */
  record Cast(Expr operand, TypeName type) implements Expr {}

  /**
   * A function call.
   *
   * @param schema the schema qualifier ({@code pg_catalog.count}), or null
   * @param name the function name, case-folded
   * @param star true for {@code f(*)} (then args is empty)
   * @param distinct true for {@code f(DISTINCT x)}
   */
  record FuncCall(String schema, String name, List<Expr> args, boolean star, boolean distinct)
      implements Expr {}

  /**
   * A SQL-standard value function written without parentheses: CURRENT_TIMESTAMP and friends.
   *
   * @param precision the fractional-second precision in {@code CURRENT_TIMESTAMP(3)}, or -1
   */
  record SqlValue(SqlValueKind kind, int precision) implements Expr {}

  /** DEFAULT as a value in VALUES lists and UPDATE SET. */
  record Default() implements Expr {
    public static final Default INSTANCE = new Default();
  }

  /** Prefix operators. */
  enum UnaryOp {
    NEG,
    PLUS,
    NOT
  }

  /** Infix operators, with their SQL spelling. */
  enum BinaryOp {
    ADD("+"),
    SUB("-"),
    MUL("*"),
    DIV("/"),
    MOD("%"),
    POW("^"),
    CONCAT("||"),
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    AND("AND"),
    OR("OR"),
    IS_DISTINCT_FROM("IS DISTINCT FROM"),
    IS_NOT_DISTINCT_FROM("IS NOT DISTINCT FROM");

    private final String sql;

    BinaryOp(String sql) {
      this.sql = sql;
    }

    public String sql() {
      return sql;
    }
  }

  /** The parenthesis-free value functions. */
  enum SqlValueKind {
    CURRENT_TIMESTAMP,
    CURRENT_DATE,
    CURRENT_TIME,
    LOCALTIMESTAMP,
    LOCALTIME,
    CURRENT_USER,
    CURRENT_ROLE,
    SESSION_USER,
    USER,
    CURRENT_CATALOG,
    CURRENT_SCHEMA
  }
}
