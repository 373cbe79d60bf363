package org.walden.config;

import java.util.List;

/**
 * The units PostgreSQL accepts after an integer or real setting: memory {@code B kB MB GB TB} and
 * time {@code us ms s min h d}. Unit names are case-sensitive ({@code KB} is rejected), as in
 * PostgreSQL. A setting's <em>base unit</em> is one of {@code B kB MB ms s min}; values are stored
 * in it.
 *
 * <p>The multipliers between units are computed as one IEEE division of exact powers, which gives
 * the same doubles as PostgreSQL's conversion tables, so rounding decisions agree bit for bit.
 */
public enum Unit {
  TB("TB", Kind.MEMORY, 1024.0 * 1024.0 * 1024.0 * 1024.0),
  GB("GB", Kind.MEMORY, 1024.0 * 1024.0 * 1024.0),
  MB("MB", Kind.MEMORY, 1024.0 * 1024.0),
  KB("kB", Kind.MEMORY, 1024.0),
  B("B", Kind.MEMORY, 1.0),
  D("d", Kind.TIME, 1000.0 * 1000 * 60 * 60 * 24),
  H("h", Kind.TIME, 1000.0 * 1000 * 60 * 60),
  MIN("min", Kind.TIME, 1000.0 * 1000 * 60),
  S("s", Kind.TIME, 1000.0 * 1000),
  MS("ms", Kind.TIME, 1000.0),
  US("us", Kind.TIME, 1.0);

  /** What a unit measures; a setting only accepts units of its base unit's kind. */
  public enum Kind {
    MEMORY,
    TIME
  }

  /** PostgreSQL's hint after an unknown unit on a memory setting. */
  public static final String MEMORY_UNITS_HINT =
      "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".";

  /** PostgreSQL's hint after an unknown unit on a time setting. */
  public static final String TIME_UNITS_HINT =
      "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".";

  private static final List<Unit> MEMORY_DESCENDING = List.of(TB, GB, MB, KB, B);
  private static final List<Unit> TIME_DESCENDING = List.of(D, H, MIN, S, MS, US);

  private final String symbol;
  private final Kind kind;

  /** Size of the unit in the kind's smallest unit (bytes or microseconds). */
  private final double smallest;

  Unit(String symbol, Kind kind, double smallest) {
    this.symbol = symbol;
    this.kind = kind;
    this.smallest = smallest;
  }

  public String symbol() {
    return symbol;
  }

  public Kind kind() {
    return kind;
  }

  /** True for the units PostgreSQL uses as base units of integer settings. */
  public boolean isBaseUnit() {
    return this == B || this == KB || this == MB || this == MS || this == S || this == MIN;
  }

  /** How many of {@code base} one of this unit is (may be fractional). */
  double multiplier(Unit base) {
    return smallest / base.smallest;
  }

  /** The units of this unit's kind, largest first (the order PostgreSQL's tables use). */
  List<Unit> family() {
    return kind == Kind.MEMORY ? MEMORY_DESCENDING : TIME_DESCENDING;
  }

  String unitsHint() {
    return kind == Kind.MEMORY ? MEMORY_UNITS_HINT : TIME_UNITS_HINT;
  }

  /** The unit with this exact (case-sensitive) symbol in {@code base}'s family, or null. */
  static Unit bySymbol(Unit base, String symbol) {
    for (Unit u : base.family()) {
      if (u.symbol.equals(symbol)) {
        return u;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return symbol;
  }
}
