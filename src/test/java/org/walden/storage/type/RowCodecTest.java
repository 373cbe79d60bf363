package org.walden.storage.type;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RowCodecTest {

  @Test
  void encodeDecode_allTypesWithNulls_roundTrips() {
    ColumnType[] types = {
      ColumnType.SMALLINT,
      ColumnType.INTEGER,
      ColumnType.BIGINT,
      ColumnType.BOOLEAN,
      ColumnType.TEXT,
      ColumnType.varchar(3),
      ColumnType.bpchar(4),
      ColumnType.FLOAT8,
      ColumnType.NUMERIC,
      ColumnType.TIMESTAMP,
      ColumnType.TIMESTAMPTZ,
      ColumnType.BYTEA
    };
    RowCodec c = new RowCodec(types);
    Object[] v = {
      (short) -3,
      7,
      Long.MIN_VALUE,
      true,
      "x".repeat(200),
      "ab",
      "abc ",
      -0.5,
      new BigDecimal("-12345678901234567890.0012"),
      new PgTimestamp(-5),
      new PgTimestamp(99),
      new byte[] {1, 2, 3}
    };
    byte[] row = c.encode(v);
    Object[] back = c.decode(row);
    assertThat(back).usingRecursiveComparison().isEqualTo(v);
    assertThat(c.get(row, 8)).isEqualTo(new BigDecimal("-12345678901234567890.0012"));
    assertThat(c.getLong(row, 2)).isEqualTo(Long.MIN_VALUE);

    Object[] nulls = new Object[types.length];
    nulls[1] = 5;
    byte[] nrow = c.encode(nulls);
    assertThat(c.decode(nrow)).containsExactly(nulls);
    assertThat(c.isNull(nrow, 0)).isTrue();
    assertThat(c.getLong(nrow, 1)).isEqualTo(5);
    assertThat(nrow).hasSize(2 + 4);
  }

  @Test
  void encode_accountsRow_is98Bytes() {
    RowCodec c =
        new RowCodec(
            new ColumnType[] {
              ColumnType.INTEGER, ColumnType.INTEGER, ColumnType.INTEGER, ColumnType.bpchar(84)
            });
    byte[] row = c.encode(new Object[] {1, 1, 0, ColumnType.bpchar(84).coerce("")});
    assertThat(row).hasSize(98);
  }
}
