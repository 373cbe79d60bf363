package org.walden.sql.exec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.walden.storage.StorageException;
import org.walden.storage.type.ColumnType;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;

/**
 * Wire encodings of values, for the session layer: text and binary output of result values, and
 * decoding of Bind parameters, by type OID.
 *
 * <p>Java representations are those of {@link org.walden.storage.type.TypeKind}: int2 {@link
 * Short}, int4 {@link Integer}, int8 {@link Long}, bool {@link Boolean}, text/varchar/bpchar {@link
 * String}, float8 {@link Double}, numeric {@link BigDecimal}, timestamp/timestamptz {@link
 * PgTimestamp}, bytea {@code byte[]}, pg_lsn {@link Lsn} (binary: uint64), interval {@link
 * Duration} (binary: int64 µs, int32 days 0, int32 months 0), inet and name {@link String}, oid and
 * xid {@link Long} (binary: uint32). Text output is that of a server with DateStyle ISO and {@code
 * TimeZone = UTC} (timestamptz prints {@code +00}); the session's TimeZone setting is not applied
 * yet. Text formatting and parsing reuse {@link ColumnType#format}/{@link ColumnType#parse}.
 * Stateless and thread-safe.
 */
public final class PgValues {
  private PgValues() {}

  private static final int NUMERIC_POS = 0x0000;
  private static final int NUMERIC_NEG = 0x4000;
  private static final int NUMERIC_NAN = 0xC000;

  /** The text form of a non-null value of type {@code typeOid}, UTF-8 encoded. */
  public static byte[] encodeText(Object value, int typeOid) {
    return text(value, typeOid).getBytes(StandardCharsets.UTF_8);
  }

  /** The text form as a string. */
  public static String text(Object value, int typeOid) {
    if (value instanceof String s) {
      return s;
    }
    return switch (typeOid) {
      case 16, 17, 20, 21, 23, 701, 1700, 1114, 1184, 1186 -> SqlTypes.ofOid(typeOid).format(value);
      case SqlTypes.FLOAT4_OID -> ColumnType.FLOAT8.format(((Number) value).doubleValue());
      default -> value.toString();
    };
  }

  /** The binary form of a non-null value of type {@code typeOid}. */
  public static byte[] encodeBinary(Object value, int typeOid) {
    return switch (typeOid) {
      case 16 -> new byte[] {(byte) (((Boolean) value) ? 1 : 0)};
      case 21 -> ByteBuffer.allocate(2).putShort(((Number) value).shortValue()).array();
      case 23 -> ByteBuffer.allocate(4).putInt(((Number) value).intValue()).array();
      case 20 -> ByteBuffer.allocate(8).putLong(((Number) value).longValue()).array();
      case 701 -> ByteBuffer.allocate(8).putDouble(((Number) value).doubleValue()).array();
      case SqlTypes.FLOAT4_OID ->
          ByteBuffer.allocate(4).putFloat(((Number) value).floatValue()).array();
      case 17 -> ((byte[]) value).clone();
      case 1114, 1184 -> ByteBuffer.allocate(8).putLong(((PgTimestamp) value).micros()).array();
      case 1700 -> encodeNumeric((BigDecimal) value);
      case 3220 -> ByteBuffer.allocate(8).putLong(((Lsn) value).value()).array();
      case 26, 28 -> ByteBuffer.allocate(4).putInt((int) ((Number) value).longValue()).array();
      case 1186 -> encodeInterval((Duration) value);
      default -> encodeText(value, typeOid);
    };
  }

  /** Decodes a text-format parameter; an unspecified (0) or unknown type stays a String. */
  public static Object decodeText(byte[] text, int typeOid) {
    String s = new String(text, StandardCharsets.UTF_8);
    return switch (typeOid) {
      case 0, SqlTypes.UNKNOWN_OID, 25, 1043, 1042, SqlTypes.DATE_OID -> s;
      case 16,
          17,
          20,
          21,
          23,
          701,
          1700,
          1114,
          1184,
          SqlTypes.FLOAT4_OID,
          3220,
          1186,
          869,
          26,
          28 -> {
        try {
          yield SqlTypes.ofOid(typeOid).parse(s);
        } catch (StorageException e) {
          throw Errors.fromStorage(e);
        }
      }
      default -> s;
    };
  }

