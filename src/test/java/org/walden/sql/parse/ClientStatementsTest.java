package org.walden.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.walden.sql.parse.ast.AlterTableStmt;
import org.walden.sql.parse.ast.CommandTag;
import org.walden.sql.parse.ast.CreateTableStmt;
import org.walden.sql.parse.ast.Expr;
import org.walden.sql.parse.ast.InsertStmt;
import org.walden.sql.parse.ast.SelectStmt;
import org.walden.sql.parse.ast.Statement;
import org.walden.sql.parse.ast.TypeName;
import org.walden.sql.parse.ast.UpdateStmt;

/** The exact statements pgbench 15 and pgjdbc 42.7 send (pg-protocol-facts §2.4–2.5). */
class ClientStatementsTest {

  static final String[] PGBENCH_INIT = {
    "drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers",
    "create table pgbench_history(tid int,bid int,aid    int,delta int,mtime timestamp,filler"
        + " char(22))",
    "create table pgbench_tellers(tid int not null,bid int,tbalance int,filler char(84)) with"
        + " (fillfactor=100)",
    "create table pgbench_accounts(aid int not null,bid int,abalance int,filler char(84)) with"
        + " (fillfactor=100)",
    "create table pgbench_branches(bid int not null,bbalance int,filler char(88)) with"
        + " (fillfactor=100)",
    "begin",
    "truncate table pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers",
    "truncate pgbench_history",
    "insert into pgbench_branches(bid,bbalance) values(1,0)",
    "insert into pgbench_tellers(tid,bid,tbalance) values (10,1,0)",
    "insert into pgbench_accounts(aid,bid,abalance,filler) select aid, (aid - 1) / 100000 + 1, 0,"
        + " '' from generate_series(1, 100000) as aid",
    "copy pgbench_accounts from stdin with (freeze on)",
    "copy pgbench_accounts from stdin",
    "commit",
    "vacuum analyze pgbench_branches",
    "vacuum analyze pgbench_tellers",
    "vacuum analyze pgbench_accounts",
    "vacuum analyze pgbench_history",
    "vacuum pgbench_branches",
    "alter table pgbench_branches add primary key (bid)",
    "alter table pgbench_tellers add primary key (tid)",
    "alter table pgbench_accounts add primary key (aid)",
    "select count(*) from pgbench_branches",
  };

  static final String TPCB_SIMPLE =
      "BEGIN;"
          + "UPDATE pgbench_accounts SET abalance = abalance + -4213 WHERE aid = 774422;"
          + "SELECT abalance FROM pgbench_accounts WHERE aid = 774422;"
          + "UPDATE pgbench_tellers SET tbalance = tbalance + -4213 WHERE tid = 7;"
          + "UPDATE pgbench_branches SET bbalance = bbalance + -4213 WHERE bid = 1;"
          + "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (7, 1, 774422,"
          + " -4213, CURRENT_TIMESTAMP);"
          + "END;";

  static final String[] TPCB_PREPARED = {
    "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
    "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
    "UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;",
    "UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2;",
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4,"
        + " CURRENT_TIMESTAMP);",
  };

  static final String PGBENCH_PARTITION_PROBE =
      "select o.n, p.partstrat, pg_catalog.count(i.inhparent) from pg_catalog.pg_class as c join"
          + " pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) cross join lateral (select"
          + " pg_catalog.array_position(pg_catalog.current_schemas(true), n.nspname)) as o(n) left"
          + " join pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) left join"
          + " pg_catalog.pg_inherits as i on (c.oid = i.inhparent) where c.relname ="
          + " 'pgbench_accounts' and o.n is not null group by 1, 2 order by 1 asc limit 1";

  @Test
  void pgbenchInit_allParse() {
    for (String sql : PGBENCH_INIT) {
      Statement s = SqlParser.parse(sql);
      assertThat(s.commandTag()).as(sql).isNotEqualTo(CommandTag.EMPTY);
    }
  }

  @Test
  void pgbenchAccountsTable_hasExpectedColumns() {
    CreateTableStmt s = (CreateTableStmt) SqlParser.parse(PGBENCH_INIT[3]);
    assertThat(s.name().name()).isEqualTo("pgbench_accounts");
    assertThat(s.columns())
        .extracting(c -> c.name() + ":" + c.type().name() + ":" + c.notNull())
        .containsExactly(
            "aid:int4:true", "bid:int4:false", "abalance:int4:false", "filler:bpchar:false");
    assertThat(s.columns().get(3).type()).isEqualTo(TypeName.of("bpchar", 84));
    assertThat(s.primaryKey()).isEmpty();
  }

