package org.walden.storage.index;

/**
 * A forward cursor over an {@link OrderedIndex} range. Call {@link #next()} before reading the
 * first entry; {@link #key()} and {@link #value()} are valid until the next call. Single-threaded.
 */
public interface IndexCursor<V> {

  /** Moves to the next entry; false when the range is exhausted. */
  boolean next();

  /** The current key ({@code Long} for integer-keyed indexes). */
  Object key();

  /** The current value. */
  V value();
}
