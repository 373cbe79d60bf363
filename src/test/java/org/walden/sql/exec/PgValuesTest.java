package org.walden.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.walden.storage.type.PgTimestamp;

class PgValuesTest {

  private static String text(Object v, int oid) {
    return new String(PgValues.encodeText(v, oid), StandardCharsets.UTF_8);
  }

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodeText_postgresFormats() {
    assertThat(text(true, 16)).isEqualTo("t");
    assertThat(text(false, 16)).isEqualTo("f");
    assertThat(text(new byte[] {1, (byte) 0xab}, 17)).isEqualTo("\\x01ab");
    assertThat(text(0.1, 701)).isEqualTo("0.1");
    assertThat(text(1e20, 701)).isEqualTo("1e+20");
    assertThat(text(new BigDecimal("1E+3"), 1700)).isEqualTo("1000");
    assertThat(text(new BigDecimal("12.500"), 1700)).isEqualTo("12.500");
    PgTimestamp ts = PgTimestamp.of(java.time.LocalDateTime.parse("2026-11-22T02:02:24.800667"));
    assertThat(text(ts, 1114)).isEqualTo("2026-11-22 02:02:24.800667");
    assertThat(text(ts, 1184)).isEqualTo("2026-11-22 02:02:24.800667+00");
    assertThat(text(42, 23)).isEqualTo("42");
  }

  @Test
  void encodeBinary_fixedWidthTypes() {
    assertThat(HEX.formatHex(PgValues.encodeBinary((short) 1, 21))).isEqualTo("0001");
    assertThat(HEX.formatHex(PgValues.encodeBinary(-2, 23))).isEqualTo("fffffffe");
    assertThat(HEX.formatHex(PgValues.encodeBinary(1L, 20))).isEqualTo("0000000000000001");
    assertThat(HEX.formatHex(PgValues.encodeBinary(1.0, 701))).isEqualTo("3ff0000000000000");
    assertThat(HEX.formatHex(PgValues.encodeBinary(true, 16))).isEqualTo("01");
    assertThat(PgValues.encodeBinary("é", 25)).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
    // 2000-01-01 00:00:01 is one million microseconds after the PostgreSQL epoch
    assertThat(HEX.formatHex(PgValues.encodeBinary(new PgTimestamp(1_000_000L), 1114)))
        .isEqualTo("00000000000f4240");
  }

  @ParameterizedTest
  @CsvSource({
    "1234.5678, 000200000000000404d2162e",
    "-0.01, 0001ffff400000020064",
    "0, 0000000000000000",
    "0.00, 0000000000000002",
    "10000, 00010001000000000001",
    "123456789.1, 0004000200000001000109291a8503e8",
    "-1, 00010000400000000001",
  })
  void numericBinary_matchesPostgres(String value, String hex) {
    BigDecimal v = new BigDecimal(value);
    assertThat(HEX.formatHex(PgValues.encodeBinary(v, 1700))).isEqualTo(hex);
    assertThat(PgValues.decodeBinary(HEX.parseHex(hex), 1700)).isEqualTo(v);
  }

  @Test
  void numericBinary_randomRoundTrip() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      BigDecimal v =
          new BigDecimal(new java.math.BigInteger(r.nextInt(120) + 1, r), r.nextInt(30) - 5);
      if (r.nextBoolean()) {
        v = v.negate();
      }
      BigDecimal expect = v.scale() < 0 ? v.setScale(0) : v;
      assertThat(PgValues.decodeBinary(PgValues.encodeBinary(v, 1700), 1700))
          .as("seed %d value %s", seed, v)
          .isEqualTo(expect);
    }
  }

  @Test
  void decode_parameters() {
    assertThat(PgValues.decodeBinary(HEX.parseHex("0000002a"), 23)).isEqualTo(42);
    assertThat(PgValues.decodeBinary(HEX.parseHex("000000000000002a"), 20)).isEqualTo(42L);
    assertThat(PgValues.decodeText("42".getBytes(StandardCharsets.UTF_8), 23)).isEqualTo(42);
    assertThat(PgValues.decodeText("abc".getBytes(StandardCharsets.UTF_8), 1043)).isEqualTo("abc");
    assertThat(PgValues.decodeText("2026-11-22 02:02:24.5".getBytes(StandardCharsets.UTF_8), 1114))
        .isEqualTo(PgTimestamp.of(java.time.LocalDateTime.parse("2026-11-22T02:02:24.5")));
    assertThat(PgValues.decodeText("x".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo("x");
    assertThatThrownBy(() -> PgValues.decodeText("x".getBytes(StandardCharsets.UTF_8), 23))
        .isInstanceOf(SqlException.class)
        .hasMessage("invalid input syntax for type integer: \"x\"");
    assertThatThrownBy(() -> PgValues.decodeBinary(new byte[3], 23))
        .isInstanceOf(SqlException.class)
        .satisfies(e -> assertThat(((SqlException) e).sqlState()).isEqualTo("22P03"));
  }

  @Test
  void valuesRoundTrip_throughExecutor_textAndBinary() {
    TestSession s = new TestSession();
    s.run(
        "create table ty(i2 smallint, i4 int, i8 bigint, b bool, t text, v varchar(5), c char(3),"
            + " f float8, n numeric, ts timestamp, tz timestamptz, by bytea)");
    s.run(
        "insert into ty values (1, 2, 3, true, 'x', 'vv', 'c', 1.5, 12.345, '2026-01-02 03:04:05',"
            + " '2026-01-02 03:04:05+00', '\\x00ff')");
    TestSession.Result r = s.run("select * from ty");
    for (int i = 0; i < r.columns().size(); i++) {
      int oid = r.columns().get(i).typeOid();
      Object v = r.rows().get(0).get(i);
      Object viaText = PgValues.decodeText(PgValues.encodeText(v, oid), oid);
      Object viaBinary = PgValues.decodeBinary(PgValues.encodeBinary(v, oid), oid);
      if (v instanceof byte[] b) {
        assertThat((byte[]) viaText).as("oid %d", oid).isEqualTo(b);
        assertThat((byte[]) viaBinary).as("oid %d", oid).isEqualTo(b);
      } else {
        assertThat(viaText).as("text oid %d", oid).isEqualTo(v);
        assertThat(viaBinary).as("binary oid %d", oid).isEqualTo(v);
      }
    }
    assertThat(r.columns())
        .extracting(ResultColumn::typeOid)
        .containsExactly(21, 23, 20, 16, 25, 1043, 1042, 701, 1700, 1114, 1184, 17);
    assertThat(r.columns().get(6).typmod()).isEqualTo(7);
  }
}