  @Test
  void pgbenchAlter_addsPrimaryKey() {
    AlterTableStmt s = (AlterTableStmt) SqlParser.parse(PGBENCH_INIT[19]);
    assertThat(s.actions()).containsExactly(new AlterTableStmt.AddPrimaryKey(List.of("bid")));
  }

  @Test
  void tpcbSimple_parsesAsOneScript() {
    List<ParsedStatement> all = SqlParser.parseScript(TPCB_SIMPLE);
    assertThat(all)
        .extracting(p -> p.statement().commandTag())
        .containsExactly(
            CommandTag.BEGIN,
            CommandTag.UPDATE,
            CommandTag.SELECT,
            CommandTag.UPDATE,
            CommandTag.UPDATE,
            CommandTag.INSERT,
            CommandTag.COMMIT);
    UpdateStmt u = (UpdateStmt) all.get(1).statement();
    assertThat(u.set().get(0).value())
        .isEqualTo(
            new Expr.Binary(
                Expr.BinaryOp.ADD, new Expr.ColumnRef(null, "abalance"), new Expr.IntLit(-4213)));
    assertThat(u.where())
        .isEqualTo(
            new Expr.Binary(
                Expr.BinaryOp.EQ, new Expr.ColumnRef(null, "aid"), new Expr.IntLit(774422)));
    InsertStmt ins = (InsertStmt) all.get(5).statement();
    assertThat(ins.values().get(0).get(4))
        .isEqualTo(new Expr.SqlValue(Expr.SqlValueKind.CURRENT_TIMESTAMP, -1));
    assertThat(all.get(6).text()).isEqualTo("END");
  }

  @Test
  void tpcbPrepared_usesParameters() {
    for (String sql : TPCB_PREPARED) {
      assertThat(SqlParser.parse(sql).commandTag()).as(sql).isNotNull();
    }
    SelectStmt s = (SelectStmt) SqlParser.parse(TPCB_PREPARED[1]);
    assertThat(s.where())
        .isEqualTo(
            new Expr.Binary(Expr.BinaryOp.EQ, new Expr.ColumnRef(null, "aid"), new Expr.Param(1)));
  }

  @Test
  void pgbenchPartitionProbe_failsWith0A000AtJoin() {
    assertThatThrownBy(() -> SqlParser.parse(PGBENCH_PARTITION_PROBE))
        .isInstanceOfSatisfying(
            SqlParseException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("0A000");
              assertThat(e.getMessage()).isEqualTo("JOIN is not supported");
              assertThat(e.position()).isEqualTo(PGBENCH_PARTITION_PROBE.indexOf(" join") + 2);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SET application_name = 'PostgreSQL JDBC Driver'",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "show transaction_read_only",
        "SET extra_float_digits = 3",
        "select 1",
      })
  void pgjdbc_statementsParse(String sql) {
    assertThat(SqlParser.parse(sql).commandTag()).isEqualTo(SqlParser.peekCommandTag(sql));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM"
            + " pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE"
            + " t.oid = $1",
        "SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind WHEN 'r' THEN"
            + " 'table' WHEN 'v' THEN 'view' END as \"Type\","
            + " pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\" FROM pg_catalog.pg_class c"
            + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN"
            + " ('r','p','') AND n.nspname !~ '^pg_toast' ORDER BY 1,2;",
        "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN"
            + " pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname"
            + " OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default ORDER BY 2, 3;",
        "SELECT r.rolname, ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m) as memberof"
            + " FROM pg_catalog.pg_roles r",
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT"
            + " pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d)"
            + " FROM pg_catalog.pg_attribute a",
        "SELECT c.relchecks, c.reloftype::pg_catalog.regtype::pg_catalog.text FROM"
            + " pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid ="
            + " tc.oid) WHERE c.oid = '16384';",
      })
  void catalogQueries_failCleanlyWith0A000(String sql) {
    assertThatThrownBy(() -> SqlParser.parseAll(sql))
        .isInstanceOfSatisfying(
            SqlParseException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("0A000");
              assertThat(e.position()).isBetween(1, sql.length());
            });
  }

  @Test
  void psqlListDatabases_parsesAsSingleTableQuery() {
    // \l reads one catalog table; it parses, and fails later with 42P01 in the executor
    String sql =
        "SELECT d.datname as \"Name\", pg_catalog.array_to_string(d.datacl, E'\\n') AS \"Access"
            + " privileges\" FROM pg_catalog.pg_database d ORDER BY 1;";
    SelectStmt s = (SelectStmt) SqlParser.parse(sql);
    assertThat(s.targets()).hasSize(2);
    assertThat(s.from())
        .isEqualTo(
            new org.walden.sql.parse.ast.FromItem.Table(
                new org.walden.sql.parse.ast.QualifiedName("pg_catalog", "pg_database"), "d"));
  }
}
