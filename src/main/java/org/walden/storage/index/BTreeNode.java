package org.walden.storage.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One node of a {@link LongKeyBTree} or {@link ObjectKeyBTree}: a leaf (sorted keys and their
 * values) or an inner node (children and the separator keys between them). Both kinds share this
 * one class so that the read path stays monomorphic.
 *
 * <p>Layout: {@code keys} is a {@code long[]} or {@code Object[]} of fixed capacity; {@code slots}
 * holds values (leaf) or children (inner). A leaf holds {@code count} keys in {@code
 * keys[0..count)} and their values at the same positions. An inner node holds {@code count}
 * children and {@code count - 1} separators; child {@code i} covers keys {@code k} with {@code
 * keys[i-1] <= k < keys[i]} (missing bounds are the node's own bounds).
 *
 * <p>Mutation rules (what makes lock-free reading safe; see {@link AbstractBTree}):
 *
 * <ul>
 *   <li>Entries at positions below the published {@code count} never move and their keys never
 *       change. Anything else (insert in the middle, removal, split) builds new nodes.
 *   <li>A writer may append at position {@code count} in place: it writes the key and slot with
 *       plain stores, then publishes {@code count + 1} with a release store. Readers load {@code
 *       count} with acquire and never read beyond it.
 *   <li>A writer may overwrite a published slot (a leaf's value, or an inner node's child with a
 *       copy of that child covering the same keys) with a release store; readers load slots with
 *       acquire.
 * </ul>
 *
 * <p>All writes happen with the owning index's writer lock held.
 */
final class BTreeNode {

  private static final VarHandle COUNT;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(BTreeNode.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final boolean leaf;

  /** {@code long[]} or {@code Object[]}; fixed capacity. */
  final Object keys;

  /** Values (leaf) or children (inner); fixed capacity. */
  final Object[] slots;

  /**
   * Number of entries (leaf) or children (inner). Written by the writer-lock holder: plainly before
   * the node is published, with {@link #publishCount} afterwards. Lock-free readers use {@link
   * #countAcquire}.
   */
  int count;

  /**
   * Set (writer lock held) when this leaf has been replaced by a copy or split and is no longer
   * reachable from the root; writes that located the leaf without the lock check it under the lock.
   * Guarded by the writer lock.
   */
  boolean retired;

  BTreeNode(boolean leaf, Object keys, Object[] slots) {
    this.leaf = leaf;
    this.keys = keys;
    this.slots = slots;
  }

  int countAcquire() {
    return (int) COUNT.getAcquire(this);
  }

  void publishCount(int newCount) {
    COUNT.setRelease(this, newCount);
  }

  Object slotAcquire(int i) {
    return SLOT.getAcquire(slots, i);
  }

  void publishSlot(int i, Object value) {
    SLOT.setRelease(slots, i, value);
  }
}
