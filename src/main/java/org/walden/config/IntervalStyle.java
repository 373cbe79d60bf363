package org.walden.config;

/** Values of {@code IntervalStyle}: the output format of interval values. */
public enum IntervalStyle {
  POSTGRES,
  POSTGRES_VERBOSE,
  SQL_STANDARD,
  ISO_8601;
}
