package org.walden.wal;

/**
 * A timeline: the history a WAL stream belongs to (PostgreSQL's {@code TimeLineID}). A fresh system
 * starts on timeline 1; each promotion starts the next. Printed in decimal; appears in segment file
 * names as eight hex digits.
 */
public record TimelineId(int value) implements Comparable<TimelineId> {

  public static final TimelineId FIRST = new TimelineId(1);

  public TimelineId {
    if (value <= 0) {
      throw new IllegalArgumentException("timeline id must be positive, got " + value);
    }
  }

  public TimelineId next() {
    return new TimelineId(value + 1);
  }

  /** The value as PostgreSQL's unsigned 32-bit id, for comparisons across the full range. */
  public long unsigned() {
    return Integer.toUnsignedLong(value);
  }

  @Override
  public int compareTo(TimelineId o) {
    return Integer.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return Integer.toUnsignedString(value);
  }
}
