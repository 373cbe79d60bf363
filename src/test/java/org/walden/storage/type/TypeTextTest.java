package org.walden.storage.type;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.walden.storage.StorageException;

class TypeTextTest {

  private static ColumnType type(String name) {
    return switch (name) {
      case "int2" -> ColumnType.SMALLINT;
      case "int4" -> ColumnType.INTEGER;
      case "int8" -> ColumnType.BIGINT;
      case "bool" -> ColumnType.BOOLEAN;
      case "text" -> ColumnType.TEXT;
      case "varchar5" -> ColumnType.varchar(5);
      case "char5" -> ColumnType.bpchar(5);
      case "float8" -> ColumnType.FLOAT8;
      case "numeric" -> ColumnType.NUMERIC;
      case "ts" -> ColumnType.TIMESTAMP;
      case "tstz" -> ColumnType.TIMESTAMPTZ;
      case "bytea" -> ColumnType.BYTEA;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest(name = "{0} ''{1}'' -> ''{2}''")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "int2|  -32768 |-32768",
        "int4|+42|42",
        "int8|-9223372036854775808|-9223372036854775808",
        "bool|t|t",
        "bool|TRUE|t",
        "bool|yes|t",
        "bool|off|f",
        "bool|0|f",
        "text|héllo|héllo",
        "varchar5|abc|abc",
        "varchar5|abcde   |abcde",
        "char5|ab|\"ab   \"",
        "float8|1.5|1.5",
        "float8|0.1|0.1",
        "float8|1e15|1e+15",
        "float8|123456789012345|123456789012345",
        "float8|0.0001|0.0001",
        "float8|0.00001|1e-05",
        "float8|-2.5e-300|-2.5e-300",
        "float8|NaN|NaN",
        "float8|-Infinity|-Infinity",
        "float8|100|100",
        "numeric|1.50|1.50",
        "numeric|1e3|1000",
        "numeric|-0.000123|-0.000123",
        "ts|2026-11-22 02:02:24.800667|2026-11-22 02:02:24.800667",
        "ts|2026-11-22T02:02:24.8|2026-11-22 02:02:24.8",
        "ts|2000-01-01|2000-01-01 00:00:00",
        "tstz|2026-11-22 02:02:24.800667+00|2026-11-22 02:02:24.800667+00",
        "tstz|2026-11-22 04:02:24+02|2026-11-22 02:02:24+00",
        "tstz|2026-11-22 02:02:24.5Z|2026-11-22 02:02:24.5+00",
        "bytea|\\xDEADbeef|\\xdeadbeef",
        "bytea|a\\\\b|\\x615c62",
        "bytea|\\001x|\\x0178",
      })
  void parseThenFormat_matchesPostgres(String typeName, String input, String expected) {
    ColumnType t = type(typeName);
    assertThat(t.format(t.parse(input))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "int4|abc|22P02",
        "int4|12x|22P02",
        "int4|2147483648|22003",
        "int2|40000|22003",
        "int8|9223372036854775808|22003",
        "bool|maybe|22P02",
        "float8|1e400|22003",
        "float8|1.5f|22P02",
        "numeric|1.2.3|22P02",
        "ts|2026-13-01|22008",
        "ts|yesterday-ish|22P02",
        "bytea|\\xabc|22P02",
        "varchar5|abcdef|22001",
        "char5|abcdef|22001",
      })
  void parse_invalidInput_raisesSqlState(String typeName, String input, String sqlState) {
    assertThatThrownBy(() -> type(typeName).parse(input))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.sqlState()).isEqualTo(sqlState));
  }

  @Test
  void varcharTooLong_hasPostgresMessage() {
    assertThatThrownBy(() -> ColumnType.varchar(10).coerce("12345678901"))
        .hasMessage("value too long for type character varying(10)");
    assertThatThrownBy(() -> ColumnType.INTEGER.parse("x1"))
        .hasMessage("invalid input syntax for type integer: \"x1\"");
  }

  @Test
  void typeMetadata_matchesPgType() {
    assertThat(ColumnType.varchar(10).typmod()).isEqualTo(14);
    assertThat(ColumnType.varchar(10).oid()).isEqualTo(1043);
    assertThat(ColumnType.bpchar(84).oid()).isEqualTo(1042);
    assertThat(ColumnType.INTEGER.typlen()).isEqualTo(4);
    assertThat(ColumnType.TEXT.typlen()).isEqualTo(-1);
    assertThat(ColumnType.TIMESTAMPTZ.oid()).isEqualTo(1184);
    assertThat(ColumnType.INTEGER.typmod()).isEqualTo(-1);
    assertThat(ColumnType.varchar(10).displayName()).isEqualTo("character varying(10)");
  }

  @Test
  void compare_bpcharIgnoresTrailingBlanks_numericIgnoresScale() {
    assertThat(ColumnType.bpchar(5).compare("ab   ", "ab")).isZero();
    assertThat(ColumnType.NUMERIC.compare(new BigDecimal("1.0"), new BigDecimal("1.00"))).isZero();
    assertThat(ColumnType.BYTEA.compare(new byte[] {(byte) 0xff}, new byte[] {1})).isPositive();
  }

  @Test
  void timestamp_storesMicrosSince2000() {
    PgTimestamp t = (PgTimestamp) ColumnType.TIMESTAMP.parse("2000-01-01 00:00:01.000002");
    assertThat(t.micros()).isEqualTo(1_000_002L);
  }

  @Test
  void coerce_integerRangeChecked() {
    assertThatThrownBy(() -> ColumnType.SMALLINT.coerce(70000))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"));
    assertThat(ColumnType.BIGINT.coerce(5)).isEqualTo(5L);
  }
}
