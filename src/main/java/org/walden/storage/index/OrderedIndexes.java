package org.walden.storage.index;

import java.util.Comparator;

/** Creates the primary-key index for a table's key type. */
public final class OrderedIndexes {

  private OrderedIndexes() {}

  /** For keys of {@code smallint}, {@code integer} or {@code bigint}, and hidden row ids. */
  public static <V> LongKeyBTree<V> forLongKeys() {
    return new LongKeyBTree<>();
  }

  /** For any other keys, ordered by {@code comparator}. */
  public static <V> ObjectKeyBTree<V> forKeys(Comparator<?> comparator) {
    return new ObjectKeyBTree<>(comparator);
  }
}
