package org.walden.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * Writers mutate a B+tree while lock-free readers run gets and range scans; readers check what the
 * {@link OrderedIndex} contract promises them.
 *
 * <p>Key universe: multiples of 4 below {@code 4 * STABLE} are "stable" (inserted before the start,
 * never removed; their values are replaced), keys {@code 2 mod 4} churn (inserted and removed), odd
 * keys are never inserted, and writer 0 appends ascending multiples of 4 from {@code 4 * STABLE}
 * on. A value records the key it was made for, so a reader can tell whether it was ever stored
 * under that key. Each writer owns a disjoint part of the keys, so the final contents are known
 * exactly. Work is bounded by iteration counts; the futures' timeout is only a safety net.
 */
class BTreeConcurrencyTest {

  private record Val(long key, long seq) {}

  private static final int STABLE = 2_000;
  private static final long APPEND_BASE = 4L * STABLE;
  private static final int WRITERS = 2;
  private static final int READERS = 2;
  private static final int WRITER_OPS = 150_000;
  private static final int READER_GETS = 150_000;
  private static final int READER_SCANS = 600;

  @Test
  void longKeys_smallFanout_readersSeeConsistentIndex() throws Exception {
    run(new LongKeyBTree<>(4, 4), k -> k, k -> (Long) k, 11L);
  }

  @Test
  void longKeys_mediumAndDefaultFanout_readersSeeConsistentIndex() throws Exception {
    LongKeyBTree<Val> tree = new LongKeyBTree<>(8, 8);
    run(tree, k -> k, k -> (Long) k, 12L);
    run(OrderedIndexes.forLongKeys(), k -> k, k -> (Long) k, 13L);
  }

  @Test
  void objectKeys_readersSeeConsistentIndex() throws Exception {
    // text keys whose order matches the numbers': fixed width, zero padded
    run(
        new ObjectKeyBTree<Val>(Comparator.<String>naturalOrder(), 4, 5),
        k -> String.format("%012d", k),
        k -> Long.parseLong((String) k),
        14L);
  }

