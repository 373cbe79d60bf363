package org.walden.storage.index;

/** An {@link IndexCursor} over integer keys that can also return the current key unboxed. */
public interface LongIndexCursor<V> extends IndexCursor<V> {

  /** The current key; valid after {@link #next()} returned true. */
  long longKey();
}
