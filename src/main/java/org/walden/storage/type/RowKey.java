package org.walden.storage.type;

import java.util.Arrays;

/**
 * A primary key that is not a single integer column: the key columns' values with their types, so
 * keys order as their types compare (column by column). Integer-only single-column keys are plain
 * {@link Long}s instead, which the integer-keyed index stores unboxed. Immutable; key values are
 * never null (primary key columns are NOT NULL).
 */
public final class RowKey implements Comparable<RowKey> {

  private final Object[] values;
  private final ColumnType[] types;

  public RowKey(Object[] values, ColumnType[] types) {
    this.values = values;
    this.types = types;
  }

  public int size() {
    return values.length;
  }

  public Object value(int i) {
    return values[i];
  }

  @Override
  public int compareTo(RowKey o) {
    for (int i = 0; i < values.length; i++) {
      int c = types[i].compare(values[i], o.values[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowKey k && k.values.length == values.length && compareTo(k) == 0;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      h =
          31 * h
              + (v instanceof byte[] b
                  ? Arrays.hashCode(b)
                  : v instanceof String s
                      ? ColumnType.stripTrailing(s).hashCode()
                      : v instanceof java.math.BigDecimal d
                          ? d.stripTrailingZeros().hashCode()
                          : v.hashCode());
    }
    return h;
  }

  /** The values in PostgreSQL text form joined by ", " (for "Key (a, b)=(1, x)" details). */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(types[i].format(values[i]));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "(" + toText() + ")";
  }
}
