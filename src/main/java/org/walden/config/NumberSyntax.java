package org.walden.config;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number reading and printing with the C library's rules, because PostgreSQL's setting parser is
 * defined by them: {@code strtol} with base 0 (so {@code 0x1F} is hex and {@code 010} is octal
 * eight), {@code strtod} (decimal with exponent, {@code inf}, {@code nan}, hex floats), C's {@code
 * isspace}, and {@code %g} output. Java's own parsers differ on each of these points.
 *
 * <p>Stateless; allocation-free apart from the returned {@link Scan} and {@code %g} strings.
 */
final class NumberSyntax {

  private NumberSyntax() {}

  /**
   * The result of scanning a number at the start of a string: its value, the index after it (0 if
   * nothing was converted, like C's {@code endptr == nptr}), and whether C would set {@code
   * ERANGE}.
   */
  record Scan(double value, int end, boolean outOfRange) {}

  static boolean isCSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** C's {@code strtol(s, &end, 0)} on a 64-bit {@code long}. */
  static Scan strtol(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && isCSpace(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int radix = 10;
    if (i + 1 < n
        && s.charAt(i) == '0'
        && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
        && i + 2 < n
        && Character.digit(s.charAt(i + 2), 16) >= 0
        && s.charAt(i + 2) < 128) {
      radix = 16;
      i += 2;
    } else if (i < n && s.charAt(i) == '0') {
      radix = 8;
    }
    int digitsStart = i;
    // Accumulate negatively so Long.MIN_VALUE is representable, as C's strtol does.
    long acc = 0;
    boolean overflow = false;
    while (i < n) {
      char c = s.charAt(i);
      int d = c < 128 ? Character.digit(c, radix) : -1;
      if (d < 0) {
        break;
      }
      if (!overflow) {
        if (acc < (Long.MIN_VALUE + d) / radix) {
          overflow = true;
        } else {
          acc = acc * radix - d;
        }
      }
      i++;
    }
    if (i == digitsStart) {
      return new Scan(0, 0, false);
    }
    double value;
    if (overflow) {
      value = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
    } else if (negative) {
      value = acc;
    } else if (acc == Long.MIN_VALUE) {
      overflow = true;
      value = Long.MAX_VALUE;
    } else {
      value = -acc;
    }
    return new Scan(value, i, overflow);
  }

  /** C's {@code strtod(s, &end)} in the C locale. */
  static Scan strtod(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && isCSpace(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    if (regionIs(s, i, "infinity")) {
      return new Scan(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 8, false);
    }
    if (regionIs(s, i, "inf")) {
      return new Scan(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 3, false);
    }
    if (regionIs(s, i, "nan")) {
      int end = i + 3;
      if (end < n && s.charAt(end) == '(') {
        int close = s.indexOf(')', end);
        if (close > 0 && s.substring(end + 1, close).chars().allMatch(NumberSyntax::isAlnum_)) {
          end = close + 1;
        }
      }
      return new Scan(Double.NaN, end, false);
    }
    if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
      Scan hex = hexFloat(s, i + 2, negative);
      if (hex != null) {
        return hex;
      }
    }
    int mantissaStart = i;
    boolean nonZero = false;
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      nonZero |= s.charAt(i) != '0';
      digits++;
      i++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        nonZero |= s.charAt(i) != '0';
        digits++;
        i++;
      }
    }
    if (digits == 0) {
      return new Scan(0, 0, false);
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
        j++;
      }
      int expDigits = j;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
      }
      if (j > expDigits) {
        i = j;
      }
    }
    double v = Double.parseDouble(s.substring(mantissaStart, i));
    if (negative) {
      v = -v;
    }
    boolean erange = Double.isInfinite(v) || (nonZero && Math.abs(v) < Double.MIN_NORMAL);
    return new Scan(v, i, erange);
  }

  private static Scan hexFloat(String s, int from, boolean negative) {
    int n = s.length();
    int i = from;
    int digits = 0;
    StringBuilder sb = new StringBuilder("0x");
    while (i < n && isHex(s.charAt(i))) {
      sb.append(s.charAt(i++));
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      sb.append('.');
      i++;
      while (i < n && isHex(s.charAt(i))) {
        sb.append(s.charAt(i++));
        digits++;
      }
    }
    if (digits == 0) {
      return null;
    }
    String exponent = "p0";
    if (i < n && (s.charAt(i) == 'p' || s.charAt(i) == 'P')) {
      int j = i + 1;
      if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
        j++;
      }
      int expDigits = j;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
      }
      if (j > expDigits) {
        exponent = "p" + s.substring(i + 1, j);
        i = j;
      }
    }
    double v = Double.parseDouble(sb + exponent);
    return new Scan(negative ? -v : v, i, Double.isInfinite(v));
  }

  private static boolean isAlnum_(int c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
  }

  private static boolean regionIs(String s, int at, String lower) {
    return s.regionMatches(true, at, lower, 0, lower.length());
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** C's {@code rint}: round half to even. */
  static double rint(double v) {
    return Math.rint(v);
  }

  /** C's {@code printf("%g", v)}: six significant digits, trailing zeros removed. */
  static String formatG(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal rounded = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
      String m = mantissa.toPlainString();
      String e = String.format("%02d", Math.abs(exponent));
      return m + "e" + (exponent < 0 ? "-" : "+") + e;
    }
    return rounded.stripTrailingZeros().toPlainString();
  }
}
