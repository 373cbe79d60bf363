package org.walden.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LongKeyBTreeTest {

  @ParameterizedTest(name = "leaf {0}, inner {1}")
  @CsvSource({"2,3", "4,4", "64,128"})
  void putIfAbsent_ascendingKeys_fillLeavesCompletely(int leafCapacity, int innerCapacity) {
    LongKeyBTree<String> tree = new LongKeyBTree<>(leafCapacity, innerCapacity);
    String v = "row";
    int n = 100_000;
    for (long k = 0; k < n; k++) {
      assertThat(tree.putIfAbsentLong(k * 3, v)).isNull();
    }
    long leaves = tree.checkInvariants();
    // the append path never splits a leaf in half: every leaf but the last is full
    assertThat(leaves).isEqualTo((n + leafCapacity - 1) / leafCapacity);
    assertThat(tree.size()).isEqualTo(n);
    for (long k = 0; k < 3L * n; k++) {
      assertThat(tree.getLong(k)).as("key %d", k).isEqualTo(k % 3 == 0 ? v : null);
    }
    LongIndexCursor<String> c = tree.rangeLong(Long.MIN_VALUE, Long.MAX_VALUE);
    long expected = 0;
    while (c.next()) {
      assertThat(c.longKey()).isEqualTo(expected);
      assertThat(c.key()).isEqualTo(expected);
      expected += 3;
    }
    assertThat(expected).isEqualTo(3L * n);
  }

  @Test
  void putIfAbsent_descendingKeys_buildValidTree() {
    LongKeyBTree<String> tree = new LongKeyBTree<>(8, 4);
    for (long k = 10_000; k > 0; k--) {
      assertThat(tree.putIfAbsentLong(k, "v" + k)).isNull();
    }
    tree.checkInvariants();
    assertThat(tree.size()).isEqualTo(10_000);
    assertThat(tree.get(5_000)).isEqualTo("v5000");
  }

  @Test
  void keys_integerAndShort_areTheSameKeysAsLongs() {
    LongKeyBTree<String> tree = OrderedIndexes.forLongKeys();
    assertThat(tree.putIfAbsent(7, "a")).isNull();
    assertThat(tree.putIfAbsent((short) 7, "b")).isEqualTo("a");
    assertThat(tree.get(7L)).isEqualTo("a");
    IndexCursor<String> c = tree.range((short) 7, true, 7, true);
    assertThat(c.next()).isTrue();
    assertThat(c.key()).isEqualTo(7L);
    assertThat(c.next()).isFalse();
  }

  @Test
  void keys_otherTypesAndNull_areRejected() {
    LongKeyBTree<String> tree = OrderedIndexes.forLongKeys();
    assertThatThrownBy(() -> tree.get("7")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tree.putIfAbsent(1L, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void replace_afterCopyOnWrite_writesTheCurrentLeaf() {
    LongKeyBTree<String> tree = new LongKeyBTree<>(4, 4);
    String a = "a";
    for (long k = 0; k < 100; k += 2) {
      tree.putIfAbsentLong(k, a);
    }
    tree.putIfAbsentLong(51, a); // copies the leaf holding 50 and 52
    String b = "b";
    assertThat(tree.replaceLong(50, a, b)).isTrue();
    assertThat(tree.replaceLong(50, a, b)).isFalse();
    assertThat(tree.getLong(50)).isSameAs(b);
    assertThat(tree.replaceLong(49, a, b)).isFalse();
    tree.checkInvariants();
  }

  @Test
  void remove_everyKey_unlinksEmptyLeavesAndCollapsesRoot() {
    LongKeyBTree<String> tree = new LongKeyBTree<>(4, 4);
    for (long k = 0; k < 1_000; k++) {
      tree.putIfAbsentLong(k, "v");
    }
    for (long k = 0; k < 1_000; k += 2) {
      assertThat(tree.removeLong(k, "v")).isTrue();
    }
    tree.checkInvariants();
    for (long k = 1; k < 1_000; k += 2) {
      assertThat(tree.removeLong(k, "v")).isTrue();
      if (k % 97 == 0) {
        tree.checkInvariants();
      }
    }
    assertThat(tree.checkInvariants()).isEqualTo(1);
    assertThat(tree.root.leaf).isTrue();
    assertThat(tree.size()).isZero();
  }
}
