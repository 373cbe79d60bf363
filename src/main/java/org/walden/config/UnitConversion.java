package org.walden.config;

/**
 * PostgreSQL's unit arithmetic ({@code convert_to_base_unit}, {@code convert_int_from_base_unit},
 * {@code convert_real_from_base_unit}), shared by integer and real settings. Stateless.
 */
final class UnitConversion {

  /** PostgreSQL reads at most this many characters of a unit name. */
  private static final int MAX_UNIT_LEN = 3;

  private UnitConversion() {}

  /**
   * Converts {@code value} given in the unit spelled at the start of {@code unitText} to {@code
   * base}, rounding a fractional result to a whole number of the next smaller unit. Returns NaN if
   * the unit is unknown for this base, too long, or followed by anything but white space.
   */
  static double toBaseUnit(double value, String unitText, Unit base) {
    int i = 0;
    int n = unitText.length();
    while (i < n && i < MAX_UNIT_LEN && !NumberSyntax.isCSpace(unitText.charAt(i))) {
      i++;
    }
    String symbol = unitText.substring(0, i);
    if (IntSetting.skipSpaces(unitText, i) < n) {
      return Double.NaN;
    }
    Unit given = Unit.bySymbol(base, symbol);
    if (given == null) {
      return Double.NaN;
    }
    double converted = value * given.multiplier(base);
    int next = given.family().indexOf(given) + 1;
    if (next < given.family().size()) {
      // "30.1GB": keep the precision of the next smaller unit, no more (PostgreSQL's rule).
      double smaller = given.family().get(next).multiplier(base);
      converted = Math.rint(converted / smaller) * smaller;
    }
    return converted;
  }

  /** Shows a positive base-unit value in the largest unit that divides it evenly. */
  static String showInt(long value, Unit base) {
    for (Unit u : base.family()) {
      double m = u.multiplier(base);
      if (m <= 1.0 || value % (long) m == 0) {
        return (long) Math.rint(value / m) + u.symbol();
      }
    }
    throw new IllegalStateException("no unit found for " + value + " " + base);
  }

  /** Shows a positive base-unit real in the first unit giving a near-integral value. */
  static String showReal(double value, Unit base) {
    double shown = value;
    Unit chosen = base;
    for (Unit u : base.family()) {
      double m = u.multiplier(base);
      shown = value / m;
      chosen = u;
      if (shown > 0 && Math.abs((Math.rint(shown) / shown) - 1.0) <= 1e-8) {
        break;
      }
    }
    return NumberSyntax.formatG(shown) + chosen.symbol();
  }
}
