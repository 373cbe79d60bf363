package org.walden.wal;

/**
 * A position in the write-ahead log: the byte offset of a point in the WAL stream, counted from the
 * start of the stream (PostgreSQL's {@code XLogRecPtr}).
 *
 * <p>An {@code Lsn} is an unsigned 64-bit number; it compares unsigned and prints as PostgreSQL
 * prints it, {@code %X/%X} of the high and low 32 bits in upper-case hex without padding ({@code
 * 0/16B3748}). {@link #INVALID} (0/0) means "no position", as {@code InvalidXLogRecPtr} does.
 *
 * <p>Immutable value type; this is the only form in which WAL positions cross package boundaries.
 */
public record Lsn(long value) implements Comparable<Lsn> {

  /** "No position" ({@code 0/0}), PostgreSQL's {@code InvalidXLogRecPtr}. */
  public static final Lsn INVALID = new Lsn(0);

  /** The largest position; used as "no limit". */
  public static final Lsn MAX = new Lsn(-1L);

  public static Lsn of(long value) {
    return value == 0 ? INVALID : new Lsn(value);
  }

  /**
   * Parses PostgreSQL's {@code X/X} form (hex, either case, each half at most 8 digits).
   *
   * @throws IllegalArgumentException if the text is not an LSN
   */
  public static Lsn parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("invalid input syntax for type pg_lsn: \"" + text + "\"");
    }
    long hi = parseHalf(text, 0, slash);
    long lo = parseHalf(text, slash + 1, text.length());
    return of((hi << 32) | lo);
  }

  private static long parseHalf(String text, int from, int to) {
    if (to - from > 8) {
      throw new IllegalArgumentException("invalid input syntax for type pg_lsn: \"" + text + "\"");
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(text.charAt(i), 16);
      if (d < 0) {
        throw new IllegalArgumentException(
            "invalid input syntax for type pg_lsn: \"" + text + "\"");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  public boolean isValid() {
    return value != 0;
  }

  public Lsn plus(long bytes) {
    return of(value + bytes);
  }

  /** Bytes from {@code other} to this position (may be negative). */
  public long minus(Lsn other) {
    return value - other.value;
  }

  public boolean isBefore(Lsn other) {
    return Long.compareUnsigned(value, other.value) < 0;
  }

  public boolean isAfter(Lsn other) {
    return Long.compareUnsigned(value, other.value) > 0;
  }

  public boolean isAtOrAfter(Lsn other) {
    return Long.compareUnsigned(value, other.value) >= 0;
  }

  public static Lsn max(Lsn a, Lsn b) {
    return a.isAfter(b) ? a : b;
  }

  public static Lsn min(Lsn a, Lsn b) {
    return a.isBefore(b) ? a : b;
  }

  @Override
  public int compareTo(Lsn other) {
    return Long.compareUnsigned(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toHexString(value >>> 32).toUpperCase(java.util.Locale.ROOT)
        + "/"
        + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
  }
}
