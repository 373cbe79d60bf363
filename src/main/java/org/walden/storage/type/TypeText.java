package org.walden.storage.type;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import org.walden.storage.SqlState;
import org.walden.storage.StorageException;

/**
 * PostgreSQL text input and output for every {@link TypeKind}, as a server with {@code DateStyle =
 * ISO}, {@code TimeZone = UTC}, {@code bytea_output = hex} and {@code extra_float_digits = 1}
 * (PostgreSQL 12+'s shortest round-trip float output) would produce it. Stateless.
 */
final class TypeText {
  private TypeText() {}

  private static final HexFormat HEX = HexFormat.of();

  static String format(ColumnType type, Object v) {
    return switch (type.kind()) {
      case SMALLINT, INTEGER, BIGINT, TEXT, VARCHAR, BPCHAR -> v.toString();
      case BOOLEAN -> ((Boolean) v) ? "t" : "f";
      case FLOAT8 -> formatFloat8((Double) v);
      case NUMERIC -> ((BigDecimal) v).toPlainString();
      case TIMESTAMP -> formatTimestamp((PgTimestamp) v, false);
      case TIMESTAMPTZ -> formatTimestamp((PgTimestamp) v, true);
      case BYTEA -> "\\x" + HEX.formatHex((byte[]) v);
      case PG_LSN, INET, OID, XID, NAME, RECORD -> v.toString();
      case INTERVAL -> formatInterval((java.time.Duration) v);
    };
  }

  static Object parse(ColumnType type, String text) {
    TypeKind k = type.kind();
    return switch (k) {
      case SMALLINT, INTEGER, BIGINT -> parseInteger(type, text);
      case BOOLEAN -> parseBoolean(text);
      case TEXT, VARCHAR, BPCHAR -> text;
      case FLOAT8 -> parseFloat8(text);
      case NUMERIC -> parseNumeric(text);
      case TIMESTAMP, TIMESTAMPTZ -> parseTimestamp(type, text);
      case BYTEA -> parseBytea(text);
      case PG_LSN -> parseLsn(type, text);
      case INTERVAL -> parseInterval(type, text);
      case INET -> parseInet(type, text);
      case OID, XID -> parseUnsigned32(type, text);
      case NAME, RECORD -> text;
    };
  }

  private static org.walden.wal.Lsn parseLsn(ColumnType type, String text) {
    try {
      return org.walden.wal.Lsn.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid(type, text);
    }
  }

