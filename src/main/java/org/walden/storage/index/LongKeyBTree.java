package org.walden.storage.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * The primary-key index of tables keyed by {@code smallint}, {@code integer} or {@code bigint}, or
 * by a hidden row id: an {@link OrderedIndex} whose keys are stored unboxed in {@code long[]}
 * leaves. Accepts {@code Long}, {@code Integer} and {@code Short} keys; cursors return {@code
 * Long}. Hot callers that hold a primitive use the {@code *Long} methods, which never box.
 *
 * <p>Memory: a full leaf costs about 13 bytes per key (8 for the key, 4 for the value reference,
 * the node and array headers amortized over 64 entries); ascending loads fill leaves completely,
 * random ones to about 70%.
 *
 * <p>Concurrency: see {@link AbstractBTree}. {@link #replaceLong} searches without the lock and
 * holds it only to check that the leaf it found is still current and to store the value.
 *
 * <p>Lifecycle: lives as long as its table; no threads, nothing to close.
 */
public final class LongKeyBTree<V> extends AbstractBTree<V> {

  /** The key being inserted, as a source for {@link System#arraycopy}; guarded by writeLock. */
  private final long[] keyScratch = new long[1];

  public LongKeyBTree() {
    this(DEFAULT_LEAF_CAPACITY, DEFAULT_INNER_CAPACITY);
  }

  /**
   * For tests and measurements: leaves of {@code leafCapacity} keys, inner nodes of {@code
   * innerCapacity} children.
   */
  LongKeyBTree(int leafCapacity, int innerCapacity) {
    super(leafCapacity, innerCapacity);
  }

  /** The key as a long; accepts {@code Long}, {@code Integer} and {@code Short}. */
  static long toLong(Object key) {
    if (key instanceof Long l) {
      return l;
    }
    if (key instanceof Integer i) {
      return i;
    }
    if (key instanceof Short s) {
      return s;
    }
    Objects.requireNonNull(key, "key");
    throw new IllegalArgumentException(
        "integer index key must be Long, Integer or Short, not " + key.getClass().getName());
  }

  @Override
  Object newKeys(int capacity) {
    return new long[capacity];
  }

  @Override
  int compareKeys(Object a, int i, Object b, int j) {
    return Long.compare(((long[]) a)[i], ((long[]) b)[j]);
  }

  /** Index of the child covering {@code key}: the number of separators {@code <= key}. */
  static int childIndex(long[] seps, int n, long key) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (seps[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first position in {@code keys[0..n)} holding a key {@code >= key}. */
  static int lowerBound(long[] keys, int n, long key) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (keys[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Lock-free descent to the leaf covering {@code key}. */
  private BTreeNode findLeaf(long key) {
    BTreeNode n = root;
    while (!n.leaf) {
      int c = n.countAcquire();
      n = (BTreeNode) n.slotAcquire(childIndex((long[]) n.keys, c - 1, key));
    }
    return n;
  }

  /** Descent with writeLock held, recording the path. */
  private BTreeNode descendForWrite(long key) {
    resetPath();
    BTreeNode n = root;
    while (!n.leaf) {
      int i = childIndex((long[]) n.keys, n.count - 1, key);
      pushPath(n, i);
      n = (BTreeNode) n.slots[i];
    }
    return n;
  }

  @Override
  public V get(Object key) {
    return getLong(toLong(key));
  }

  /** The value for {@code key}, or null; never blocks, never allocates. */
  @SuppressWarnings("unchecked")
  public V getLong(long key) {
    BTreeNode leaf = findLeaf(key);
    int i = Arrays.binarySearch((long[]) leaf.keys, 0, leaf.countAcquire(), key);
    return i < 0 ? null : (V) leaf.slotAcquire(i);
  }

  @Override
  public V putIfAbsent(Object key, V value) {
    return putIfAbsentLong(toLong(key), value);
  }

  /** {@link #putIfAbsent} without boxing. */
  @SuppressWarnings("unchecked")
  public V putIfAbsentLong(long key, V value) {
    Objects.requireNonNull(value, "value");
    writeLock.lock();
    try {
      BTreeNode leaf = descendForWrite(key);
      long[] keys = (long[]) leaf.keys;
      int c = leaf.count;
      int pos;
      if (c == 0 || keys[c - 1] < key) {
        pos = c; // the append path of ascending loads skips the search
      } else {
        int i = Arrays.binarySearch(keys, 0, c, key);
        if (i >= 0) {
          return (V) leaf.slots[i];
        }
        pos = -i - 1;
      }
      keyScratch[0] = key;
      insertAt(leaf, pos, keyScratch, value);
      addToSize(1);
      return null;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public V upsert(Object key, java.util.function.UnaryOperator<V> update) {
    return upsertLong(toLong(key), update);
  }

  /**
   * {@link #upsert} without boxing: one descent under the writer lock instead of a lookup and a
   * second descent for the write (replay's hot path).
   */
  @SuppressWarnings("unchecked")
  public V upsertLong(long key, java.util.function.UnaryOperator<V> update) {
    writeLock.lock();
    try {
      BTreeNode leaf = descendForWrite(key);
      long[] keys = (long[]) leaf.keys;
      int c = leaf.count;
      int i = c == 0 || keys[c - 1] < key ? -(c + 1) : Arrays.binarySearch(keys, 0, c, key);
      if (i >= 0) {
        V old = (V) leaf.slots[i];
        leaf.publishSlot(i, Objects.requireNonNull(update.apply(old), "value"));
        return old;
      }
      V value = Objects.requireNonNull(update.apply(null), "value");
      keyScratch[0] = key;
      insertAt(leaf, -i - 1, keyScratch, value);
      addToSize(1);
      return null;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public boolean replace(Object key, V expected, V value) {
    return replaceLong(toLong(key), expected, value);
  }

  /** {@link #replace} without boxing; the search runs before the lock is taken. */
  public boolean replaceLong(long key, V expected, V value) {
    Objects.requireNonNull(value, "value");
    BTreeNode leaf = findLeaf(key);
    int i = Arrays.binarySearch((long[]) leaf.keys, 0, leaf.countAcquire(), key);
    if (i < 0) {
      // the key was absent from a current version of its leaf at some point during this call
      return false;
    }
    writeLock.lock();
    try {
      if (leaf.retired) {
        // copied or split since we found it; its slots are no longer the index's
        leaf = descendForWrite(key);
        i = Arrays.binarySearch((long[]) leaf.keys, 0, leaf.count, key);
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
    return removeLong(toLong(key), expected);
  }

  /** {@link #remove} without boxing. */
  public boolean removeLong(long key, V expected) {
    writeLock.lock();
    try {
      BTreeNode leaf = descendForWrite(key);
      int i = Arrays.binarySearch((long[]) leaf.keys, 0, leaf.count, key);
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
  public LongIndexCursor<V> range(
      Object from, boolean fromInclusive, Object to, boolean toInclusive) {
    long lo = Long.MIN_VALUE;
    long hi = Long.MAX_VALUE;
    boolean empty = false;
    if (from != null) {
      lo = toLong(from);
      if (!fromInclusive) {
        empty = lo == Long.MAX_VALUE;
        lo++;
      }
    }
    if (to != null) {
      hi = toLong(to);
      if (!toInclusive) {
        empty |= hi == Long.MIN_VALUE;
        hi--;
      }
    }
    return empty ? rangeLong(1, 0) : rangeLong(lo, hi);
  }

  /** A cursor over keys in {@code [lo, hi]} (both inclusive) in ascending order. */
  public LongIndexCursor<V> rangeLong(long lo, long hi) {
    return new Cursor<>(this, lo, hi);
  }

  /**
   * A weakly consistent cursor (see {@link AbstractBTree}): reads one leaf version at a time, then
   * descends again from the current root to that leaf's upper fence.
   */
  private static final class Cursor<V> implements LongIndexCursor<V> {
    private final LongKeyBTree<V> tree;
    private final long hi;
    private long[] keys;
    private BTreeNode leaf;
    private int pos;
    private int count;
    private long fence;
    private boolean hasFence;
    private boolean done;
    private long currentKey;
    private V currentValue;

    Cursor(LongKeyBTree<V> tree, long lo, long hi) {
      this.tree = tree;
      this.hi = hi;
      if (lo > hi) {
        done = true;
      } else {
        seek(lo);
      }
    }

    private void seek(long from) {
      BTreeNode n = tree.root;
      hasFence = false;
      while (!n.leaf) {
        int c = n.countAcquire();
        long[] seps = (long[]) n.keys;
        int i = childIndex(seps, c - 1, from);
        if (i < c - 1) {
          fence = seps[i]; // deeper fences are tighter
          hasFence = true;
        }
        n = (BTreeNode) n.slotAcquire(i);
      }
      leaf = n;
      keys = (long[]) n.keys;
      count = n.countAcquire();
      pos = lowerBound(keys, count, from);
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean next() {
      while (!done) {
        if (pos < count) {
          long k = keys[pos];
          if (k > hi) {
            break;
          }
          currentKey = k;
          currentValue = (V) leaf.slotAcquire(pos);
          pos++;
          return true;
        }
        if (!hasFence || fence > hi) {
          break;
        }
        seek(fence);
      }
      done = true;
      currentValue = null;
      leaf = null;
      keys = null;
      return false;
    }

    @Override
    public long longKey() {
      return currentKey;
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
