package org.walden.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SQLSTATE, message and 1-based character position for bad input, as PostgreSQL reports them. */
class ParseErrorTest {

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("selec 1", "42601", "syntax error at or near \"selec\"", 1),
        Arguments.of("select 1 +", "42601", "syntax error at end of input", 11),
        Arguments.of("select 1 +;", "42601", "syntax error at or near \";\"", 11),
        Arguments.of("select 1 1", "42601", "syntax error at or near \"1\"", 10),
        Arguments.of("select * from t where", "42601", "syntax error at end of input", 22),
        Arguments.of("select 1 'abc'", "42601", "syntax error at or near \"'abc'\"", 10),
        Arguments.of("insert into t values (1", "42601", "syntax error at end of input", 24),
        Arguments.of("update t set a = 1 where", "42601", "syntax error at end of input", 25),
        Arguments.of("select 1; selec 2", "42601", "syntax error at or near \"selec\"", 11),
        Arguments.of("select 'abc", "42601", "unterminated quoted string at or near \"'abc\"", 8),
        Arguments.of(
            "select \"abc", "42601", "unterminated quoted identifier at or near \"\"abc\"", 8),
        Arguments.of(
            "select \"\"", "42601", "zero-length delimited identifier at or near \"\"\"\"", 8),
        Arguments.of(
            "select $$abc", "42601", "unterminated dollar-quoted string at or near \"$$abc\"", 8),
        Arguments.of("select 1 /* x", "42601", "unterminated /* comment at or near \"/* x\"", 10),
        Arguments.of(
            "select 123abc", "42601", "trailing junk after numeric literal at or near \"123a\"", 8),
        Arguments.of("select $0", "42P02", "there is no parameter $0", 8),
        Arguments.of("select '😀', 1 +", "42601", "syntax error at end of input", 16),
        Arguments.of("select 'é' x,", "42601", "syntax error at end of input", 14),
        Arguments.of("select * from a join b on true", "0A000", "JOIN is not supported", 17),
        Arguments.of(
            "select * from a, b", "0A000", "more than one FROM item (joins) is not supported", 16),
        Arguments.of("select (select 1)", "0A000", "subqueries is not supported", 9),
        Arguments.of("select distinct a from t", "0A000", "SELECT DISTINCT is not supported", 8),
        Arguments.of("select 1 union select 2", "0A000", "UNION is not supported", 10),
        Arguments.of("with x as (select 1) select 1", "0A000", "WITH is not supported", 1),
        Arguments.of("create index i on t (a)", "0A000", "CREATE INDEX is not supported", 8),
        Arguments.of(
            "create unique index i on t (a)", "0A000", "CREATE UNIQUE INDEX is not supported", 8),
        Arguments.of("create view v as select 1", "0A000", "CREATE VIEW is not supported", 8),
        Arguments.of("savepoint a", "0A000", "SAVEPOINT is not supported", 1),
        Arguments.of("explain select 1", "0A000", "EXPLAIN is not supported", 1),
        Arguments.of(
            "rollback to savepoint a", "0A000", "ROLLBACK TO SAVEPOINT is not supported", 10),
        Arguments.of(
            "select count(*) over () from t", "0A000", "window functions is not supported", 17),
        Arguments.of("select a[1] from t", "0A000", "array subscripting is not supported", 9),
        Arguments.of("select a ~ 'x' from t", "0A000", "operator ~ is not supported", 10),
        Arguments.of(
            "create table t (a int primary key, b int primary key)",
            "42P16",
            "multiple primary keys for table \"t\" are not allowed",
            42),
        Arguments.of(
            "create table t (a int references u)",
            "0A000",
            "REFERENCES column constraints is not supported",
            23),
        Arguments.of("select a b c", "42601", "syntax error at or near \"c\"", 12),
        Arguments.of("select from", "42601", "syntax error at end of input", 12),
        Arguments.of(
            "copy t from '/etc/passwd'",
            "0A000",
            "COPY FROM a file or program is not supported",
            13),
        Arguments.of("select x'1f'", "0A000", "bit-string constants is not supported", 8),
        Arguments.of("select U&'d\\0061t'", "0A000", "Unicode escapes (U&) is not supported", 8),
        Arguments.of("select 1 = 2 = 3", "42601", "syntax error at or near \"=\"", 14));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void parseAll_reportsPostgresError(String sql, String state, String message, int position) {
    SqlParseException e =
        catchThrowableOfType(SqlParseException.class, () -> SqlParser.parseAll(sql));
    assertThat(e).as("expected an error for %s", sql).isNotNull();
    assertThat(e.sqlState()).isEqualTo(state);
    assertThat(e.getMessage()).isEqualTo(message);
    assertThat(e.position()).isEqualTo(position);
  }
}
