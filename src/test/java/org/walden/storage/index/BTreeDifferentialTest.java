package org.walden.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs long random operation sequences against a B+tree and {@link SkipListIndex} side by side and
 * requires identical answers, with the tree's structural invariants checked along the way. Seeds
 * are derived from the fanouts and printed in every failure message.
 */
class BTreeDifferentialTest {

  /** A value compared by identity, as row versions are. */
  private record Val(long n) {}

  private static final int OPS = 150_000;

  @ParameterizedTest(name = "leaf {0}, inner {1}")
  @CsvSource({"2,3", "3,4", "4,5", "16,8", "64,128", "128,64"})
  void longKeys_matchSkipList(int leafCapacity, int innerCapacity) {
    long seed = 1_000L * leafCapacity + innerCapacity;
    for (int keySpace : new int[] {50, 3_000}) {
      LongKeyBTree<Val> tree = new LongKeyBTree<>(leafCapacity, innerCapacity);
      run(
          "long keys, seed " + seed + ", key space " + keySpace,
          new Random(seed + keySpace),
          tree,
          tree::checkInvariants,
          r -> randomLongKey(r, keySpace),
          k -> LongKeyBTree.toLong(k),
          Comparator.<Long>naturalOrder());
    }
  }

  @ParameterizedTest(name = "leaf {0}, inner {1}")
  @CsvSource({"2,3", "4,4", "16,8", "64,128"})
  void objectKeys_matchSkipList(int leafCapacity, int innerCapacity) {
    long seed = 2_000L * leafCapacity + innerCapacity;
    for (int keySpace : new int[] {50, 3_000}) {
      ObjectKeyBTree<Val> tree =
          new ObjectKeyBTree<>(Comparator.naturalOrder(), leafCapacity, innerCapacity);
      run(
          "text keys, seed " + seed + ", key space " + keySpace,
          new Random(seed + keySpace),
          tree,
          tree::checkInvariants,
          r -> "k" + r.nextInt(keySpace),
          k -> k,
          Comparator.<String>naturalOrder());
    }
  }

  @Test
  void longKeys_extremeBounds() {
    LongKeyBTree<Val> tree = new LongKeyBTree<>(4, 4);
    Val v = new Val(0);
    for (long k : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}) {
      assertThat(tree.putIfAbsentLong(k, v)).isNull();
    }
    assertThat(keys(tree.range(Long.MAX_VALUE, false, null, true))).isEmpty();
    assertThat(keys(tree.range(null, true, Long.MIN_VALUE, false))).isEmpty();
    assertThat(keys(tree.range(Long.MIN_VALUE, false, Long.MAX_VALUE, false)))
        .containsExactly(-1L, 0L, 1L);
    assertThat(keys(tree.range(5L, true, 3L, true))).isEmpty();
    assertThat(keys(tree.all())).containsExactly(Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE);
  }

  private static Object randomLongKey(Random r, int keySpace) {
    int k = r.nextInt(keySpace) - keySpace / 4;
    return switch (r.nextInt(3)) {
      case 0 -> (long) k;
      case 1 -> k;
      default -> (short) k;
    };
  }

  /** Fails unless both answers are the same object (booleans and sizes: equal). */
  private static void same(String what, int op, Object key, String call, Object got, Object want) {
    boolean ok = got instanceof Boolean || got instanceof Long ? got.equals(want) : got == want;
    if (!ok) {
      fail(
          what + ", op " + op + ", key " + key + ": " + call + " gave " + got + ", oracle " + want);
    }
  }

  private static List<Object> keys(IndexCursor<?> c) {
    List<Object> out = new ArrayList<>();
    while (c.next()) {
      out.add(c.key());
    }
    return out;
  }

  private static void run(
      String what,
      Random r,
      OrderedIndex<Val> tree,
      Runnable check,
      Function<Random, Object> keyGen,
      Function<Object, Object> normalize,
      Comparator<?> cmp) {
    SkipListIndex<Val> oracle = new SkipListIndex<>(cmp);
    long serial = 0;
    for (int op = 0; op < OPS; op++) {
      Object key = keyGen.apply(r);
      Object nk = normalize.apply(key);
      String at = null; // built only on failure: string building would dominate the run
      int dice = r.nextInt(100);
      if (dice < 35) {
        Val v = new Val(serial++);
        same(what, op, nk, "putIfAbsent", tree.putIfAbsent(key, v), oracle.putIfAbsent(nk, v));
      } else if (dice < 55) {
        Val current = oracle.get(nk);
        Val expected = current != null && r.nextBoolean() ? current : new Val(-1);
        Val v = new Val(serial++);
        same(
            what,
            op,
            nk,
            "replace",
            tree.replace(key, expected, v),
            oracle.replace(nk, expected, v));
      } else if (dice < 75) {
        Val current = oracle.get(nk);
        Val expected = current != null && r.nextInt(4) != 0 ? current : new Val(-2);
        same(what, op, nk, "remove", tree.remove(key, expected), oracle.remove(nk, expected));
      } else if (dice < 85) {
        // upsert: the tree's one-descent version against the interface's default on the oracle
        Val v = new Val(serial++);
        java.util.function.UnaryOperator<Val> fn = old -> v;
        same(what, op, nk, "upsert", tree.upsert(key, fn), oracle.upsert(nk, fn));
      } else if (dice < 97) {
        same(what, op, nk, "get", tree.get(key), oracle.get(nk));
      } else {
        Object from = r.nextInt(5) == 0 ? null : keyGen.apply(r);
        Object to = r.nextInt(5) == 0 ? null : keyGen.apply(r);
        boolean fromInc = r.nextBoolean();
        boolean toInc = r.nextBoolean();
        at = what + ", op " + op + ", range " + from + fromInc + ".." + to + toInc;
        IndexCursor<Val> got = tree.range(from, fromInc, to, toInc);
        Object nFrom = from == null ? null : normalize.apply(from);
        Object nTo = to == null ? null : normalize.apply(to);
        @SuppressWarnings("unchecked")
        boolean inverted =
            nFrom != null && nTo != null && ((Comparator<Object>) cmp).compare(nFrom, nTo) > 0;
        // the skip list refuses inverted bounds; an empty range of the same skip list stands in
        IndexCursor<Val> want =
            inverted
                ? oracle.range(nFrom, false, nFrom, false)
                : oracle.range(nFrom, fromInc, nTo, toInc);
        int n = 0;
        while (want.next()) {
          if (!got.next()) {
            fail(at + ": range " + from + ".." + to + " ended early after " + n);
          }
          assertThat(got.key()).as(at + " range entry " + n).isEqualTo(want.key());
          assertThat(got.value()).as(at + " range entry " + n).isSameAs(want.value());
          n++;
        }
        assertThat(got.next()).as(at + ": range has extra entries after " + n).isFalse();
      }
      same(what, op, nk, "size", tree.size(), oracle.size());
      if (op % 20_000 == 0 || op == OPS - 1) {
        at = what + ", op " + op;
        try {
          check.run();
        } catch (IllegalStateException e) {
          throw new AssertionError(at + ": " + e.getMessage(), e);
        }
      }
    }
    // empty it completely through removals, then reuse it
    List<Object> left = keys(oracle.all());
    for (Object k : left) {
      assertThat(tree.remove(k, oracle.get(k))).as(what + " draining " + k).isTrue();
      oracle.remove(k, oracle.get(k));
    }
    check.run();
    assertThat(tree.size()).as(what).isZero();
    assertThat(tree.all().next()).as(what).isFalse();
    tree.clear();
    check.run();
  }
}