  /**
   * A time-only interval as PostgreSQL prints it with {@code IntervalStyle = postgres}: {@code
   * [-]HH:MM:SS[.ffffff]}, hours not folded into days (the lag columns are built that way),
   * trailing zeros of the fraction dropped.
   */
  static String formatInterval(java.time.Duration d) {
    long micros;
    try {
      micros = Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
    } catch (ArithmeticException e) {
      throw new StorageException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "interval out of range");
    }
    StringBuilder sb = new StringBuilder(20);
    if (micros < 0) {
      sb.append('-');
      micros = -micros;
    }
    long secs = micros / 1_000_000L;
    int frac = (int) (micros % 1_000_000L);
    long hours = secs / 3600;
    int min = (int) (secs / 60 % 60);
    int sec = (int) (secs % 60);
    if (hours < 10) {
      sb.append('0');
    }
    sb.append(hours).append(':');
    sb.append((char) ('0' + min / 10)).append((char) ('0' + min % 10)).append(':');
    sb.append((char) ('0' + sec / 10)).append((char) ('0' + sec % 10));
    if (frac != 0) {
      String f = String.format(Locale.ROOT, "%06d", frac);
      int end = f.length();
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 0, end);
    }
    return sb.toString();
  }

  private static final java.util.regex.Pattern CLOCK =
      java.util.regex.Pattern.compile("(-)?(\\d+):([0-5]\\d)(?::([0-5]\\d)(?:\\.(\\d{1,6}))?)?");

  private static final java.util.regex.Pattern QUANTITY =
      java.util.regex.Pattern.compile("([-+]?\\d+(?:\\.\\d*)?|[-+]?\\.\\d+)\\s*([a-z]+)");

  /**
   * Interval input, time-only: a clock {@code [-]H:MM[:SS[.f]]} and/or quantities with units
   * ({@code 1 second}, {@code 500 ms}, {@code 2 min}, {@code 1 day} = 24 hours), summed. Months and
   * years are refused (a time-only interval cannot hold them).
   */
  private static java.time.Duration parseInterval(ColumnType type, String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("@")) {
      s = s.substring(1).strip();
    }
    BigDecimal micros = BigDecimal.ZERO;
    boolean any = false;
    for (String part : s.split("\\s+(?=[-+]?[\\d.])")) {
      part = part.strip();
      if (part.isEmpty()) {
        continue;
      }
      java.util.regex.Matcher m = CLOCK.matcher(part);
      if (m.matches()) {
        long secs =
            Long.parseLong(m.group(2)) * 3600
                + Long.parseLong(m.group(3)) * 60
                + (m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
        String f = m.group(5) == null ? "0" : (m.group(5) + "00000").substring(0, 6);
        BigDecimal v =
            BigDecimal.valueOf(secs).movePointRight(6).add(BigDecimal.valueOf(Long.parseLong(f)));
        micros = micros.add(m.group(1) != null ? v.negate() : v);
        any = true;
        continue;
      }
      m = QUANTITY.matcher(part);
      long unit = m.matches() ? unitMicros(m.group(2)) : -1;
      if (unit < 0) {
        throw badInterval(text);
      }
      micros = micros.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
      any = true;
    }
    if (!any) {
      throw badInterval(text);
    }
    try {
      long us = micros.setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
      return java.time.Duration.ofSeconds(
          Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000);
    } catch (ArithmeticException e) {
      throw new StorageException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "interval out of range");
    }
  }

  private static StorageException badInterval(String text) {
    return new StorageException(
        "22007", "invalid input syntax for type interval: \"" + text + "\"");
  }

  private static long unitMicros(String unit) {
    return switch (unit) {
      case "us", "usec", "usecs", "microsecond", "microseconds" -> 1L;
      case "ms", "msec", "msecs", "millisecond", "milliseconds" -> 1_000L;
      case "s", "sec", "secs", "second", "seconds" -> 1_000_000L;
      case "m", "min", "mins", "minute", "minutes" -> 60_000_000L;
      case "h", "hr", "hrs", "hour", "hours" -> 3_600_000_000L;
      case "d", "day", "days" -> 86_400_000_000L;
      default -> -1;
    };
  }

  private static final java.util.regex.Pattern INET =
      java.util.regex.Pattern.compile(
          "(\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)(/\\d{1,3})?");

  /** Accepts IPv4 and IPv6 address text (optionally with a prefix length) and keeps it as text. */
  private static String parseInet(ColumnType type, String text) {
    String s = text.strip();
    if (!INET.matcher(s).matches()) {
      throw invalid(type, text);
    }
    return s;
  }

  private static Long parseUnsigned32(ColumnType type, String text) {
    String s = text.strip();
    try {
      long v = Long.parseLong(s);
      if (v < 0 || v > 0xFFFF_FFFFL) {
        throw invalid(type, text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw invalid(type, text);
    }
  }

  static StorageException invalid(ColumnType type, String text) {
    return new StorageException(
        SqlState.INVALID_TEXT_REPRESENTATION,
        "invalid input syntax for type " + type.kind().pgName() + ": \"" + text + "\"");
  }

  private static Object parseInteger(ColumnType type, String text) {
    String s = text.strip();
    int i = 0;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    if (i >= s.length()) {
      throw invalid(type, text);
    }
    long v = 0;
    boolean overflow = false;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw invalid(type, text);
      }
      // accumulate negatively so Long.MIN_VALUE parses
      long next = v * 10 - (c - '0');
      if (v < Long.MIN_VALUE / 10 || next > v) {
        overflow = true;
      }
      v = next;
    }
    if (!neg) {
      if (v == Long.MIN_VALUE) {
        overflow = true;
      }
      v = -v;
    }
    long min =
        type.kind() == TypeKind.SMALLINT
            ? Short.MIN_VALUE
            : type.kind() == TypeKind.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
    long max =
        type.kind() == TypeKind.SMALLINT
            ? Short.MAX_VALUE
            : type.kind() == TypeKind.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
    if (overflow || v < min || v > max) {
      throw new StorageException(
          SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "value \"" + text + "\" is out of range for type " + type.kind().pgName());
    }
    return switch (type.kind()) {
      case SMALLINT -> (short) v;
      case INTEGER -> (int) v;
      default -> v;
    };
  }

  private static Boolean parseBoolean(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (!s.isEmpty()) {
      if ("true".startsWith(s) || "yes".startsWith(s) || s.equals("on") || s.equals("1")) {
        return Boolean.TRUE;
      }
      if ("false".startsWith(s)
          || "no".startsWith(s)
          || (s.length() >= 2 && "off".startsWith(s))
          || s.equals("0")) {
        return Boolean.FALSE;
      }
    }
    throw invalid(ColumnType.BOOLEAN, text);
  }

  private static Double parseFloat8(String text) {
    String s = text.strip();
    String l = s.toLowerCase(Locale.ROOT);
    switch (l) {
      case "nan":
        return Double.NaN;
      case "infinity", "inf", "+infinity", "+inf":
        return Double.POSITIVE_INFINITY;
      case "-infinity", "-inf":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        throw invalid(ColumnType.FLOAT8, text);
      }
    }
    double d;
    try {
      d = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw invalid(ColumnType.FLOAT8, text);
    }
    if (Double.isInfinite(d) || (d == 0 && new BigDecimal(s).signum() != 0)) {
      throw new StorageException(
          SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "\"" + text + "\" is out of range for type double precision");
    }
    return d;
  }

  /**
   * Shortest round-trip digits (Java 19+ {@code Double.toString} produces them), laid out as
   * PostgreSQL's {@code float8out}: exponential when the decimal exponent is below -4 or at least
   * 15, with a sign and at least two exponent digits ({@code 1e+15}, {@code 1.5e-05}).
   */
  static String formatFloat8(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    StringBuilder sb = new StringBuilder(24);
    if (d < 0) {
      sb.append('-');
    }
    if (exp < -4 || exp >= 15) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      sb.append(a);
    } else {
      sb.append(bd.toPlainString());
    }
    return sb.toString();
  }

  private static BigDecimal parseNumeric(String text) {
    String s = text.strip();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        throw invalid(ColumnType.NUMERIC, text);
      }
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw invalid(ColumnType.NUMERIC, text);
    }
  }

  private static String formatTimestamp(PgTimestamp ts, boolean tz) {
    LocalDateTime t = ts.toLocalDateTime();
    StringBuilder sb = new StringBuilder(32);
    int y = t.getYear();
    boolean bc = y <= 0;
    pad(sb, bc ? 1 - y : y, 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append(' ');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2);
    int micros = t.getNano() / 1000;
    if (micros != 0) {
      int len = sb.length();
      sb.append('.');
      pad(sb, micros, 6);
      int end = sb.length();
      while (sb.charAt(end - 1) == '0') {
        end--;
      }
      sb.setLength(Math.max(end, len + 2));
    }
    if (tz) {
      sb.append("+00");
    }
    if (bc) {
      sb.append(" BC");
    }
    return sb.toString();
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /**
   * ISO input: {@code YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][zone]} with zone {@code Z}, {@code UTC},
   * or {@code ±HH[:MM]}. {@code timestamp} ignores a zone (as PostgreSQL does); {@code timestamptz}
   * without one is taken as UTC (the session time zone Walden assumes).
   */
  private static PgTimestamp parseTimestamp(ColumnType type, String text) {
    String s = text.strip();
    try {
      int[] pos = {0};
      int year = num(s, pos, 4, 7);
      expect(s, pos, '-');
      int month = num(s, pos, 1, 2);
      expect(s, pos, '-');
      int day = num(s, pos, 1, 2);
      int hour = 0;
      int minute = 0;
      int second = 0;
      long nanos = 0;
      if (pos[0] < s.length() && (s.charAt(pos[0]) == ' ' || s.charAt(pos[0]) == 'T')) {
        pos[0]++;
        hour = num(s, pos, 1, 2);
        expect(s, pos, ':');
        minute = num(s, pos, 1, 2);
        if (pos[0] < s.length() && s.charAt(pos[0]) == ':') {
          pos[0]++;
          second = num(s, pos, 1, 2);
          if (pos[0] < s.length() && s.charAt(pos[0]) == '.') {
            pos[0]++;
            int start = pos[0];
            while (pos[0] < s.length() && Character.isDigit(s.charAt(pos[0]))) {
              pos[0]++;
            }
            if (pos[0] == start) {
              throw invalid(type, text);
            }
            BigDecimal frac =
                new BigDecimal("0." + s.substring(start, pos[0]))
                    .setScale(6, java.math.RoundingMode.HALF_EVEN);
            nanos = frac.movePointRight(9).longValueExact();
          }
        }
      }
      int offsetSeconds = 0;
      String zone = s.substring(pos[0]).strip();
      if (!zone.isEmpty()) {
        if (zone.equalsIgnoreCase("Z") || zone.equalsIgnoreCase("UTC")) {
          offsetSeconds = 0;
        } else if (zone.charAt(0) == '+' || zone.charAt(0) == '-') {
          int[] zp = {1};
          int zh = num(zone, zp, 1, 2);
          int zm = 0;
          if (zp[0] < zone.length()) {
            if (zone.charAt(zp[0]) == ':') {
              zp[0]++;
            }
            zm = num(zone, zp, 2, 2);
          }
          if (zp[0] != zone.length()) {
            throw invalid(type, text);
          }
          offsetSeconds = (zh * 3600 + zm * 60) * (zone.charAt(0) == '-' ? -1 : 1);
        } else {
          throw invalid(type, text);
        }
      }
      if (type.kind() == TypeKind.TIMESTAMP) {
        offsetSeconds = 0;
      }
      LocalDateTime ldt = LocalDateTime.of(year, month, day, hour, minute, second).plusNanos(nanos);
      return PgTimestamp.of(ldt.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds)));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw new StorageException(
          SqlState.DATETIME_FIELD_OVERFLOW, "date/time field value out of range: \"" + text + "\"");
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      throw invalid(type, text);
    }
  }

  private static int num(String s, int[] pos, int minDigits, int maxDigits) {
    int start = pos[0];
    while (pos[0] < s.length()
        && pos[0] - start < maxDigits
        && Character.isDigit(s.charAt(pos[0]))) {
      pos[0]++;
    }
    if (pos[0] - start < minDigits) {
      throw new NumberFormatException();
    }
    return Integer.parseInt(s, start, pos[0], 10);
  }

  private static void expect(String s, int[] pos, char c) {
    if (pos[0] >= s.length() || s.charAt(pos[0]) != c) {
      throw new NumberFormatException();
    }
    pos[0]++;
  }

  private static byte[] parseBytea(String text) {
    if (text.startsWith("\\x") || text.startsWith("\\X")) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length() / 2);
      int i = 2;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
          continue;
        }
        int hi = Character.digit(c, 16);
        int lo = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new StorageException(
              SqlState.INVALID_TEXT_REPRESENTATION,
              lo < 0 && hi >= 0
                  ? "invalid hexadecimal data: odd number of digits"
                  : "invalid hexadecimal digit: \"" + (hi < 0 ? c : text.charAt(i + 1)) + "\"");
        }
        out.write(hi << 4 | lo);
        i += 2;
      }
      return out.toByteArray();
    }
    // escape format: \\ is a backslash, \ooo an octal byte, anything else literal
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] != '\\') {
        out.write(raw[i]);
      } else if (i + 1 < raw.length && raw[i + 1] == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < raw.length + 0
          && isOctal(raw[i + 1])
          && isOctal(raw[i + 2])
          && isOctal(raw[i + 3])) {
        out.write(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0'));
        i += 3;
      } else {
        throw invalid(ColumnType.BYTEA, text);
      }
    }
    return out.toByteArray();
  }

  private static boolean isOctal(byte b) {
    return b >= '0' && b <= '7';
  }
}
