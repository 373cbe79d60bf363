package org.walden.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.Expr.Binary;
import org.walden.sql.parse.ast.Expr.BinaryOp;
import org.walden.sql.parse.ast.Expr.ColumnRef;
import org.walden.sql.parse.ast.Expr.IntLit;
import org.walden.sql.parse.ast.Expr.SqlValueKind;
import org.walden.sql.parse.ast.Expr.StringLit;
import org.walden.sql.parse.ast.Expr.UnaryOp;
import org.walden.sql.parse.ast.SelectItem;
import org.walden.sql.parse.ast.SelectStmt;
import org.walden.sql.parse.ast.TypeName;

class ExprParserTest {

  /** Parses {@code SELECT <expr>} and returns the expression. */
  static Expr expr(String text) {
    SelectStmt s = (SelectStmt) SqlParser.parse("SELECT " + text);
    assertThat(s.targets()).hasSize(1);
    return ((SelectItem.Column) s.targets().get(0)).expr();
  }

  static ColumnRef col(String name) {
    return new ColumnRef(null, name);
  }

  static IntLit i(long v) {
    return new IntLit(v);
  }

  static Binary bin(BinaryOp op, Expr l, Expr r) {
    return new Binary(op, l, r);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("42", i(42)),
        Arguments.of("-42", i(-42)),
        Arguments.of("- 42", i(-42)),
        Arguments.of("+7", i(7)),
        Arguments.of("9223372036854775807", i(Long.MAX_VALUE)),
        Arguments.of("-9223372036854775808", i(Long.MIN_VALUE)),
        Arguments.of("9223372036854775808", new Expr.NumericLit("9223372036854775808")),
        Arguments.of("1.5", new Expr.NumericLit("1.5")),
        Arguments.of("-1.5e3", new Expr.NumericLit("-1.5e3")),
        Arguments.of(".5", new Expr.NumericLit(".5")),
        Arguments.of("'it''s'", new StringLit("it's")),
        Arguments.of("E'a\\nb\\'c\\\\'", new StringLit("a\nb'c\\")),
        Arguments.of("e'\\x41\\101\\u00e9'", new StringLit("AAé")),
        Arguments.of("$$a'b$$", new StringLit("a'b")),
        Arguments.of("$tag$x$$y$tag$", new StringLit("x$$y")),
        Arguments.of("'a'\n'b'", new StringLit("ab")),
        Arguments.of("TRUE", new Expr.BoolLit(true)),
        Arguments.of("false", new Expr.BoolLit(false)),
        Arguments.of("NULL", Expr.Null.INSTANCE),
        Arguments.of("$3", new Expr.Param(3)),
        Arguments.of("Abc", col("abc")),
        Arguments.of("\"Abc\"", col("Abc")),
        Arguments.of("\"a\"\"b\"", col("a\"b")),
        Arguments.of("t.a", new ColumnRef("t", "a")),
        Arguments.of("T.\"A\"", new ColumnRef("t", "A")),
        Arguments.of(
            "timestamp '2024-01-01'", new Expr.TypedLit(TypeName.of("timestamp"), "2024-01-01")),
        Arguments.of(
            "timestamp with time zone 'x'", new Expr.TypedLit(TypeName.of("timestamptz"), "x")),
        Arguments.of("date '2024-01-01'", new Expr.TypedLit(TypeName.of("date"), "2024-01-01")),
        Arguments.of("int '5'", new Expr.TypedLit(TypeName.of("int4"), "5")),
        Arguments.of("1 + 2 * 3", bin(BinaryOp.ADD, i(1), bin(BinaryOp.MUL, i(2), i(3)))),
        Arguments.of("(1 + 2) * 3", bin(BinaryOp.MUL, bin(BinaryOp.ADD, i(1), i(2)), i(3))),
        Arguments.of("1 - 2 - 3", bin(BinaryOp.SUB, bin(BinaryOp.SUB, i(1), i(2)), i(3))),
        Arguments.of("7 % 3 / 2", bin(BinaryOp.DIV, bin(BinaryOp.MOD, i(7), i(3)), i(2))),
        Arguments.of("2 ^ 3 * 4", bin(BinaryOp.MUL, bin(BinaryOp.POW, i(2), i(3)), i(4))),
        Arguments.of("abalance + -4213", bin(BinaryOp.ADD, col("abalance"), i(-4213))),
        Arguments.of("a=-1", bin(BinaryOp.EQ, col("a"), i(-1))),
        Arguments.of("a<-1", bin(BinaryOp.LT, col("a"), i(-1))),
        Arguments.of("-a", new Expr.Unary(UnaryOp.NEG, col("a"))),
        Arguments.of(
            "-a::int", new Expr.Unary(UnaryOp.NEG, new Expr.Cast(col("a"), TypeName.of("int4")))),
        Arguments.of(
            "'a' || 'b' || c",
            bin(
                BinaryOp.CONCAT,
                bin(BinaryOp.CONCAT, new StringLit("a"), new StringLit("b")),
                col("c"))),
        Arguments.of(
            "a || b = c", bin(BinaryOp.EQ, bin(BinaryOp.CONCAT, col("a"), col("b")), col("c"))),
        Arguments.of(
            "a = 1 AND b <> 2 OR c != 3",
            bin(
                BinaryOp.OR,
                bin(
                    BinaryOp.AND,
                    bin(BinaryOp.EQ, col("a"), i(1)),
                    bin(BinaryOp.NE, col("b"), i(2))),
                bin(BinaryOp.NE, col("c"), i(3)))),
        Arguments.of(
            "NOT a = b AND c",
            bin(
                BinaryOp.AND,
                new Expr.Unary(UnaryOp.NOT, bin(BinaryOp.EQ, col("a"), col("b"))),
                col("c"))),
        Arguments.of(
            "NOT NOT a", new Expr.Unary(UnaryOp.NOT, new Expr.Unary(UnaryOp.NOT, col("a")))),
        Arguments.of("a IS NULL", new Expr.IsNull(col("a"), false)),
        Arguments.of("a IS NOT NULL", new Expr.IsNull(col("a"), true)),
        Arguments.of("a ISNULL", new Expr.IsNull(col("a"), false)),
        Arguments.of("a = b IS NULL", new Expr.IsNull(bin(BinaryOp.EQ, col("a"), col("b")), false)),
        Arguments.of("a IS TRUE", new Expr.IsBool(col("a"), true, false)),
        Arguments.of("a IS NOT FALSE", new Expr.IsBool(col("a"), false, true)),
        Arguments.of("a IS DISTINCT FROM b", bin(BinaryOp.IS_DISTINCT_FROM, col("a"), col("b"))),
        Arguments.of("a IN (1, 2)", new Expr.InList(col("a"), List.of(i(1), i(2)), false)),
        Arguments.of("a NOT IN (1)", new Expr.InList(col("a"), List.of(i(1)), true)),
        Arguments.of(
            "a BETWEEN 1 AND 2 + 3",
            new Expr.Between(col("a"), i(1), bin(BinaryOp.ADD, i(2), i(3)), false, false)),
        Arguments.of(
            "a NOT BETWEEN 1 AND 2 AND b",
            bin(BinaryOp.AND, new Expr.Between(col("a"), i(1), i(2), true, false), col("b"))),
        Arguments.of(
            "a LIKE 'x%'", new Expr.Like(col("a"), new StringLit("x%"), null, false, false)),
        Arguments.of(
            "a NOT ILIKE 'x%' ESCAPE '!'",
            new Expr.Like(col("a"), new StringLit("x%"), new StringLit("!"), true, true)),
        Arguments.of(
            "CASE WHEN a THEN 1 ELSE 2 END",
            new Expr.Case(null, List.of(new Expr.When(col("a"), i(1))), i(2))),
        Arguments.of(
            "CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' END",
            new Expr.Case(
                col("a"),
                List.of(
                    new Expr.When(i(1), new StringLit("x")),
                    new Expr.When(i(2), new StringLit("y"))),
                null)),
        Arguments.of("a::text", new Expr.Cast(col("a"), TypeName.of("text"))),
        Arguments.of(
            "CAST(a AS numeric(10, 2))", new Expr.Cast(col("a"), new TypeName("numeric", 10, 2))),
        Arguments.of(
            "a::varchar(5)::bpchar",
            new Expr.Cast(
                new Expr.Cast(col("a"), TypeName.of("varchar", 5)), TypeName.of("bpchar"))),
        Arguments.of("count(*)", new Expr.FuncCall(null, "count", List.of(), true, false)),
        Arguments.of(
            "COUNT(DISTINCT a)", new Expr.FuncCall(null, "count", List.of(col("a")), false, true)),
        Arguments.of(
            "pg_catalog.count(a)",
            new Expr.FuncCall("pg_catalog", "count", List.of(col("a")), false, false)),
        Arguments.of("now()", new Expr.FuncCall(null, "now", List.of(), false, false)),
        Arguments.of(
            "set_config('a', 'b', false)",
            new Expr.FuncCall(
                null,
                "set_config",
                List.of(new StringLit("a"), new StringLit("b"), new Expr.BoolLit(false)),
                false,
                false)),
        Arguments.of(
            "left('abc', 2)",
            new Expr.FuncCall(null, "left", List.of(new StringLit("abc"), i(2)), false, false)),
        Arguments.of(
            "current_setting('x')",
            new Expr.FuncCall(null, "current_setting", List.of(new StringLit("x")), false, false)),
        Arguments.of("CURRENT_TIMESTAMP", new Expr.SqlValue(SqlValueKind.CURRENT_TIMESTAMP, -1)),
        Arguments.of("current_timestamp(3)", new Expr.SqlValue(SqlValueKind.CURRENT_TIMESTAMP, 3)),
        Arguments.of("CURRENT_DATE", new Expr.SqlValue(SqlValueKind.CURRENT_DATE, -1)),
        Arguments.of("current_user", new Expr.SqlValue(SqlValueKind.CURRENT_USER, -1)),
        Arguments.of("SESSION_USER", new Expr.SqlValue(SqlValueKind.SESSION_USER, -1)),
        Arguments.of("LOCALTIMESTAMP", new Expr.SqlValue(SqlValueKind.LOCALTIMESTAMP, -1)),
        Arguments.of("a /* c */ + -- x\n 1", bin(BinaryOp.ADD, col("a"), i(1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expr_parsesToExpectedTree(String text, Expr expected) {
    assertThat(expr(text)).isEqualTo(expected);
  }

  static Stream<Arguments> types() {
    return Stream.of(
        Arguments.of("smallint", TypeName.of("int2")),
        Arguments.of("int2", TypeName.of("int2")),
        Arguments.of("integer", TypeName.of("int4")),
        Arguments.of("int", TypeName.of("int4")),
        Arguments.of("int4", TypeName.of("int4")),
        Arguments.of("bigint", TypeName.of("int8")),
        Arguments.of("boolean", TypeName.of("bool")),
        Arguments.of("bool", TypeName.of("bool")),
        Arguments.of("text", TypeName.of("text")),
        Arguments.of("varchar(10)", TypeName.of("varchar", 10)),
        Arguments.of("character varying(10)", TypeName.of("varchar", 10)),
        Arguments.of("character varying", TypeName.of("varchar")),
        Arguments.of("char(84)", TypeName.of("bpchar", 84)),
        Arguments.of("character(3)", TypeName.of("bpchar", 3)),
        Arguments.of("char", TypeName.of("bpchar", 1)),
        Arguments.of("bpchar", TypeName.of("bpchar")),
        Arguments.of("double precision", TypeName.of("float8")),
        Arguments.of("float8", TypeName.of("float8")),
        Arguments.of("float", TypeName.of("float8")),
        Arguments.of("float(10)", TypeName.of("float4")),
        Arguments.of("real", TypeName.of("float4")),
        Arguments.of("numeric", TypeName.of("numeric")),
        Arguments.of("numeric(12)", TypeName.of("numeric", 12)),
        Arguments.of("decimal(12,3)", new TypeName("numeric", 12, 3)),
        Arguments.of("timestamp", TypeName.of("timestamp")),
        Arguments.of("timestamp without time zone", TypeName.of("timestamp")),
        Arguments.of("timestamp(3) with time zone", TypeName.of("timestamptz", 3)),
        Arguments.of("timestamptz", TypeName.of("timestamptz")),
        Arguments.of("bytea", TypeName.of("bytea")),
        Arguments.of("pg_catalog.int8", TypeName.of("int8")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void cast_normalisesTypeNames(String type, TypeName expected) {
    assertThat(expr("x::" + type)).isEqualTo(new Expr.Cast(col("x"), expected));
  }

  @Test
  void comparison_isNonAssociative() {
    assertThatThrownBy(() -> expr("1 = 1 = true"))
        .isInstanceOfSatisfying(
            SqlParseException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("42601");
              assertThat(e.getMessage()).isEqualTo("syntax error at or near \"=\"");
              assertThat(e.position()).isEqualTo(14);
            });
  }

  @Test
  void deepNesting_isRejectedWith54001() {
    String deep = "(".repeat(5000) + "1" + ")".repeat(5000);
    assertThatThrownBy(() -> expr(deep))
        .isInstanceOfSatisfying(
            SqlParseException.class, e -> assertThat(e.sqlState()).isEqualTo("54001"));
    String minus = "- ".repeat(3000) + "1";
    assertThatThrownBy(() -> expr(minus))
        .isInstanceOfSatisfying(
            SqlParseException.class, e -> assertThat(e.sqlState()).isEqualTo("54001"));
  }

  @Test
  void moderateNesting_parses() {
    String nested = "(".repeat(200) + "1" + ")".repeat(200);
    assertThat(expr(nested)).isEqualTo(i(1));
  }
}
