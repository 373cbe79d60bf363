package org.walden.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * An integer parameter, stored in its base unit (e.g. {@code checkpoint_timeout} in seconds, {@code
 * max_wal_size} in megabytes). Input may carry any unit of the same kind; it is converted and
 * rounded exactly as PostgreSQL's {@code parse_int} does:
 *
 * <ol>
 *   <li>the number is read as C's {@code strtol} with base 0 (so hex and octal work), falling back
 *       to {@code strtod} when a decimal point or exponent follows;
 *   <li>a fractional value in a unit is first rounded to a whole number of the next smaller unit
 *       ({@code 1.5min} is 90 s; {@code 0.5ms} on a seconds parameter is 0 s);
 *   <li>the result is rounded half-to-even to an integer of the base unit, then checked against the
 *       32-bit range and the parameter's bounds (in base units).
 * </ol>
 */
public final class IntSetting extends Setting<Integer> {

  private final int min;
  private final int max;
  private final Unit unit;
  private final IntFunction<String> showHook;

  IntSetting(
      String name,
      SettingContext context,
      int defaultValue,
      int min,
      int max,
      Unit unit,
      String description,
      boolean reported,
      IntFunction<String> showHook) {
    super(name, context, defaultValue, description, reported);
    if (unit != null && !unit.isBaseUnit()) {
      throw new IllegalArgumentException(unit + " is not a base unit (" + name + ")");
    }
    if (min > max || defaultValue < min || defaultValue > max) {
      throw new IllegalArgumentException("bad bounds or default for " + name);
    }
    this.min = min;
    this.max = max;
    this.unit = unit;
    this.showHook = showHook;
  }

  @Override
  public String typeName() {
    return "integer";
  }

  public int min() {
    return min;
  }

  public int max() {
    return max;
  }

  /** The base unit, or empty for a plain number. */
  public Optional<Unit> unit() {
    return Optional.ofNullable(unit);
  }

  @Override
  public Integer parse(String text) throws ConfigException {
    int v = parseUnbounded(text);
    if (v < min || v > max) {
      String u = unit == null ? "" : " " + unit.symbol();
      throw new ConfigException(
          ConfigException.INVALID_PARAMETER_VALUE,
          v
              + u
              + " is outside the valid range for parameter \""
              + name()
              + "\" ("
              + min
              + " .. "
              + max
              + ")",
          null,
          null);
    }
    return v;
  }

  private int parseUnbounded(String text) throws ConfigException {
    NumberSyntax.Scan scan = NumberSyntax.strtol(text);
    int end = scan.end();
    if (scan.outOfRange()
        || (end < text.length()
            && (text.charAt(end) == '.' || text.charAt(end) == 'e' || text.charAt(end) == 'E'))) {
      scan = NumberSyntax.strtod(text);
    }
    if (scan.end() == 0 || scan.outOfRange() || Double.isNaN(scan.value())) {
      throw ConfigException.invalidValue(name(), text, null);
    }
    double value = scan.value();
    int rest = skipSpaces(text, scan.end());
    if (rest < text.length()) {
      if (unit == null) {
        throw ConfigException.invalidValue(name(), text, null);
      }
      double converted = UnitConversion.toBaseUnit(value, text.substring(rest), unit);
      if (Double.isNaN(converted)) {
        throw ConfigException.invalidValue(name(), text, unit.unitsHint());
      }
      value = converted;
    }
    value = Math.rint(value);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw ConfigException.invalidValue(name(), text, "Value exceeds integer range.");
    }
    return (int) value;
  }

  static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && NumberSyntax.isCSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  @Override
  public String show(Integer value) {
    if (showHook != null) {
      return showHook.apply(value);
    }
    if (unit == null || value <= 0) {
      return Integer.toString(value);
    }
    return UnitConversion.showInt(value, unit);
  }

  /** A time value of this setting as a Duration. */
  public Duration toDuration(int value) {
    if (unit == null || unit.kind() != Unit.Kind.TIME) {
      throw new IllegalStateException(name() + " is not a time setting");
    }
    return switch (unit) {
      case MS -> Duration.of(value, ChronoUnit.MILLIS);
      case S -> Duration.ofSeconds(value);
      case MIN -> Duration.ofMinutes(value);
      default -> throw new IllegalStateException("unexpected base unit " + unit);
    };
  }

  /** A memory value of this setting in bytes. */
  public long toBytes(int value) {
    if (unit == null || unit.kind() != Unit.Kind.MEMORY) {
      throw new IllegalStateException(name() + " is not a memory setting");
    }
    return switch (unit) {
      case B -> value;
      case KB -> value * 1024L;
      case MB -> value * 1024L * 1024L;
      default -> throw new IllegalStateException("unexpected base unit " + unit);
    };
  }
}
