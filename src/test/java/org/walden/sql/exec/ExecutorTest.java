package org.walden.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExecutorTest {

  private TestSession s;

  @BeforeEach
  void setUp() {
    s = new TestSession();
  }

  static void assertError(ThrowingCallable call, String sqlState, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(SqlException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((SqlException) e).sqlState()).isEqualTo(sqlState));
  }

  private void accounts() {
    s.run("create table t(id int primary key, name text, v int not null default 0)");
    s.run("insert into t values (1, 'a', 10), (2, 'b', 20), (3, null, 30)");
  }

  @Test
  void select_withoutFrom_expressionsAndNames() {
    TestSession.Result r = s.run("select 1 + 2, 'x' as label, now() is not null, count(*)");
    assertThat(r.tag()).isEqualTo("SELECT 1");
    assertThat(r.rows().get(0)).containsExactly(3, "x", true, 1L);
    assertThat(r.columns())
        .extracting(ResultColumn::name)
        .containsExactly("?column?", "label", "?column?", "count");
    assertThat(r.columns()).extracting(ResultColumn::typeOid).containsExactly(23, 25, 16, 20);
  }

  @Test
  void select_star_fromTable_describesColumns() {
    accounts();
    TestSession.Result r = s.run("select * from t");
    assertThat(r.tag()).isEqualTo("SELECT 3");
    assertThat(r.columns()).extracting(ResultColumn::name).containsExactly("id", "name", "v");
    assertThat(r.columns().get(0).tableOid()).isGreaterThan(0);
    assertThat(r.columns())
        .extracting(ResultColumn::attnum)
        .containsExactly((short) 1, (short) 2, (short) 3);
    assertThat(r.rows()).hasSize(3);
  }

  @Test
  void select_whereOrderLimitOffset() {
    accounts();
    assertThat(s.texts("select id from t where v >= 20 order by id desc"))
        .containsExactly("3", "2");
    assertThat(s.texts("select id from t order by name nulls first"))
        .containsExactly("3", "1", "2");
    assertThat(s.texts("select id from t order by name desc")).containsExactly("3", "2", "1");
    assertThat(s.texts("select id from t order by 1 limit 1 offset 1")).containsExactly("2");
    assertThat(s.texts("select id from t limit 2")).containsExactly("1", "2");
    assertThat(s.texts("select x.id from t x where x.id between 2 and 3 order by x.v"))
        .containsExactly("2", "3");
    assertThat(s.texts("select id as k from t order by k desc limit 1")).containsExactly("3");
  }

  @Test
  void select_groupByHavingAggregates() {
    s.run("create table g(k int, c text, n int)");
    s.run("insert into g values (1,'a',1),(2,'a',2),(3,'b',5),(4,'b',null),(5,'c',7)");
    TestSession.Result r =
        s.run(
            "select c, count(*), count(n), sum(n), min(n), max(n), avg(n) from g group by c"
                + " having count(*) > 1 order by c");
    assertThat(r.rows()).hasSize(2);
    assertThat(r.rows().get(0))
        .containsExactly("a", 2L, 2L, 3L, 1, 2, new BigDecimal("1.5000000000000000"));
    assertThat(r.rows().get(1))
        .containsExactly("b", 2L, 1L, 5L, 5, 5, new BigDecimal("5.0000000000000000"));
    assertThat(r.columns())
        .extracting(ResultColumn::typeOid)
        .containsExactly(25, 20, 20, 20, 23, 23, 1700);
    assertThat(s.run("select count(*), sum(n) from g where k > 100").rows().get(0))
        .containsExactly(0L, null);
    assertThat(s.texts("select c from g group by 1 order by count(*) desc, c limit 1"))
        .containsExactly("a");
    assertError(
        () -> s.run("select k, count(*) from g group by c"),
        "42803",
        "column \"k\" must appear in the GROUP BY clause or be used in an aggregate function");
    assertError(
        () -> s.run("select * from g where count(*) > 1"),
        "42803",
        "aggregate functions are not allowed in WHERE");
  }

  @Test
  void select_generateSeries() {
    TestSession.Result r = s.run("select g * 2 from generate_series(1, 5) g where g % 2 = 1");
    assertThat(r.rows()).extracting(l -> l.get(0)).containsExactly(2, 6, 10);
    assertThat(s.run("select sum(x) from generate_series(1, 100) as x").value()).isEqualTo(5050L);
  }

  @Test
  void expressions_semantics() {
    assertThat(s.run("select null and false, null or true, (not (1 = null)) is null").rows().get(0))
        .containsExactly(false, true, true);
    assertThat(s.run("select 7 / 2, 7 % 3, -7 / 2, 7.0 / 2, 2 ^ 10").rows().get(0))
        .containsExactly(3, 1, -3, new BigDecimal("3.5000000000000000"), 1024.0);
    assertThat(s.run("select 'ab' || 'cd' || 1, 3 in (1, 2, 3), 4 not in (1, null)").rows().get(0))
        .containsExactly("abcd1", true, null);
    assertThat(
            s.run("select 'Hello' like 'H%o', 'hello' ilike 'HE_LO', 'a_c' like 'a\\_c'")
                .rows()
                .get(0))
        .containsExactly(true, true, true);
    assertThat(
            s.run(
                    "select case when 1 > 2 then 'x' when 2 > 1 then 'y' end,"
                        + " case 3 when 1 then 'one' else 'other' end")
                .rows()
                .get(0))
        .containsExactly("y", "other");
    assertThat(
            s.run(
                    "select '42'::int + 1, cast(3.7 as int), 1::text || 'x', '1.5'::numeric,"
                        + " 't'::bool")
                .rows()
                .get(0))
        .containsExactly(43, 4, "1x", new BigDecimal("1.5"), true);
    assertThat(
            s.run(
                    "select length('héllo'), lower('AbC'), upper('abc'), coalesce(null, 2, 3),"
                        + " abs(-5), 5 between 1 and 10")
                .rows()
                .get(0))
        .containsExactly(5, "abc", "ABC", 2, 5, true);
    assertThat(
            s.run("select 1 is distinct from null, null is not distinct from null").rows().get(0))
        .containsExactly(true, true);
  }

  @Test
  void expressions_errors() {
    assertError(() -> s.run("select 2147483647 + 1"), "22003", "integer out of range");
    assertError(() -> s.run("select 1 / 0"), "22012", "division by zero");
    assertError(
        () -> s.run("select 'x'::int"), "22P02", "invalid input syntax for type integer: \"x\"");
    assertError(() -> s.run("select foo(1)"), "42883", "function foo(integer) does not exist");
    assertError(() -> s.run("select nosuch"), "42703", "column \"nosuch\" does not exist");
    assertError(() -> s.run("select * from nosuch"), "42P01", "relation \"nosuch\" does not exist");
    assertError(
        () -> s.run("select 1 = 'a'::text"), "42883", "operator does not exist: integer = text");
    assertError(() -> s.run("select 9223372036854775807 * 2"), "22003", "bigint out of range");
    assertThatThrownBy(() -> s.run("select foo('a')"))
        .hasMessage("function foo(unknown) does not exist")
        .satisfies(e -> assertThat(((SqlException) e).hint()).contains("explicit type casts"));
  }

  @Test
  void sessionFunctions() {
    TestSession.Result r =
        s.run(
            "select version(), current_user, session_user, current_database(),"
                + " pg_backend_pid(), current_schema(), pg_is_in_recovery(), current_setting('timezone')");
    assertThat(r.rows().get(0))
        .containsExactly(
            Functions.VERSION, "walden", "walden", "walden", 42, "public", false, "UTC");
    assertThat((String) r.value()).startsWith("PostgreSQL 15.4 (Walden");
    assertThat(s.run("select set_config('application_name', 'app', false)").value())
        .isEqualTo("app");
    assertThat(s.settings).containsEntry("application_name", "app");
    assertError(
        () -> s.run("select current_setting('nope')"),
        "42704",
        "unrecognized configuration parameter \"nope\"");
    assertThat(s.run("select now() = current_timestamp").value()).isEqualTo(true);
  }

  @Test
  void insert_defaultsReturningAndTag() {
    s.run(
        "create table d(id int primary key, v int default 7, ts timestamptz default now(), s text)");
    TestSession.Result r =
        s.run("insert into d(id, s) values (1, 'a'), (2, default) returning id, v, ts is not null");
    assertThat(r.tag()).isEqualTo("INSERT 0 2");
    assertThat(r.rows()).containsExactly(List.of(1, 7, true), List.of(2, 7, true));
    assertThat(s.run("insert into d values (3)").tag()).isEqualTo("INSERT 0 1");
    assertError(
        () -> s.run("insert into d values (1)"),
        "23505",
        "duplicate key value violates unique constraint \"d_pkey\"");
    assertError(
        () -> s.run("insert into d(nope) values (1)"),
        "42703",
        "column \"nope\" of relation \"d\" does not exist");
    assertError(
        () -> s.run("insert into d(id) values ('x')"),
        "22P02",
        "invalid input syntax for type integer: \"x\"");
    assertError(
        () -> s.run("insert into d(v) values (1)"),
        "23502",
        "null value in column \"id\" of relation \"d\" violates not-null constraint");
  }

  @Test
  void insert_select() {
    s.run("create table a(x int primary key, y int)");
    assertThat(s.run("insert into a select g, g * g from generate_series(1, 10) g").tag())
        .isEqualTo("INSERT 0 10");
    assertThat(s.run("select y from a where x = 9").value()).isEqualTo(81);
  }

  @Test
  void insert_onConflict() {
    s.run("create table kv(k text primary key, v int)");
    s.run("insert into kv values ('a', 1)");
    assertThat(s.run("insert into kv values ('a', 5) on conflict (k) do nothing").tag())
        .isEqualTo("INSERT 0 0");
    assertThat(s.run("insert into kv values ('a', 5), ('b', 2) on conflict do nothing").tag())
        .isEqualTo("INSERT 0 1");
    TestSession.Result r =
        s.run(
            "insert into kv values ('a', 5) on conflict (k) do update"
                + " set v = kv.v + excluded.v returning k, v");
    assertThat(r.tag()).isEqualTo("INSERT 0 1");
    assertThat(r.rows()).containsExactly(List.of("a", 6));
    assertThat(
            s.run(
                    "insert into kv values ('a', 5) on conflict (k) do update set v = 0"
                        + " where kv.v > 100")
                .tag())
        .isEqualTo("INSERT 0 0");
    assertError(
        () -> s.run("insert into kv values ('a', 5) on conflict (v) do nothing"),
        "42P10",
        "there is no unique or exclusion constraint matching the ON CONFLICT specification");
  }

  @Test
  void update_delete_returning() {
    accounts();
    TestSession.Result u =
        s.run("update t set v = v + 1, name = 'z' where id >= 2 returning id, v");
    assertThat(u.tag()).isEqualTo("UPDATE 2");
    assertThat(u.rows()).containsExactly(List.of(2, 21), List.of(3, 31));
    assertThat(s.run("update t set v = 0 where id = 99").tag()).isEqualTo("UPDATE 0");
    assertThat(s.run("update t set v = v * 2").tag()).isEqualTo("UPDATE 3");
    TestSession.Result d = s.run("delete from t where name = 'z' returning *");
    assertThat(d.tag()).isEqualTo("DELETE 2");
    assertThat(d.rows()).extracting(l -> l.get(0)).containsExactly(2, 3);
    assertThat(s.run("delete from t").tag()).isEqualTo("DELETE 1");
    assertThat(s.run("select count(*) from t").value()).isEqualTo(0L);
    s.run("insert into t values (5, 'q', 1)");
    assertThat(s.run("update t set id = 6 where id = 5").tag()).isEqualTo("UPDATE 1");
    assertThat(s.texts("select id from t")).containsExactly("6");
    assertError(
        () -> s.run("update t set v = null"),
        "23502",
        "null value in column \"v\" of relation \"t\" violates not-null constraint");
    assertError(
        () -> s.run("update t set nope = 1"),
        "42703",
        "column \"nope\" of relation \"t\" does not exist");
  }

  @Test
  void params_inferredFromContext() {
    accounts();
    Prepared p = s.prepare("update t set v = v + $1 where id = $2");
    assertThat(p.parameterTypes()).containsExactly(23, 23);
    assertThat(p.resultColumns()).isEmpty();
    assertThat(s.exec(p, 5, 1).tag()).isEqualTo("UPDATE 1");
    Prepared q = s.prepare("select v, $2 from t where name = $1");
    assertThat(q.parameterTypes()).containsExactly(25, 25);
    assertThat(s.exec(q, "a", "lit").rows()).containsExactly(List.of(15, "lit"));
    Prepared typed = s.prepare("select v from t where id = $1", 20);
    assertThat(typed.parameterTypes()).containsExactly(20);
    assertThat(s.exec(typed, 2L).value()).isEqualTo(20);
    // pgjdbc's setString sends varchar; compared with an integer column it is read as integer input
    Prepared varchar = s.prepare("select v from t where id = $1", 1043);
    assertThat(s.exec(varchar, "3").value()).isEqualTo(30);
  }

  @Test
  void ddl_createDropTruncateAlter() {
    assertThat(s.run("create table x(a int, b varchar(3) not null)").tag())
        .isEqualTo("CREATE TABLE");
    assertThat(s.run("create table if not exists x(a int)").tag()).isEqualTo("CREATE TABLE");
    assertThat(s.notices).containsExactly("relation \"x\" already exists, skipping");
    assertError(() -> s.run("create table x(a int)"), "42P07", "relation \"x\" already exists");
    assertError(
        () -> s.run("insert into x values (1, 'abcd')"),
        "22001",
        "value too long for type character varying(3)");
    s.run("insert into x values (1, 'ab'), (1, 'cd')");
    assertError(
        () -> s.run("alter table x add primary key (a)"),
        "23505",
        "could not create unique index \"x_pkey\"");
    assertThat(s.run("truncate x").tag()).isEqualTo("TRUNCATE TABLE");
    assertThat(s.run("select count(*) from x").value()).isEqualTo(0L);
    assertThat(s.run("alter table x add primary key (a)").tag()).isEqualTo("ALTER TABLE");
    assertThat(s.run("alter table x add column c int default 5").tag()).isEqualTo("ALTER TABLE");
    s.run("insert into x(a, b) values (1, 'q')");
    assertThat(s.run("select c from x").value()).isEqualTo(5);
    assertThat(s.run("alter table x drop column c").tag()).isEqualTo("ALTER TABLE");
    assertError(() -> s.run("select c from x"), "42703", "column \"c\" does not exist");
    assertThat(s.run("drop table x").tag()).isEqualTo("DROP TABLE");
    assertError(() -> s.run("drop table x"), "42P01", "table \"x\" does not exist");
    s.notices.clear();
    assertThat(s.run("drop table if exists x, y cascade").tag()).isEqualTo("DROP TABLE");
    assertThat(s.notices)
        .containsExactly(
            "table \"x\" does not exist, skipping", "table \"y\" does not exist, skipping");
    assertThat(s.run("vacuum").tag()).isEqualTo("VACUUM");
    assertThat(s.run("analyze").tag()).isEqualTo("ANALYZE");
  }

  @Test
  void bpchar_comparesWithoutTrailingBlanks() {
    s.run("create table b(k char(5) primary key, v int)");
    s.run("insert into b values ('ab', 1)");
    assertThat(s.run("select v from b where k = 'ab'").value()).isEqualTo(1);
    assertThat(s.run("select v from b where k = $1", "ab").value()).isEqualTo(1);
    assertThat(s.run("select v from b where k = 'ab'::text").value()).isEqualTo(1);
    assertThat(s.run("select k || '|' from b").value()).isEqualTo("ab|");
    assertThat(s.run("select v from b where k like '%b'").value()).isEqualTo(1);
    assertThat(s.run("select k from b").value()).isEqualTo("ab   ");
  }

  @Test
  void ddl_primaryKeyColumnIsNotNull() {
    s.run("create table p(a int, b text, primary key (a))");
    assertError(
        () -> s.run("insert into p(b) values ('x')"),
        "23502",
        "null value in column \"a\" of relation \"p\" violates not-null constraint");
    assertError(() -> s.run("create table q(a serial)"), "42704", "type \"serial\" does not exist");
  }

  @Test
  void roles_storeScramVerifiersOnly() {
    assertThat(s.run("create user app with password 'secret'").tag()).isEqualTo("CREATE ROLE");
    var role = s.mgr.latestCatalog().role("app");
    assertThat(role.login()).isTrue();
    assertThat(role.scramVerifier()).startsWith("SCRAM-SHA-256$4096:").doesNotContain("secret");
    assertThat(s.run("alter role app with superuser password null").tag()).isEqualTo("ALTER ROLE");
    role = s.mgr.latestCatalog().role("app");
    assertThat(role.superuser()).isTrue();
    assertThat(role.scramVerifier()).isNull();
    assertThat(s.run("create role r nologin").tag()).isEqualTo("CREATE ROLE");
    assertThat(s.mgr.latestCatalog().role("r").login()).isFalse();
    assertError(() -> s.run("create role r"), "42710", "role \"r\" already exists");
    assertThat(s.run("drop role r, app").tag()).isEqualTo("DROP ROLE");
    assertThat(s.run("drop role if exists r").tag()).isEqualTo("DROP ROLE");
    assertThat(s.notices).containsExactly("role \"r\" does not exist, skipping");
    s.superuser = false;
    assertError(() -> s.run("create role z"), "42501", "permission denied to create role");
  }

  @Test
  void accessPath_pointRangeAndFull() {
    s.run("create table big(id int primary key, v int)");
    s.run("insert into big select g, g % 7 from generate_series(1, 1000) g");
    assertThat(plan("select v from big where id = $1").kind).isEqualTo(AccessPath.Kind.POINT);
    assertThat(plan("select v from big where id > 5 and id <= 10").kind)
        .isEqualTo(AccessPath.Kind.RANGE);
    assertThat(plan("select v from big where v = 3").kind).isEqualTo(AccessPath.Kind.FULL);
    assertThat(s.run("select count(*) from big where id > 5 and id <= 10").value()).isEqualTo(5L);
    assertThat(s.run("select count(*) from big where id between 990 and 2000").value())
        .isEqualTo(11L);
    assertThat(s.run("select count(*) from big where id > 999.5").value()).isEqualTo(1L);
    assertThat(s.run("select v from big where id = 7 and v = 0").value()).isEqualTo(0);
    assertThat(s.run("select v from big where id = 7 and v = 1").rows()).isEmpty();
    assertThat(s.run("select v from big where id = null").rows()).isEmpty();
    assertThat(s.run("select v from big where 8 = id").value()).isEqualTo(1);
  }

  private AccessPath plan(String sql) {
    Prepared p = s.prepare(sql);
    Plan plan = ((PreparedPlan) p).plan();
    try {
      var f = SelectPlan.class.getDeclaredField("source");
      f.setAccessible(true);
      var src = f.get(plan);
      var g = RowSourcePlan.class.getDeclaredField("path");
      g.setAccessible(true);
      return (AccessPath) g.get(src);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void unsupported_is0A000_neverACrash() {
    assertError(() -> s.run("begin"), "0A000", "BEGIN is handled by the session, not the executor");
    assertError(
        () -> s.run("select * from unnest(1)"),
        "0A000",
        "function unnest in FROM is not supported");
    assertError(
        () -> s.run("select * from pg_catalog.pg_class"),
        "0A000",
        "system catalog pg_catalog.pg_class is not supported");
    assertError(
        () -> s.run("select generate_series(1, 2)"),
        "0A000",
        "set-returning functions are supported only in FROM");
    assertThatThrownBy(() -> s.run("select * from a join b on true"))
        .isInstanceOfAny(SqlException.class, org.walden.sql.parse.SqlParseException.class);
    assertThat(s.run("show timezone").rows()).containsExactly(List.of("UTC"));
  }

  @Test
  void preparedPlan_staleAfterDdl_reprepares() {
    s.run("create table r(a int primary key, b int)");
    s.run("insert into r values (1, 2)");
    Prepared p = s.prepare("select b from r where a = 1");
    s.run("truncate r");
    s.run("insert into r values (1, 3)");
    assertThat(s.exec(p).value()).isEqualTo(3);
    s.run("alter table r add column c int");
    assertThat(s.exec(p).value()).isEqualTo(3);
    Prepared star = s.prepare("select * from r");
    s.run("alter table r drop column c");
    assertError(() -> s.exec(star), "0A000", "cached plan must not change result type");
  }
}
