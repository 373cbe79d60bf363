package org.walden.storage.index;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * The primary-key index of tables keyed by text, numeric or composite keys: an {@link OrderedIndex}
 * over any keys ordered by the {@link Comparator} given at construction. Leaves hold references to
 * the key objects (usually shared with the rows), so the index itself costs about 9 bytes per key
 * in full leaves.
 *
 * <p>Concurrency: see {@link AbstractBTree}. The comparator must be thread-safe and consistent; it
 * is called by readers without any lock.
 *
 * <p>Lifecycle: lives as long as its table; no threads, nothing to close.
 */
public final class ObjectKeyBTree<V> extends AbstractBTree<V> {

  private final Comparator<Object> comparator;

  /** The key being inserted, as a source for {@link System#arraycopy}; guarded by writeLock. */
  private final Object[] keyScratch = new Object[1];

  public ObjectKeyBTree(Comparator<?> comparator) {
    this(comparator, DEFAULT_LEAF_CAPACITY, DEFAULT_INNER_CAPACITY);
  }

  /**
   * For tests: leaves of {@code leafCapacity} keys, inner nodes of {@code innerCapacity} children.
   */
  @SuppressWarnings("unchecked")
  ObjectKeyBTree(Comparator<?> comparator, int leafCapacity, int innerCapacity) {
    super(leafCapacity, innerCapacity);
    this.comparator = (Comparator<Object>) Objects.requireNonNull(comparator, "comparator");
  }

  @Override
  Object newKeys(int capacity) {
    return new Object[capacity];
  }

  @Override
  int compareKeys(Object a, int i, Object b, int j) {
    return comparator.compare(((Object[]) a)[i], ((Object[]) b)[j]);
  }

  /** Index of the child covering {@code key}: the number of separators {@code <= key}. */
  private int childIndex(Object[] seps, int n, Object key) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (comparator.compare(seps[mid], key) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first position in {@code keys[0..n)} holding a key {@code >= key} ({@code > key}). */
  private int bound(Object[] keys, int n, Object key, boolean inclusive) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = comparator.compare(keys[mid], key);
      if (cmp < 0 || (cmp == 0 && !inclusive)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private BTreeNode findLeaf(Object key) {
    BTreeNode n = root;
    while (!n.leaf) {
      int c = n.countAcquire();
      n = (BTreeNode) n.slotAcquire(childIndex((Object[]) n.keys, c - 1, key));
    }
    return n;
  }

  private BTreeNode descendForWrite(Object key) {
    resetPath();
    BTreeNode n = root;
    while (!n.leaf) {
      int i = childIndex((Object[]) n.keys, n.count - 1, key);
      pushPath(n, i);
      n = (BTreeNode) n.slots[i];
    }
    return n;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    Objects.requireNonNull(key, "key");
    BTreeNode leaf = findLeaf(key);
    int i = Arrays.binarySearch((Object[]) leaf.keys, 0, leaf.countAcquire(), key, comparator);
    return i < 0 ? null : (V) leaf.slotAcquire(i);
  }

  @Override
  @SuppressWarnings("unchecked")
  public V putIfAbsent(Object key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    writeLock.lock();
    try {
      BTreeNode leaf = descendForWrite(key);
      Object[] keys = (Object[]) leaf.keys;
      int c = leaf.count;
      int pos;
      if (c == 0 || comparator.compare(keys[c - 1], key) < 0) {
        pos = c;
      } else {
        int i = Arrays.binarySearch(keys, 0, c, key, comparator);
        if (i >= 0) {
          return (V) leaf.slots[i];
        }
        pos = -i - 1;
      }
      keyScratch[0] = key;
      insertAt(leaf, pos, keyScratch, value);
      keyScratch[0] = null;
      addToSize(1);
      return null;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public boolean replace(Object key, V expected, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    BTreeNode leaf = findLeaf(key);
    int i = Arrays.binarySearch((Object[]) leaf.keys, 0, leaf.countAcquire(), key, comparator);
    if (i < 0) {
      return false; // absent from a current version of its leaf at some point during this call
    }
    writeLock.lock();
    try {
      if (leaf.retired) {
        leaf = descendForWrite(key);
        i = Arrays.binarySearch((Object[]) leaf.keys, 0, leaf.count, key, comparator);
        if (i < 0) {
          return false;
        }
      }
      if (leaf.slots[i] != expected) {
        return false;
      }
      leaf.publishSlot(i, value);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public boolean remove(Object key, V expected) {
    Objects.requireNonNull(key, "key");
    writeLock.lock();
    try {
      BTreeNode leaf = descendForWrite(key);
      int i = Arrays.binarySearch((Object[]) leaf.keys, 0, leaf.count, key, comparator);
      if (i < 0 || leaf.slots[i] != expected) {
        return false;
      }
      removeAt(leaf, i);
      addToSize(-1);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public IndexCursor<V> range(Object from, boolean fromInclusive, Object to, boolean toInclusive) {
    return new Cursor<>(this, from, fromInclusive, to, toInclusive);
  }

  /** Weakly consistent cursor; same walk as {@link LongKeyBTree}'s. */
  private static final class Cursor<V> implements IndexCursor<V> {
    private final ObjectKeyBTree<V> tree;
    private final Object hi;
    private final boolean hiInclusive;
    private Object[] keys;
    private BTreeNode leaf;
    private int pos;
    private int count;
    private Object fence;
    private boolean done;
    private Object currentKey;
    private V currentValue;

    Cursor(ObjectKeyBTree<V> tree, Object lo, boolean loInclusive, Object hi, boolean hiInclusive) {
      this.tree = tree;
      this.hi = hi;
      this.hiInclusive = hiInclusive;
      if (lo != null && hi != null) {
        int cmp = tree.comparator.compare(lo, hi);
        done = cmp > 0 || (cmp == 0 && !(loInclusive && hiInclusive));
      }
      if (!done) {
        seek(lo, loInclusive);
      }
    }

    /** Positions at the first key after {@code from} (at or after, if inclusive); null = lowest. */
    private void seek(Object from, boolean inclusive) {
      BTreeNode n = tree.root;
      fence = null;
      while (!n.leaf) {
        int c = n.countAcquire();
        Object[] seps = (Object[]) n.keys;
        int i = from == null ? 0 : tree.childIndex(seps, c - 1, from);
        if (i < c - 1) {
          fence = seps[i];
        }
        n = (BTreeNode) n.slotAcquire(i);
      }
      leaf = n;
      keys = (Object[]) n.keys;
      count = n.countAcquire();
      pos = from == null ? 0 : tree.bound(keys, count, from, inclusive);
    }

    private boolean beyondHi(Object k) {
      if (hi == null) {
        return false;
      }
      int cmp = tree.comparator.compare(k, hi);
      return cmp > 0 || (cmp == 0 && !hiInclusive);
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean next() {
      while (!done) {
        if (pos < count) {
          Object k = keys[pos];
          if (beyondHi(k)) {
            break;
          }
          currentKey = k;
          currentValue = (V) leaf.slotAcquire(pos);
          pos++;
          return true;
        }
        if (fence == null || beyondHi(fence)) {
          break;
        }
        seek(fence, true);
      }
      done = true;
      currentKey = null;
      currentValue = null;
      leaf = null;
      keys = null;
      return false;
    }

    @Override
    public Object key() {
      return currentKey;
    }

    @Override
    public V value() {
      return currentValue;
    }
  }
}
