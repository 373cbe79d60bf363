package org.walden.storage.index;

/**
 * A table's primary-key index: an ordered map from key to value (the head of a row's version
 * chain), with lookups in O(log n), key ranges in ascending order, and reads that never block and
 * are never blocked by writers.
 *
 * <p>Keys: {@code Long} (also accepted: {@code Integer}, {@code Short}) for the integer-keyed
 * implementation, which stores them unboxed; any mutually comparable objects for the general one. A
 * {@code null} key is not allowed.
 *
 * <p>Concurrency contract: any number of readers and writers at once. Readers ({@link #get}, {@link
 * #range}) take no lock and see, for each key, either the value before or after a concurrent write.
 * Writers are linearizable with one another. A range cursor is weakly consistent: it sees every key
 * present for its whole life, never sees a key twice, and may or may not see keys inserted or
 * removed while it runs.
 */
public interface OrderedIndex<V> {

  /** The value for {@code key}, or null. */
  V get(Object key);

  /** Inserts {@code value} if {@code key} is absent; returns the existing value, or null. */
  V putIfAbsent(Object key, V value);

  /**
   * Replaces the value of {@code key} with {@code value} if it currently is {@code expected}
   * (compared by identity); returns whether it did.
   */
  boolean replace(Object key, V expected, V value);

  /**
   * Sets the value of {@code key} to {@code update.apply(current)} ({@code current} null if the key
   * is absent), atomically with respect to other writers; returns the previous value. {@code
   * update} runs under the index's writer lock: it must be quick, must not return null, and must
   * not touch the index. Readers see the old or the new value.
   */
  default V upsert(Object key, java.util.function.UnaryOperator<V> update) {
    while (true) {
      V cur = get(key);
      V next = java.util.Objects.requireNonNull(update.apply(cur), "value");
      if (cur == null ? putIfAbsent(key, next) == null : replace(key, cur, next)) {
        return cur;
      }
    }
  }

  /** Removes {@code key} if its value currently is {@code expected}; returns whether it did. */
  boolean remove(Object key, V expected);

  /** The number of keys. */
  long size();

  /**
   * A cursor over keys in {@code [from, to]} in ascending order, each bound optional (null =
   * unbounded) and inclusive or not.
   */
  IndexCursor<V> range(Object from, boolean fromInclusive, Object to, boolean toInclusive);

  /** A cursor over all keys in ascending order. */
  default IndexCursor<V> all() {
    return range(null, true, null, true);
  }

  /** Removes every key (TRUNCATE builds a new index instead; this is for tests and loads). */
  void clear();
}
