package org.walden.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.util.Comparator;
import java.util.Random;
import org.walden.storage.index.IndexCursor;
import org.walden.storage.index.LongKeyBTree;
import org.walden.storage.index.OrderedIndex;
import org.walden.storage.index.OrderedIndexes;
import org.walden.storage.index.SkipListIndex;

/**
 * Measures the primary-key indexes: heap bytes per key after loading 5,000,000 keys, nanoseconds
 * per random get, inserts per second in ascending and random order, replaces and full scans. Not a
 * test (nothing is asserted); run by hand:
 *
 * <pre>
 * ./mvnw -B -q test-compile
 * java -cp target/classes:target/test-classes -Xmx4g org.walden.bench.IndexBench
 * </pre>
 *
 * Times are the bench thread's CPU time. Memory is {@code totalMemory - freeMemory} after repeated
 * {@code System.gc()}, so it is approximate; all values point to one shared object, so it counts
 * the index alone (for the skip list and the object tree it includes the boxed {@code Long} keys,
 * which a real table would share with its rows).
 */
public final class IndexBench {

  private static final int N = 5_000_000;
  private static final int GETS = 10_000_000;
  private static final Object ROW = new Object();
  private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();

  private IndexBench() {}

  public static void main(String[] args) {
    long[] shuffled = new long[N];
    for (int i = 0; i < N; i++) {
      shuffled[i] = i;
    }
    Random r = new Random(42);
    for (int i = N - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    long[] probes = new long[GETS];
    for (int i = 0; i < GETS; i++) {
      probes[i] = r.nextInt(N);
    }
    Long[] boxedProbes = new Long[1_000_000];
    for (int i = 0; i < boxedProbes.length; i++) {
      boxedProbes[i] = probes[i];
    }

    System.out.printf("%d keys, %s%n", N, Runtime.version());
    for (int round = 0; round < 2; round++) {
      System.out.printf("-- round %d%s%n", round + 1, round == 0 ? " (includes JIT warm-up)" : "");
      benchLongTree(shuffled, probes);
      benchGeneric("ObjectKeyBTree<Long>", shuffled, boxedProbes, true);
      benchGeneric("SkipListIndex<Long>", shuffled, boxedProbes, false);
    }
  }

  private static void benchLongTree(long[] shuffled, long[] probes) {
    String name = "LongKeyBTree";
    for (boolean ascending : new boolean[] {true, false}) {
      long before = usedHeap();
      LongKeyBTree<Object> tree = OrderedIndexes.forLongKeys();
      long t0 = now();
      for (int i = 0; i < N; i++) {
        tree.putIfAbsentLong(ascending ? i : shuffled[i], ROW);
      }
      long t1 = now();
      long after = usedHeap();
      String order = ascending ? "ascending" : "random";
      System.out.printf(
          "%-22s %-9s insert %6.2f M/s, %5.1f bytes/key%n",
          name, order, N * 1e3 / (t1 - t0), (after - before) / (double) N);
      if (!ascending) {
        continue;
      }
      long hits = 0;
      t0 = now();
      for (long k : probes) {
        if (tree.getLong(k) != null) {
          hits++;
        }
      }
      t1 = now();
      check(hits == probes.length, "missed keys");
      System.out.printf("%-22s getLong   %6.1f ns/get%n", name, (t1 - t0) / (double) probes.length);
      Object other = new Object();
      t0 = now();
      for (int i = 0; i < 2_000_000; i++) {
        long k = probes[i];
        Object cur = tree.getLong(k);
        tree.replaceLong(k, cur, cur == ROW ? other : ROW);
      }
      t1 = now();
      System.out.printf(
          "%-22s get+replace %6.1f ns/op (one thread)%n", name, (t1 - t0) / 2_000_000.0);
      t0 = now();
      long n = 0;
      for (var c = tree.rangeLong(Long.MIN_VALUE, Long.MAX_VALUE); c.next(); ) {
        n += c.longKey() & 1;
      }
      t1 = now();
      check(n == N / 2, "scan count");
      System.out.printf("%-22s full scan %6.1f ns/key%n", name, (t1 - t0) / (double) N);
      Reference.reachabilityFence(tree);
    }
  }

  private static void benchGeneric(String name, long[] shuffled, Long[] probes, boolean btree) {
    for (boolean ascending : new boolean[] {true, false}) {
      long before = usedHeap();
      OrderedIndex<Object> index =
          btree
              ? OrderedIndexes.forKeys(Comparator.<Long>naturalOrder())
              : new SkipListIndex<>(Comparator.<Long>naturalOrder());
      long t0 = now();
      for (int i = 0; i < N; i++) {
        index.putIfAbsent(ascending ? (long) i : shuffled[i], ROW);
      }
      long t1 = now();
      long after = usedHeap();
      System.out.printf(
          "%-22s %-9s insert %6.2f M/s, %5.1f bytes/key%n",
          name,
          ascending ? "ascending" : "random",
          N * 1e3 / (t1 - t0),
          (after - before) / (double) N);
      if (!ascending) {
        continue;
      }
      long hits = 0;
      t0 = now();
      for (int rep = 0; rep < 10; rep++) {
        for (Long k : probes) {
          if (index.get(k) != null) {
            hits++;
          }
        }
      }
      t1 = now();
      check(hits == 10L * probes.length, "missed keys");
      System.out.printf("%-22s get       %6.1f ns/get%n", name, (t1 - t0) / (10.0 * probes.length));
      t0 = now();
      long n = 0;
      for (IndexCursor<Object> c = index.all(); c.next(); ) {
        n += ((Long) c.key()) & 1;
      }
      t1 = now();
      check(n == N / 2, "scan count");
      System.out.printf("%-22s full scan %6.1f ns/key%n", name, (t1 - t0) / (double) N);
      Reference.reachabilityFence(index);
    }
  }

  /**
   * This thread's CPU time, not wall time: the bench usually shares the machine, and CPU time is
   * what an index operation costs (cache effects of neighbours remain).
   */
  private static long now() {
    return THREAD_CPU.getCurrentThreadCpuTime();
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
