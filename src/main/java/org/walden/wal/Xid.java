package org.walden.wal;

/**
 * A transaction id as carried in WAL record headers. Walden's ids are 64-bit and never wrap, so
 * they order by plain comparison. {@link #INVALID} (0) marks records that belong to no transaction
 * (checkpoints, segment switches).
 */
public record Xid(long value) implements Comparable<Xid> {

  public static final Xid INVALID = new Xid(0);

  public static Xid of(long value) {
    return value == 0 ? INVALID : new Xid(value);
  }

  public boolean isValid() {
    return value != 0;
  }

  @Override
  public int compareTo(Xid o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
