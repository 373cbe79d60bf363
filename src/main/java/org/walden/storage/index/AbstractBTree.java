package org.walden.storage.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The structure shared by {@link LongKeyBTree} and {@link ObjectKeyBTree}: a B+tree whose readers
 * take no lock and whose writers serialize on one lock per index. Subclasses own everything that
 * compares keys (searching, descending, cursors); this class owns the structural changes (append,
 * copy-on-write insert and removal, splits, unlinking empty nodes), which only move key slots with
 * {@link System#arraycopy} and therefore do not care whether keys are {@code long}s or objects.
 *
 * <h2>Writers</h2>
 *
 * Every mutation runs with {@link #writeLock} held, descends from {@link #root} recording the path
 * ({@link #pushPath}), and changes the tree with exactly one publishing store, so a reader sees the
 * tree either before or after each operation:
 *
 * <ul>
 *   <li><b>Append</b>: a key that sorts after every key of its leaf, when the leaf has room, is
 *       written at {@code count} and published by a release store of {@code count + 1}. Ascending
 *       loads (pgbench -i, hidden row ids) therefore touch one leaf slot per insert.
 *   <li><b>Append split</b>: the same when the leaf is full starts a new right sibling holding only
 *       the new key (the full leaf is left as is, so ascending loads fill leaves 100%). The sibling
 *       is appended to the parent in place when it becomes the parent's last child and the parent
 *       has room; that is safe because no existing child changes its key set.
 *   <li><b>Copy-on-write</b>: any other insert, every removal, and every regular split builds new
 *       nodes and publishes them by a release store of the parent's child slot (or the volatile
 *       {@link #root}). Changes to an inner node's children list copy that node too, up to the
 *       first ancestor that only needs a slot overwritten. Replaced leaves are marked {@link
 *       BTreeNode#retired}.
 *   <li><b>Replace</b> overwrites a leaf's value slot in place with a release store.
 * </ul>
 *
 * <h2>Why readers are safe</h2>
 *
 * Readers load {@code root} (volatile), each node's {@code count} and each slot with acquire, and
 * keys with plain loads. Every plain-written key or slot is written before the release store that
 * makes it reachable (a node's publication, or its {@code count}), so a reader never sees a
 * half-built node or a torn key; positions below a published count never change, so a binary search
 * never sees keys move. A node, once unreachable, is never written again (except a value slot
 * written by a {@code replace} racing a {@link #clear}, which is linearized before the clear), so
 * it is a frozen picture of its key range at the moment it was replaced. By induction down the
 * path, the leaf a reader reaches was reachable at some moment after the read began, and what it
 * reads there is the index's content for that key at some moment in the reader's interval: {@code
 * get} is linearizable.
 *
 * <p>Range cursors read one leaf at a time and, at its end, descend again from the current root to
 * the leaf's upper fence (the smallest separator above it seen on the way down), so they never hold
 * more than one leaf and always see fresh values. Every key present for the cursor's whole life is
 * in the leaf covering it whichever version of that leaf is read, so it is returned; keys come out
 * strictly ascending because each descent starts at a fence above every key returned so far.
 *
 * <h2>Lifecycle</h2>
 *
 * An index lives as long as its table; it owns no threads and needs no closing. Retired nodes are
 * ordinary garbage once no reader holds them.
 */
abstract sealed class AbstractBTree<V> implements OrderedIndex<V>
    permits LongKeyBTree, ObjectKeyBTree {

  static final int DEFAULT_LEAF_CAPACITY = 64;
  static final int DEFAULT_INNER_CAPACITY = 128;

  private static final VarHandle SIZE;

  static {
    try {
      SIZE = MethodHandles.lookup().findVarHandle(AbstractBTree.class, "size", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final int leafCapacity;
  final int innerCapacity;

  /** Serializes all writers; readers never take it. Held only for one short operation. */
  final ReentrantLock writeLock = new ReentrantLock();

  /** Written by the writer-lock holder; read by everyone. */
  volatile BTreeNode root;

  /** Number of keys: written under {@link #writeLock} with release, read with acquire. */
  @SuppressWarnings("unused") // accessed through SIZE
  private long size;

  // The path of the current write from the root to the leaf's parent; guarded by writeLock.
  private BTreeNode[] pathNodes = new BTreeNode[8];
  private int[] pathSlots = new int[8];
  private int depth;

  AbstractBTree(int leafCapacity, int innerCapacity) {
    if (leafCapacity < 2 || innerCapacity < 3) {
      throw new IllegalArgumentException(
          "fanout too small: leaf " + leafCapacity + ", inner " + innerCapacity);
    }
    this.leafCapacity = leafCapacity;
    this.innerCapacity = innerCapacity;
    this.root = newLeaf();
  }

  /** A key array of this index's representation ({@code long[]} or {@code Object[]}). */
  abstract Object newKeys(int capacity);

  /** Compares key {@code a[i]} with key {@code b[j]}; used by {@link #checkInvariants} only. */
  abstract int compareKeys(Object a, int i, Object b, int j);

  @Override
  public final long size() {
    return (long) SIZE.getAcquire(this);
  }

  @Override
  public final void clear() {
    writeLock.lock();
    try {
      // Leaves dropped here are not marked retired: a replace() that found one before the clear
      // and writes it afterwards is linearized before the clear, and nothing can observe the
      // difference because the key is gone from the new root.
      root = newLeaf();
      SIZE.setRelease(this, 0L);
    } finally {
      writeLock.unlock();
    }
  }

  final BTreeNode newLeaf() {
    return new BTreeNode(true, newKeys(leafCapacity), new Object[leafCapacity]);
  }

  private BTreeNode newInner() {
    return new BTreeNode(false, newKeys(innerCapacity - 1), new Object[innerCapacity]);
  }

  // ---- write path; all of the below requires writeLock ----

  /** Starts recording a write's path. */
  final void resetPath() {
    depth = 0;
  }

  /** Records that the write descends from {@code node} into child {@code slot}. */
  final void pushPath(BTreeNode node, int slot) {
    if (depth == pathNodes.length) {
      pathNodes = Arrays.copyOf(pathNodes, depth * 2);
      pathSlots = Arrays.copyOf(pathSlots, depth * 2);
    }
    pathNodes[depth] = node;
    pathSlots[depth] = slot;
    depth++;
  }

  final void addToSize(long delta) {
    SIZE.setRelease(this, (long) SIZE.get(this) + delta);
  }

  /**
   * Inserts the key {@code keySrc[0]} with {@code value} at position {@code pos} of {@code leaf},
   * the leaf the recorded path ends in.
   */
  final void insertAt(BTreeNode leaf, int pos, Object keySrc, Object value) {
    int c = leaf.count;
    if (pos == c && c < leafCapacity) {
      System.arraycopy(keySrc, 0, leaf.keys, c, 1);
      leaf.slots[c] = value;
      leaf.publishCount(c + 1);
    } else if (pos == c) {
      BTreeNode right = newLeaf();
      System.arraycopy(keySrc, 0, right.keys, 0, 1);
      right.slots[0] = value;
      right.count = 1;
      addRightSibling(depth - 1, null, right, right.keys);
    } else if (c < leafCapacity) {
      BTreeNode copy = newLeaf();
      fillLeaf(leaf, pos, keySrc, value, 0, c + 1, copy);
      replaceChild(depth - 1, copy);
      leaf.retired = true;
    } else {
      int total = c + 1;
      int half = total / 2;
      BTreeNode left = newLeaf();
      BTreeNode right = newLeaf();
      fillLeaf(leaf, pos, keySrc, value, 0, half, left);
      fillLeaf(leaf, pos, keySrc, value, half, total, right);
      addRightSibling(depth - 1, left, right, right.keys);
      leaf.retired = true;
    }
  }

  /** Removes position {@code pos} of {@code leaf}, the leaf the recorded path ends in. */
  final void removeAt(BTreeNode leaf, int pos) {
    int c = leaf.count;
    if (c > 1 || depth == 0) {
      BTreeNode copy = newLeaf();
      copyWithout(leaf.keys, c, pos, copy.keys);
      copyWithout(leaf.slots, c, pos, copy.slots);
      copy.count = c - 1;
      replaceChild(depth - 1, copy);
    } else {
      removeChild(depth - 1);
    }
    leaf.retired = true;
  }

  private static void fillLeaf(
      BTreeNode src, int pos, Object keySrc, Object value, int from, int to, BTreeNode dst) {
    int hole = copyAround(src.keys, pos, from, to, dst.keys);
    copyAround(src.slots, pos, from, to, dst.slots);
    if (hole >= 0) {
      System.arraycopy(keySrc, 0, dst.keys, hole, 1);
      dst.slots[hole] = value;
    }
    dst.count = to - from;
  }

  /**
   * Publishes {@code node} in place of the child the path takes at {@code level} (the root when
   * {@code level < 0}). The new child covers exactly the key range of the old one.
   */
  private void replaceChild(int level, BTreeNode node) {
    if (level < 0) {
      root = node;
    } else {
      pathNodes[level].publishSlot(pathSlots[level], node);
    }
  }

  /**
   * Puts {@code right} just after the child the path takes at {@code level}, with separator {@code
   * sep[0]}, replacing that child by {@code replacement} unless it is null (a split replaces the
   * old child by its left half; an append split leaves it alone). Splits inner nodes upward as
   * needed; publishes with one store.
   */
  private void addRightSibling(int level, BTreeNode replacement, BTreeNode right, Object sep) {
    while (true) {
      if (level < 0) {
        BTreeNode newRoot = newInner();
        newRoot.slots[0] = replacement != null ? replacement : root;
        newRoot.slots[1] = right;
        System.arraycopy(sep, 0, newRoot.keys, 0, 1);
        newRoot.count = 2;
        root = newRoot;
        return;
      }
      BTreeNode p = pathNodes[level];
      int idx = pathSlots[level];
      int c = p.count;
      int j = idx + 1;
      if (replacement == null && j == c && c < innerCapacity) {
        System.arraycopy(sep, 0, p.keys, c - 1, 1);
        p.slots[c] = right;
        p.publishCount(c + 1);
        return;
      }
      if (c < innerCapacity) {
        BTreeNode copy = newInner();
        fillInner(p, j, sep, right, replacement, 0, c + 1, copy);
        replaceChild(level - 1, copy);
        return;
      }
      if (replacement == null && j == c) {
        // append split one level up: a new inner node with only the new child
        BTreeNode n = newInner();
        n.slots[0] = right;
        n.count = 1;
        right = n;
        level--;
        continue;
      }
      int total = c + 1;
      int m = total / 2;
      BTreeNode left = newInner();
      BTreeNode rightInner = newInner();
      fillInner(p, j, sep, right, replacement, 0, m, left);
      fillInner(p, j, sep, right, replacement, m, total, rightInner);
      // the separator between the halves is virtual key m-1 and moves up
      Object up = newKeys(1);
      if (copyAround(p.keys, j - 1, m - 1, m, up) >= 0) {
        System.arraycopy(sep, 0, up, 0, 1);
      }
      replacement = left;
      right = rightInner;
      sep = up;
      level--;
    }
  }

  /**
   * Fills {@code dst} with children {@code [from, to)} of {@code p} after inserting {@code right}
   * at {@code j} (separator {@code sep[0]} at {@code j - 1}) and replacing child {@code j - 1} by
   * {@code replacement} if non-null; the separators of those children come along.
   */
  private static void fillInner(
      BTreeNode p,
      int j,
      Object sep,
      BTreeNode right,
      BTreeNode replacement,
      int from,
      int to,
      BTreeNode dst) {
    int hole = copyAround(p.slots, j, from, to, dst.slots);
    if (hole >= 0) {
      dst.slots[hole] = right;
    }
    if (replacement != null && j - 1 >= from && j - 1 < to) {
      dst.slots[j - 1 - from] = replacement;
    }
    // separators between children [from, to) are virtual keys [from, to - 1)
    int keyHole = copyAround(p.keys, j - 1, from, to - 1, dst.keys);
    if (keyHole >= 0) {
      System.arraycopy(sep, 0, dst.keys, keyHole, 1);
    }
    dst.count = to - from;
  }

  /** Removes the child the path takes at {@code level}, which has become empty. */
  private void removeChild(int level) {
    while (true) {
      BTreeNode p = pathNodes[level];
      int idx = pathSlots[level];
      int c = p.count;
      if (c == 1) {
        if (level == 0) {
          root = newLeaf();
          return;
        }
        level--;
        continue;
      }
      BTreeNode copy = newInner();
      copyWithout(p.slots, c, idx, copy.slots);
      // child idx loses its lower bound (or, for the first child, its upper bound)
      copyWithout(p.keys, c - 1, idx == 0 ? 0 : idx - 1, copy.keys);
      copy.count = c - 1;
      if (level == 0 && copy.count == 1) {
        BTreeNode r = (BTreeNode) copy.slots[0];
        while (!r.leaf && r.count == 1) {
          r = (BTreeNode) r.slots[0];
        }
        root = r;
      } else {
        replaceChild(level - 1, copy);
      }
      return;
    }
  }

  /**
   * Copies elements {@code [from, to)} of the virtual array "src with a gap inserted at {@code
   * pos}" to the start of {@code dst}; returns where in {@code dst} the gap landed, or -1.
   */
  static int copyAround(Object src, int pos, int from, int to, Object dst) {
    int d = 0;
    int end = Math.min(to, pos);
    if (from < end) {
      System.arraycopy(src, from, dst, 0, end - from);
      d = end - from;
    }
    int hole = -1;
    if (from <= pos && pos < to) {
      hole = d++;
    }
    int start = Math.max(from, pos + 1);
    if (start < to) {
      System.arraycopy(src, start - 1, dst, d, to - start);
    }
    return hole;
  }

  private static void copyWithout(Object src, int n, int pos, Object dst) {
    System.arraycopy(src, 0, dst, 0, pos);
    System.arraycopy(src, pos + 1, dst, pos, n - pos - 1);
  }

  // ---- checks for tests ----

  /**
   * Walks the whole tree and throws {@link IllegalStateException} on a broken invariant: keys
   * strictly ascending and within their separators, all leaves at one depth, no empty node below
   * the root, no retired leaf reachable, size equal to the number of keys. Takes the writer lock.
   *
   * @return the number of leaves
   */
  final long checkInvariants() {
    writeLock.lock();
    try {
      long[] counts = new long[3]; // keys, leaf depth + 1, leaves
      check(root, null, -1, null, -1, 0, counts, true);
      if (counts[0] != size()) {
        throw new IllegalStateException("size " + size() + " but " + counts[0] + " keys");
      }
      return counts[2];
    } finally {
      writeLock.unlock();
    }
  }

  private void check(
      BTreeNode n,
      Object lo,
      int loIdx,
      Object hi,
      int hiIdx,
      int level,
      long[] counts,
      boolean isRoot) {
    int c = n.count;
    if (n.leaf) {
      if (n.retired) {
        throw new IllegalStateException("retired leaf reachable");
      }
      if (c == 0 && !isRoot) {
        throw new IllegalStateException("empty leaf below the root");
      }
      if (counts[1] == 0) {
        counts[1] = level + 1;
      } else if (counts[1] != level + 1) {
        throw new IllegalStateException("leaves at depths " + (counts[1] - 1) + " and " + level);
      }
      for (int i = 0; i < c; i++) {
        if (i > 0 && compareKeys(n.keys, i - 1, n.keys, i) >= 0) {
          throw new IllegalStateException("leaf keys not ascending at " + i);
        }
        if (lo != null && compareKeys(lo, loIdx, n.keys, i) > 0) {
          throw new IllegalStateException("leaf key below its separator");
        }
        if (hi != null && compareKeys(n.keys, i, hi, hiIdx) >= 0) {
          throw new IllegalStateException("leaf key at or above its upper separator");
        }
        if (n.slots[i] == null) {
          throw new IllegalStateException("null value");
        }
      }
      counts[0] += c;
      counts[2]++;
      return;
    }
    if (c == 0 || (isRoot && c == 1)) {
      throw new IllegalStateException("inner node with " + c + " children");
    }
    for (int i = 1; i < c - 1; i++) {
      if (compareKeys(n.keys, i - 1, n.keys, i) >= 0) {
        throw new IllegalStateException("separators not ascending");
      }
    }
    for (int i = 0; i < c; i++) {
      Object clo = i == 0 ? lo : n.keys;
      int cloIdx = i == 0 ? loIdx : i - 1;
      Object chi = i == c - 1 ? hi : n.keys;
      int chiIdx = i == c - 1 ? hiIdx : i;
      check((BTreeNode) n.slots[i], clo, cloIdx, chi, chiIdx, level + 1, counts, false);
    }
  }
}