  /** Decodes a binary-format parameter. */
  public static Object decodeBinary(byte[] b, int typeOid) {
    ByteBuffer buf = ByteBuffer.wrap(b);
    try {
      Object v =
          switch (typeOid) {
            case 16 -> {
              need(b, 1);
              yield b[0] != 0;
            }
            case 21 -> {
              need(b, 2);
              yield buf.getShort();
            }
            case 23 -> {
              need(b, 4);
              yield buf.getInt();
            }
            case 20 -> {
              need(b, 8);
              yield buf.getLong();
            }
            case 701 -> {
              need(b, 8);
              yield buf.getDouble();
            }
            case SqlTypes.FLOAT4_OID -> {
              need(b, 4);
              yield (double) buf.getFloat();
            }
            case 17 -> b.clone();
            case 1114, 1184 -> {
              need(b, 8);
              yield new PgTimestamp(buf.getLong());
            }
            case 1700 -> decodeNumeric(buf);
            case 3220 -> {
              need(b, 8);
              yield Lsn.of(buf.getLong());
            }
            case 26, 28 -> {
              need(b, 4);
              yield buf.getInt() & 0xFFFF_FFFFL;
            }
            case 0, SqlTypes.UNKNOWN_OID, 25, 1043, 1042, 19 ->
                new String(b, StandardCharsets.UTF_8);
            default ->
                throw new SqlException(
                    "0A000", "binary format for type OID " + typeOid + " is not supported");
          };
      return v;
    } catch (java.nio.BufferUnderflowException e) {
      throw badBinary();
    }
  }

  /**
   * PostgreSQL's binary interval: int64 microseconds, int32 days, int32 months. A {@link Duration}
   * is all microseconds (days and months 0), as the lag columns are built.
   */
  static byte[] encodeInterval(Duration d) {
    long micros = Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
    return ByteBuffer.allocate(16).putLong(micros).putInt(0).putInt(0).array();
  }

  private static void need(byte[] b, int n) {
    if (b.length != n) {
      throw badBinary();
    }
  }

  private static SqlException badBinary() {
    return new SqlException("22P03", "incorrect binary data format in bind parameter");
  }

  /**
   * PostgreSQL's binary NUMERIC: int16 ndigits, int16 weight (of the first base-10000 digit),
   * uint16 sign, int16 dscale, then ndigits int16 base-10000 digits, without leading or trailing
   * zero digits.
   */
  static byte[] encodeNumeric(BigDecimal value) {
    BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
    int dscale = v.scale();
    String plain = v.unscaledValue().abs().toString();
    // split the unscaled digits at the decimal point
    String intPart;
    String fracPart;
    if (plain.length() > dscale) {
      intPart = plain.substring(0, plain.length() - dscale);
      fracPart = plain.substring(plain.length() - dscale);
    } else {
      intPart = "0";
      fracPart = "0".repeat(dscale - plain.length()) + plain;
    }
    int intPad = (4 - intPart.length() % 4) % 4;
    intPart = "0".repeat(intPad) + intPart;
    int fracPad = (4 - fracPart.length() % 4) % 4;
    fracPart = fracPart + "0".repeat(fracPad);
    int intGroups = intPart.length() / 4;
    int total = intGroups + fracPart.length() / 4;
    short[] digits = new short[total];
    for (int i = 0; i < intGroups; i++) {
      digits[i] = Short.parseShort(intPart.substring(4 * i, 4 * i + 4));
    }
    for (int i = intGroups; i < total; i++) {
      int o = 4 * (i - intGroups);
      digits[i] = Short.parseShort(fracPart.substring(o, o + 4));
    }
    int first = 0;
    while (first < total && digits[first] == 0) {
      first++;
    }
    int last = total;
    while (last > first && digits[last - 1] == 0) {
      last--;
    }
    int n = last - first;
    int weight = n == 0 ? 0 : intGroups - 1 - first;
    ByteBuffer out = ByteBuffer.allocate(8 + 2 * n);
    out.putShort((short) n);
    out.putShort((short) weight);
    out.putShort((short) (v.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS));
    out.putShort((short) dscale);
    for (int i = first; i < last; i++) {
      out.putShort(digits[i]);
    }
    return out.array();
  }

  static BigDecimal decodeNumeric(ByteBuffer in) {
    int n = in.getShort();
    int weight = in.getShort();
    int sign = in.getShort() & 0xFFFF;
    int dscale = in.getShort();
    if (sign == NUMERIC_NAN) {
      throw Errors.unsupported("numeric NaN");
    }
    if (n < 0 || dscale < 0 || (sign != NUMERIC_POS && sign != NUMERIC_NEG)) {
      throw badBinary();
    }
    BigInteger unscaled = BigInteger.ZERO;
    BigInteger base = BigInteger.valueOf(10000);
    for (int i = 0; i < n; i++) {
      int d = in.getShort();
      if (d < 0 || d > 9999) {
        throw badBinary();
      }
      unscaled = unscaled.multiply(base).add(BigInteger.valueOf(d));
    }
    if (in.hasRemaining()) {
      throw badBinary();
    }
    // the last digit has weight (weight - n + 1): value = unscaled * 10000^(weight - n + 1)
    BigDecimal v = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - n + 1));
    v = v.setScale(dscale, RoundingMode.HALF_UP);
    return sign == NUMERIC_NEG ? v.negate() : v;
  }
}
