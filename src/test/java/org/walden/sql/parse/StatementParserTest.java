package org.walden.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.walden.sql.parse.ExprParserTest.bin;
import static org.walden.sql.parse.ExprParserTest.col;
import static org.walden.sql.parse.ExprParserTest.i;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.walden.sql.parse.ast.AlterRoleStmt;
import org.walden.sql.parse.ast.AlterSystemStmt;
import org.walden.sql.parse.ast.AlterTableStmt;
import org.walden.sql.parse.ast.Assignment;
import org.walden.sql.parse.ast.ColumnDef;
import org.walden.sql.parse.ast.CopyStmt;
import org.walden.sql.parse.ast.CreateRoleStmt;
import org.walden.sql.parse.ast.CreateTableStmt;
import org.walden.sql.parse.ast.DeleteStmt;
import org.walden.sql.parse.ast.DropRoleStmt;
import org.walden.sql.parse.ast.DropTableStmt;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.Expr.BinaryOp;
import org.walden.sql.parse.ast.FromItem;
import org.walden.sql.parse.ast.InsertStmt;
import org.walden.sql.parse.ast.OrderItem;
import org.walden.sql.parse.ast.OrderItem.NullsOrder;
import org.walden.sql.parse.ast.QualifiedName;
import org.walden.sql.parse.ast.ResetStmt;
import org.walden.sql.parse.ast.RoleOption;
import org.walden.sql.parse.ast.RoleOption.RoleFlag;
import org.walden.sql.parse.ast.SelectItem;
import org.walden.sql.parse.ast.SelectStmt;
import org.walden.sql.parse.ast.SetStmt;
import org.walden.sql.parse.ast.ShowStmt;
import org.walden.sql.parse.ast.Statement;
import org.walden.sql.parse.ast.TransactionStmt;
import org.walden.sql.parse.ast.TransactionStmt.AccessMode;
import org.walden.sql.parse.ast.TransactionStmt.IsolationLevel;
import org.walden.sql.parse.ast.TransactionStmt.Kind;
import org.walden.sql.parse.ast.TruncateStmt;
import org.walden.sql.parse.ast.TypeName;
import org.walden.sql.parse.ast.UpdateStmt;
import org.walden.sql.parse.ast.VacuumStmt;

class StatementParserTest {

  private static QualifiedName t(String name) {
    return QualifiedName.of(name);
  }

  private static SelectItem.Column item(Expr e) {
    return new SelectItem.Column(e, null);
  }

  private static SelectStmt select(List<SelectItem> targets, FromItem from, Expr where) {
    return new SelectStmt(targets, from, where, List.of(), null, List.of(), null, null);
  }

  private static ColumnDef column(String name, TypeName type, boolean notNull, Expr dflt) {
    return new ColumnDef(name, type, notNull, dflt);
  }

  private static CopyStmt.Options copyOptions(
      CopyStmt.Format format, boolean freeze, String delimiter, String nul, boolean header) {
    return new CopyStmt.Options(format, freeze, delimiter, nul, header, null, null);
  }

