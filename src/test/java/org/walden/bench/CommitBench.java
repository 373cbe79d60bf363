package org.walden.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walden.node.DataDirectory;
import org.walden.node.Node;
import org.walden.storage.txn.SynchronousCommit;

/**
 * Commit throughput through the embedded API: single-row update transactions (pgbench's accounts
 * update, random aid) on a 100,000-row {@code pgbench_accounts}, with 1/8/32 committing threads,
 * {@code synchronous_commit} on and off. Alongside, the disk's fdatasync rate from PostgreSQL's
 * {@code pg_test_fsync}, so that the group-commit factor (commits/s ÷ fdatasync/s) can be read off.
 * Not a test; see {@code bench/run-storage.sh}.
 *
 * <pre>
 * CommitBench DIR [SECONDS] [THREADS...]
 * </pre>
 *
 * DIR is deleted and re-created. The bench threads are platform threads and the measurement window
 * is wall-clock; each configuration gets a short unmeasured warm-up.
 */
public final class CommitBench {

  static final int ROWS = 100_000;
  static final long SEED = 20240601L;
  static final String PG_TEST_FSYNC = "/usr/lib/postgresql/15/bin/pg_test_fsync";

  private CommitBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/walden-commitbench");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<Integer> threads = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      threads.add(Integer.parseInt(args[i]));
    }
    if (threads.isEmpty()) {
      threads = List.of(1, 8, 32);
    }
    DataDirectory data = Accounts.freshDataDirectory(dir.resolve("data"));

    double fdatasync =
        Boolean.getBoolean("bench.skipFsyncTest")
            ? -1
            : pgTestFsync(dir.resolve("pg_test_fsync.tmp"));
    System.out.printf(
        Locale.ROOT, "pg_test_fsync: fdatasync (one 8kB write) %.0f ops/s%n", fdatasync);

    System.out.printf(
        Locale.ROOT,
        "%d rows, %d s per run, seed %d, %s%n",
        ROWS,
        seconds,
        SEED,
        Runtime.version());
    System.out.printf(
        Locale.ROOT,
        "| synchronous_commit | threads | commits/s | WAL flushes/s | commits/flush |%n");
    System.out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|%n");
    double on32 = Double.NaN;
    try (Node n = Accounts.start(data, Map.of())) {
      Accounts.createTable(n);
      Accounts.load(n, ROWS, 10_000);
      for (SynchronousCommit sync : List.of(SynchronousCommit.ON, SynchronousCommit.OFF)) {
        for (int t : threads) {
          run(n, sync, t, Math.max(1, Math.min(5, seconds / 4)), null);
          double[] r = run(n, sync, t, seconds, new double[2]);
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %.0f | %.0f | %.1f |%n",
              sync == SynchronousCommit.ON ? "on" : "off",
              t,
              r[0],
              r[1],
              r[0] / Math.max(r[1], 1e-9));
          if (sync == SynchronousCommit.ON && t == 32) {
            on32 = r[0];
          }
        }
      }
    }
    if (!Double.isNaN(on32) && fdatasync > 0) {
      System.out.printf(
          Locale.ROOT,
          "group-commit factor (32 threads, sync on): %.0f commits/s / %.0f fdatasync/s = %.1fx%n",
          on32,
          fdatasync,
          on32 / fdatasync);
    }
    Accounts.deleteTree(dir);
  }

  /**
   * Runs {@code nThreads} committers for {@code seconds}; returns {commits/s, flushes/s} into
   * {@code out} (null: warm-up, nothing returned).
   */
  static double[] run(Node n, SynchronousCommit sync, int nThreads, int seconds, double[] out)
      throws InterruptedException {
    LongAdder commits = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(nThreads);
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < nThreads; i++) {
      Random r = new Random(SEED + i);
      Thread.ofPlatform()
          .name("bench-" + i)
          .start(() -> {
            try {
              while (!stop.get()) {
                int aid = 1 + r.nextInt(ROWS);
                if (Accounts.updateOne(n, aid, r.nextInt(10001) - 5000, sync)) {
                  commits.increment();
                }
              }
            } catch (Throwable e) {
              errors.add(e);
            } finally {
              done.countDown();
            }
          });
    }
    long f0 = n.wal().flushCount();
    long c0 = commits.sum();
    long t0 = System.nanoTime();
    // the measurement window itself: nothing to synchronise with, the threads run until told
    done.await(seconds, TimeUnit.SECONDS);
    long c1 = commits.sum();
    long f1 = n.wal().flushCount();
    double secs = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("bench threads did not stop within 60 s");
    }
    if (!errors.isEmpty()) {
      IllegalStateException e = new IllegalStateException("a bench thread failed");
      errors.forEach(e::addSuppressed);
      throw e;
    }
    if (out != null) {
      out[0] = (c1 - c0) / secs;
      out[1] = (f1 - f0) / secs;
    }
    return out;
  }

  private static final Pattern FDATASYNC =
      Pattern.compile("^\\s*fdatasync\\s+([0-9.]+) ops/sec", Pattern.MULTILINE);

  /**
   * Runs {@code pg_test_fsync -s 5 -f file} and returns the fdatasync rate of its "one 8kB write"
   * section, or -1 if it is not installed or its output is not understood.
   */
  static double pgTestFsync(Path file) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(PG_TEST_FSYNC))) {
      System.out.println("pg_test_fsync: " + PG_TEST_FSYNC + " not found; skipped");
      return -1;
    }
    Files.createDirectories(file.getParent());
    Process p =
        new ProcessBuilder(PG_TEST_FSYNC, "-s", "5", "-f", file.toString())
            .redirectErrorStream(true)
            .start();
    StringBuilder all = new StringBuilder();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        all.append(line).append('\n');
      }
    }
    p.waitFor();
    Files.deleteIfExists(file);
    String out = all.toString();
    int section = out.indexOf("one 8kB write");
    if (section < 0) {
      System.out.print(out);
      return -1;
    }
    Matcher m = FDATASYNC.matcher(out);
    if (!m.find(section)) {
      System.out.print(out);
      return -1;
    }
    return Double.parseDouble(m.group(1));
  }
}