  private void run(
      AbstractBTree<Val> tree,
      LongFunction<Object> keyOf,
      ToLongFunction<Object> numberOf,
      long seed)
      throws Exception {
    String what = tree.getClass().getSimpleName() + " seed " + seed;
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    Val[] stableFinal = new Val[STABLE];
    for (int i = 0; i < STABLE; i++) {
      stableFinal[i] = new Val(4L * i, 0);
      assertThat(tree.putIfAbsent(keyOf.apply(4L * i), stableFinal[i])).isNull();
    }
    List<Map<Long, Val>> churnFinal = new ArrayList<>();
    long[] appended = new long[1];
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        Map<Long, Val> churn = new HashMap<>();
        churnFinal.add(churn);
        futures.add(
            pool.submit(() -> {
              await(start);
              write(tree, keyOf, id, new Random(seed * 31 + id), stableFinal, churn, appended);
              return null;
            }));
      }
      for (int r = 0; r < READERS; r++) {
        Random random = new Random(seed * 31 + 100 + r);
        futures.add(
            pool.submit(() -> {
              await(start);
              read(tree, keyOf, numberOf, random, errors);
              return null;
            }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(errors).as(what).isEmpty();

    tree.checkInvariants();
    long expectedSize = STABLE + appended[0];
    for (int i = 0; i < STABLE; i++) {
      assertThat(tree.get(keyOf.apply(4L * i))).as(what).isSameAs(stableFinal[i]);
    }
    for (Map<Long, Val> churn : churnFinal) {
      for (Map.Entry<Long, Val> e : churn.entrySet()) {
        assertThat(tree.get(keyOf.apply(e.getKey()))).as(what).isSameAs(e.getValue());
      }
      expectedSize += churn.size();
    }
    assertThat(tree.size()).as(what).isEqualTo(expectedSize);
    long n = 0;
    for (IndexCursor<Val> c = tree.all(); c.next(); ) {
      n++;
    }
    assertThat(n).as(what).isEqualTo(expectedSize);
  }

  private static void write(
      OrderedIndex<Val> tree,
      LongFunction<Object> keyOf,
      int id,
      Random r,
      Val[] stableFinal,
      Map<Long, Val> churn,
      long[] appended) {
    long seq = 1;
    for (int op = 0; op < WRITER_OPS; op++) {
      int dice = r.nextInt(100);
      if (dice < 30) {
        // replace a stable key this writer owns; nobody else writes it, so it must succeed
        int i = r.nextInt(STABLE / WRITERS) * WRITERS + id;
        Val v = new Val(4L * i, seq++);
        if (!tree.replace(keyOf.apply(4L * i), stableFinal[i], v)) {
          throw new AssertionError("replace of stable key " + 4L * i + " failed");
        }
        stableFinal[i] = v;
      } else if (dice < 95) {
        // churn keys: 2 mod 4, owned by writer (k / 4) % WRITERS; a burst empties whole leaves
        long k = 4L * (r.nextInt(STABLE / WRITERS) * WRITERS + id) + 2;
        Val old = churn.get(k);
        if (old == null) {
          Val v = new Val(k, seq++);
          if (tree.putIfAbsent(keyOf.apply(k), v) != null) {
            throw new AssertionError("putIfAbsent of absent churn key " + k + " found a value");
          }
          churn.put(k, v);
        } else {
          if (!tree.remove(keyOf.apply(k), old)) {
            throw new AssertionError("remove of churn key " + k + " failed");
          }
          churn.remove(k);
        }
      } else if (id == 0) {
        long k = APPEND_BASE + 4 * appended[0];
        if (tree.putIfAbsent(keyOf.apply(k), new Val(k, seq++)) != null) {
          throw new AssertionError("append of " + k + " found a value");
        }
        appended[0]++;
      }
    }
  }

  private static void read(
      OrderedIndex<Val> tree,
      LongFunction<Object> keyOf,
      ToLongFunction<Object> numberOf,
      Random r,
      Queue<String> errors) {
    long universe = APPEND_BASE + 4L * WRITER_OPS;
    for (int op = 0; op < READER_GETS && errors.size() < 10; op++) {
      long k = r.nextLong(universe);
      Val v = tree.get(keyOf.apply(k));
      if (k % 2 == 1 && v != null) {
        errors.add("get(" + k + ") of a never-inserted key returned " + v);
      } else if (k % 4 == 0 && k < APPEND_BASE && v == null) {
        errors.add("get(" + k + ") of a stable key returned null");
      } else if (v != null && v.key() != k) {
        errors.add("get(" + k + ") returned a value stored for " + v.key());
      }
      if (op % (READER_GETS / READER_SCANS) == 0) {
        scan(tree, keyOf, numberOf, r, errors, universe);
      }
    }
  }

  private static void scan(
      OrderedIndex<Val> tree,
      LongFunction<Object> keyOf,
      ToLongFunction<Object> numberOf,
      Random r,
      Queue<String> errors,
      long universe) {
    boolean unbounded = r.nextInt(4) == 0;
    long lo = unbounded ? 0 : r.nextLong(universe);
    long hi = unbounded ? Long.MAX_VALUE : lo + r.nextInt(3_000);
    boolean loInc = r.nextBoolean();
    boolean hiInc = r.nextBoolean();
    IndexCursor<Val> c =
        tree.range(
            unbounded ? null : keyOf.apply(lo), loInc, unbounded ? null : keyOf.apply(hi), hiInc);
    long first = unbounded ? 0 : loInc ? lo : lo + 1;
    long last = unbounded ? Long.MAX_VALUE : hiInc ? hi : hi - 1;
    long prev = Long.MIN_VALUE;
    long stableSeen = 0;
    String range = "range " + lo + (loInc ? "]" : ")") + ".." + hi + (hiInc ? "]" : ")");
    while (c.next()) {
      long k = numberOf.applyAsLong(c.key());
      Val v = c.value();
      if (k <= prev) {
        errors.add(range + ": key " + k + " after " + prev);
        return;
      }
      if (k < first || k > last) {
        errors.add(range + ": key " + k + " outside the range");
      }
      if (k % 2 == 1) {
        errors.add(range + ": never-inserted key " + k);
      }
      if (v == null || v.key() != k) {
        errors.add(range + ": key " + k + " with value " + v);
      }
      if (k % 4 == 0 && k < APPEND_BASE) {
        stableSeen++;
      }
      prev = k;
    }
    long stableLast = Math.min(last, APPEND_BASE - 1);
    long expected =
        stableLast < first ? 0 : Math.floorDiv(stableLast, 4) - Math.floorDiv(first + 3, 4) + 1;
    if (stableSeen != expected) {
      errors.add(range + ": saw " + stableSeen + " stable keys, expected " + expected);
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(1, TimeUnit.MINUTES)) {
      throw new AssertionError("start latch never opened");
    }
  }
}
