package org.walden.config;

import java.util.Optional;

/**
 * A floating-point parameter (PostgreSQL's {@code config_real}). Read as C's {@code strtod}, with
 * an optional unit if the parameter has one; shown with C's {@code %g}.
 */
public final class RealSetting extends Setting<Double> {

  private final double min;
  private final double max;
  private final Unit unit;

  RealSetting(
      String name,
      SettingContext context,
      double defaultValue,
      double min,
      double max,
      Unit unit,
      String description,
      boolean reported) {
    super(name, context, defaultValue, description, reported);
    if (!(min <= max) || defaultValue < min || defaultValue > max) {
      throw new IllegalArgumentException("bad bounds or default for " + name);
    }
    this.min = min;
    this.max = max;
    this.unit = unit;
  }

  @Override
  public String typeName() {
    return "real";
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  public Optional<Unit> unit() {
    return Optional.ofNullable(unit);
  }

  @Override
  public Double parse(String text) throws ConfigException {
    NumberSyntax.Scan scan = NumberSyntax.strtod(text);
    if (scan.end() == 0 || scan.outOfRange() || Double.isNaN(scan.value())) {
      throw ConfigException.invalidValue(name(), text, null);
    }
    double value = scan.value();
    int rest = IntSetting.skipSpaces(text, scan.end());
    if (rest < text.length()) {
      if (unit == null) {
        throw ConfigException.invalidValue(name(), text, null);
      }
      value = UnitConversion.toBaseUnit(value, text.substring(rest), unit);
      if (Double.isNaN(value)) {
        throw ConfigException.invalidValue(name(), text, unit.unitsHint());
      }
    }
    if (value < min || value > max) {
      String u = unit == null ? "" : " " + unit.symbol();
      throw new ConfigException(
          ConfigException.INVALID_PARAMETER_VALUE,
          NumberSyntax.formatG(value)
              + u
              + " is outside the valid range for parameter \""
              + name()
              + "\" ("
              + NumberSyntax.formatG(min)
              + " .. "
              + NumberSyntax.formatG(max)
              + ")",
          null,
          null);
    }
    return value;
  }

  @Override
  public String show(Double value) {
    if (unit != null && value > 0) {
      return UnitConversion.showReal(value, unit);
    }
    return NumberSyntax.formatG(value);
  }
}
