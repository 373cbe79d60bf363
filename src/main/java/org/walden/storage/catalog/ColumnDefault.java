package org.walden.storage.catalog;

import org.walden.storage.type.PgTimestamp;

/** A column's default: none (NULL), a constant, or the transaction's start time ({@code now()}). */
public sealed interface ColumnDefault {

  /** No default: an omitted column is NULL. */
  None NONE = new None();

  /** The default value for a row inserted by a transaction that started at {@code now}. */
  Object value(PgTimestamp now);

  record None() implements ColumnDefault {
    @Override
    public Object value(PgTimestamp now) {
      return null;
    }
  }

  /** A constant, already coerced to the column's type. */
  record Constant(Object constant) implements ColumnDefault {
    @Override
    public Object value(PgTimestamp now) {
      return constant;
    }
  }

  /** {@code now()} / {@code CURRENT_TIMESTAMP}: the transaction start time. */
  record CurrentTimestamp() implements ColumnDefault {
    @Override
    public Object value(PgTimestamp now) {
      return now;
    }
  }
}