  static Stream<Arguments> statements() {
    Expr.FuncCall countStar = new Expr.FuncCall(null, "count", List.of(), true, false);
    return Stream.of(
        // ---- DDL
        Arguments.of(
            "CREATE TABLE IF NOT EXISTS s.t (a int PRIMARY KEY, b text NOT NULL DEFAULT 'x',"
                + " c timestamptz DEFAULT now(), d timestamp DEFAULT CURRENT_TIMESTAMP NULL)",
            new CreateTableStmt(
                new QualifiedName("s", "t"),
                true,
                List.of(
                    column("a", TypeName.of("int4"), false, null),
                    column("b", TypeName.of("text"), true, new Expr.StringLit("x")),
                    column(
                        "c",
                        TypeName.of("timestamptz"),
                        false,
                        new Expr.FuncCall(null, "now", List.of(), false, false)),
                    column(
                        "d",
                        TypeName.of("timestamp"),
                        false,
                        new Expr.SqlValue(Expr.SqlValueKind.CURRENT_TIMESTAMP, -1))),
                List.of("a"))),
        Arguments.of(
            "create table kv (k bigint, v bytea, n numeric(10,2) default -1.5, primary key (k, v))"
                + " with (fillfactor = 90)",
            new CreateTableStmt(
                t("kv"),
                false,
                List.of(
                    column("k", TypeName.of("int8"), false, null),
                    column("v", TypeName.of("bytea"), false, null),
                    column(
                        "n", new TypeName("numeric", 10, 2), false, new Expr.NumericLit("-1.5"))),
                List.of("k", "v"))),
        Arguments.of(
            "DROP TABLE IF EXISTS a, b CASCADE",
            new DropTableStmt(List.of(t("a"), t("b")), true, true)),
        Arguments.of("drop table a restrict", new DropTableStmt(List.of(t("a")), false, false)),
        Arguments.of("TRUNCATE TABLE a, b", new TruncateStmt(List.of(t("a"), t("b")))),
        Arguments.of("truncate a restart identity cascade", new TruncateStmt(List.of(t("a")))),
        Arguments.of(
            "ALTER TABLE t ADD COLUMN x varchar(20) NOT NULL DEFAULT '', DROP COLUMN IF EXISTS y,"
                + " ADD CONSTRAINT t_pkey PRIMARY KEY (id)",
            new AlterTableStmt(
                t("t"),
                false,
                List.of(
                    new AlterTableStmt.AddColumn(
                        column("x", TypeName.of("varchar", 20), true, new Expr.StringLit("")),
                        false),
                    new AlterTableStmt.DropColumn("y", true, false),
                    new AlterTableStmt.AddPrimaryKey(List.of("id"))))),
        Arguments.of(
            "alter table if exists t add z int, drop w cascade",
            new AlterTableStmt(
                t("t"),
                true,
                List.of(
                    new AlterTableStmt.AddColumn(
                        column("z", TypeName.of("int4"), false, null), false),
                    new AlterTableStmt.DropColumn("w", false, true)))),
        Arguments.of(
            "CREATE ROLE repl WITH LOGIN REPLICATION PASSWORD 'secret'",
            new CreateRoleStmt(
                "repl",
                false,
                List.of(
                    new RoleOption.Flag(RoleFlag.LOGIN, true),
                    new RoleOption.Flag(RoleFlag.REPLICATION, true),
                    new RoleOption.Password("secret")))),
        Arguments.of(
            "create user bob nosuperuser nologin password null",
            new CreateRoleStmt(
                "bob",
                true,
                List.of(
                    new RoleOption.Flag(RoleFlag.SUPERUSER, false),
                    new RoleOption.Flag(RoleFlag.LOGIN, false),
                    new RoleOption.Password(null)))),
        Arguments.of(
            "ALTER USER bob WITH PASSWORD 'x' NOREPLICATION",
            new AlterRoleStmt(
                "bob",
                List.of(
                    new RoleOption.Password("x"),
                    new RoleOption.Flag(RoleFlag.REPLICATION, false)))),
        Arguments.of(
            "DROP ROLE IF EXISTS bob, \"Alice\"", new DropRoleStmt(List.of("bob", "Alice"), true)),
        Arguments.of("drop user bob", new DropRoleStmt(List.of("bob"), false)),
        Arguments.of("VACUUM", new VacuumStmt(true, false, List.of())),
        Arguments.of(
            "vacuum analyze pgbench_branches",
            new VacuumStmt(true, true, List.of(t("pgbench_branches")))),
        Arguments.of(
            "VACUUM (ANALYZE, VERBOSE) a, b", new VacuumStmt(true, true, List.of(t("a"), t("b")))),
        Arguments.of("ANALYZE", new VacuumStmt(false, true, List.of())),
        Arguments.of("analyse t", new VacuumStmt(false, true, List.of(t("t")))),
        // ---- DML
        Arguments.of(
            "INSERT INTO t (a, b) VALUES (1, 'x'), ($1, DEFAULT) RETURNING *",
            new InsertStmt(
                t("t"),
                List.of("a", "b"),
                List.of(
                    List.of(i(1), new Expr.StringLit("x")),
                    List.of(new Expr.Param(1), Expr.Default.INSTANCE)),
                null,
                null,
                List.of(new SelectItem.Star(null)))),
        Arguments.of(
            "insert into t select 1",
            new InsertStmt(
                t("t"), List.of(), null, select(List.of(item(i(1))), null, null), null, List.of())),
        Arguments.of(
            "insert into t default values",
            new InsertStmt(t("t"), List.of(), List.of(List.of()), null, null, List.of())),
        Arguments.of(
            "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING",
            new InsertStmt(
                t("t"),
                List.of(),
                List.of(List.of(i(1))),
                null,
                new InsertStmt.OnConflict(List.of(), false, List.of(), null),
                List.of())),
        Arguments.of(
            "INSERT INTO t VALUES (1, 2) ON CONFLICT (k) DO UPDATE SET v = excluded.v + t.v"
                + " WHERE t.v < 10 RETURNING k AS key",
            new InsertStmt(
                t("t"),
                List.of(),
                List.of(List.of(i(1), i(2))),
                null,
                new InsertStmt.OnConflict(
                    List.of("k"),
                    true,
                    List.of(
                        new Assignment(
                            "v",
                            bin(
                                BinaryOp.ADD,
                                new Expr.ColumnRef("excluded", "v"),
                                new Expr.ColumnRef("t", "v")))),
                    bin(BinaryOp.LT, new Expr.ColumnRef("t", "v"), i(10))),
                List.of(new SelectItem.Column(col("k"), "key")))),
        Arguments.of(
            "UPDATE t SET a = a + 1, b = DEFAULT WHERE id = $1 RETURNING a",
            new UpdateStmt(
                t("t"),
                null,
                List.of(
                    new Assignment("a", bin(BinaryOp.ADD, col("a"), i(1))),
                    new Assignment("b", Expr.Default.INSTANCE)),
                bin(BinaryOp.EQ, col("id"), new Expr.Param(1)),
                List.of(item(col("a"))))),
        Arguments.of(
            "update t as x set a = 1",
            new UpdateStmt(t("t"), "x", List.of(new Assignment("a", i(1))), null, List.of())),
        Arguments.of(
            "DELETE FROM t WHERE a IS NULL RETURNING t.*",
            new DeleteStmt(
                t("t"), null, new Expr.IsNull(col("a"), false), List.of(new SelectItem.Star("t")))),
        Arguments.of("delete from t", new DeleteStmt(t("t"), null, null, List.of())),
        // ---- SELECT
        Arguments.of(
            "SELECT a AS x, b y, t.* FROM s.t AS tt WHERE a > 1 GROUP BY a, b HAVING count(*) > 2"
                + " ORDER BY a DESC NULLS LAST, b, 1 ASC NULLS FIRST LIMIT 10 OFFSET 5",
            new SelectStmt(
                List.of(
                    new SelectItem.Column(col("a"), "x"),
                    new SelectItem.Column(col("b"), "y"),
                    new SelectItem.Star("t")),
                new FromItem.Table(new QualifiedName("s", "t"), "tt"),
                bin(BinaryOp.GT, col("a"), i(1)),
                List.of(col("a"), col("b")),
                bin(BinaryOp.GT, countStar, i(2)),
                List.of(
                    new OrderItem(col("a"), true, NullsOrder.LAST),
                    new OrderItem(col("b"), false, NullsOrder.DEFAULT),
                    new OrderItem(i(1), false, NullsOrder.FIRST)),
                i(10),
                i(5))),
        Arguments.of(
            "select * from t x limit all",
            select(List.of(new SelectItem.Star(null)), new FromItem.Table(t("t"), "x"), null)),
        Arguments.of(
            "select g from generate_series(1, 10) g",
            select(
                List.of(item(col("g"))),
                new FromItem.Function(
                    new Expr.FuncCall(null, "generate_series", List.of(i(1), i(10)), false, false),
                    "g"),
                null)),
        Arguments.of(
            "SELECT 1 FETCH FIRST 3 ROWS ONLY",
            new SelectStmt(
                List.of(item(i(1))), null, null, List.of(), null, List.of(), i(3), null)),
        Arguments.of("select", select(List.of(), null, null)),
        Arguments.of(
            "select count(*) from pgbench_branches",
            select(
                List.of(item(countStar)), new FromItem.Table(t("pgbench_branches"), null), null)),
        // ---- transactions
        Arguments.of("BEGIN", TransactionStmt.of(Kind.BEGIN)),
        Arguments.of("begin work", TransactionStmt.of(Kind.BEGIN)),
        Arguments.of(
            "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            new TransactionStmt(Kind.BEGIN, IsolationLevel.REPEATABLE_READ, AccessMode.READ_ONLY)),
        Arguments.of(
            "START TRANSACTION ISOLATION LEVEL SERIALIZABLE READ WRITE NOT DEFERRABLE",
            new TransactionStmt(
                Kind.START_TRANSACTION, IsolationLevel.SERIALIZABLE, AccessMode.READ_WRITE)),
        Arguments.of(
            "begin isolation level read uncommitted",
            new TransactionStmt(Kind.BEGIN, IsolationLevel.READ_UNCOMMITTED, AccessMode.DEFAULT)),
        Arguments.of("COMMIT", TransactionStmt.of(Kind.COMMIT)),
        Arguments.of("end transaction", TransactionStmt.of(Kind.COMMIT)),
        Arguments.of("commit work and no chain", TransactionStmt.of(Kind.COMMIT)),
        Arguments.of("ROLLBACK", TransactionStmt.of(Kind.ROLLBACK)),
        Arguments.of("abort", TransactionStmt.of(Kind.ROLLBACK)),
        Arguments.of(
            "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
            new TransactionStmt(
                Kind.SET_TRANSACTION, IsolationLevel.READ_COMMITTED, AccessMode.DEFAULT)),
        // ---- SET / SHOW / RESET
        Arguments.of(
            "SET application_name = 'PostgreSQL JDBC Driver'",
            new SetStmt(false, "application_name", List.of("PostgreSQL JDBC Driver"))),
        Arguments.of(
            "set local synchronous_commit to off",
            new SetStmt(true, "synchronous_commit", List.of("off"))),
        Arguments.of(
            "SET SESSION extra_float_digits = 3",
            new SetStmt(false, "extra_float_digits", List.of("3"))),
        Arguments.of("set x.y = -1.5", new SetStmt(false, "x.y", List.of("-1.5"))),
        Arguments.of(
            "SET search_path TO \"$user\", public",
            new SetStmt(false, "search_path", List.of("$user", "public"))),
        Arguments.of("set enable_x = on", new SetStmt(false, "enable_x", List.of("on"))),
        Arguments.of("set enable_x = true", new SetStmt(false, "enable_x", List.of("true"))),
        Arguments.of("SET work_mem TO DEFAULT", new SetStmt(false, "work_mem", List.of())),
        Arguments.of("SET TIME ZONE 'UTC'", new SetStmt(false, "timezone", List.of("UTC"))),
        Arguments.of("set time zone local", new SetStmt(false, "timezone", List.of())),
        Arguments.of("SET NAMES 'UTF8'", new SetStmt(false, "client_encoding", List.of("UTF8"))),
        Arguments.of("SHOW transaction_read_only", new ShowStmt("transaction_read_only")),
        Arguments.of("show all", new ShowStmt("all")),
        Arguments.of("SHOW TIME ZONE", new ShowStmt("timezone")),
        Arguments.of("show transaction isolation level", new ShowStmt("transaction_isolation")),
        Arguments.of("RESET ALL", new ResetStmt("all")),
        Arguments.of("reset Application_Name", new ResetStmt("application_name")),
        // ---- ALTER SYSTEM
        Arguments.of(
            "ALTER SYSTEM SET checkpoint_timeout = '7min'",
            new AlterSystemStmt("checkpoint_timeout", List.of("7min"), false)),
        Arguments.of(
            "alter system set synchronous_standby_names to 'FIRST 1 (s1)'",
            new AlterSystemStmt("synchronous_standby_names", List.of("FIRST 1 (s1)"), false)),
        Arguments.of(
            "alter system set work_mem = 64",
            new AlterSystemStmt("work_mem", List.of("64"), false)),
        Arguments.of(
            "ALTER SYSTEM SET Work_Mem TO DEFAULT",
            new AlterSystemStmt("work_mem", List.of(), false)),
        Arguments.of(
            "alter system reset max_wal_size",
            new AlterSystemStmt("max_wal_size", List.of(), true)),
        Arguments.of("ALTER SYSTEM RESET ALL", new AlterSystemStmt("all", List.of(), true)),
        // ---- COPY
        Arguments.of(
            "copy pgbench_accounts from stdin with (freeze on)",
            new CopyStmt(
                t("pgbench_accounts"),
                List.of(),
                true,
                copyOptions(CopyStmt.Format.TEXT, true, null, null, false))),
        Arguments.of(
            "COPY t (a, b) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';', NULL 'NULL')",
            new CopyStmt(
                t("t"),
                List.of("a", "b"),
                false,
                copyOptions(CopyStmt.Format.CSV, false, ";", "NULL", true))),
        Arguments.of(
            "copy t from stdin with csv header",
            new CopyStmt(
                t("t"),
                List.of(),
                true,
                copyOptions(CopyStmt.Format.CSV, false, null, null, true))),
        Arguments.of(
            "copy t to stdout delimiter as '|' null as ''",
            new CopyStmt(
                t("t"),
                List.of(),
                false,
                copyOptions(CopyStmt.Format.TEXT, false, "|", "", false))),
        Arguments.of(
            "COPY t FROM STDIN", new CopyStmt(t("t"), List.of(), true, CopyStmt.Options.DEFAULT)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void parse_buildsExpectedTree(String sql, Statement expected) {
    assertThat(SqlParser.parse(sql)).isEqualTo(expected);
    assertThat(SqlParser.peekCommandTag(sql)).isEqualTo(expected.commandTag());
  }

  @Test
  void parseScript_splitsOnSemicolonsAndKeepsSpans() {
    String sql = " ;BEGIN; select 1 ;; ; END ; ";
    List<ParsedStatement> all = SqlParser.parseScript(sql);
    assertThat(all).extracting(ParsedStatement::text).containsExactly("BEGIN", "select 1", "END");
    assertThat(all.get(0).start()).isEqualTo(2);
    assertThat(all)
        .extracting(p -> p.statement().commandTag().tag())
        .containsExactly("BEGIN", "SELECT", "COMMIT");
    assertThat(SqlParser.parseAll(sql)).hasSize(3);
  }

  @Test
  void parseAll_emptyInputGivesNoStatements() {
    assertThat(SqlParser.parseAll("")).isEmpty();
    assertThat(SqlParser.parseAll(" ; -- nothing\n ; /* x */")).isEmpty();
    assertThat(SqlParser.parse("  ")).isEqualTo(org.walden.sql.parse.ast.EmptyStmt.INSTANCE);
  }

  @Test
  void parse_rejectsSeveralStatements() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqlParser.parse("select 1; select 2"))
        .hasMessage("cannot insert multiple commands into a prepared statement");
  }

  @Test
  void commandTag_distinguishesVacuumAndAnalyze() {
    assertThat(SqlParser.parse("vacuum").commandTag().tag()).isEqualTo("VACUUM");
    assertThat(SqlParser.parse("analyze").commandTag().tag()).isEqualTo("ANALYZE");
    assertThat(SqlParser.parse("truncate t").commandTag().tag()).isEqualTo("TRUNCATE TABLE");
    assertThat(SqlParser.parse("create user u").commandTag().tag()).isEqualTo("CREATE ROLE");
    assertThat(SqlParser.peekCommandTag("explain select 1")).isNull();
    assertThat(SqlParser.peekCommandTag(";")).isEqualTo(org.walden.sql.parse.ast.CommandTag.EMPTY);
  }
}
