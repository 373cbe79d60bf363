package org.walden.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.walden.node.DataDirectory;
import org.walden.node.Node;
import org.walden.node.ShutdownMode;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.wal.Lsn;

/**
 * Crash-recovery replay speed. Loads {@code pgbench_accounts} (1,000,000 rows by default), takes a
 * checkpoint, writes at least WAL_MB of WAL past it with single-row update transactions ({@code
 * synchronous_commit = off}, checkpointer held off by {@code max_wal_size = 100GB,
 * checkpoint_timeout = 1d}), waits for the WAL to be flushed and stops IMMEDIATE (a crash). Then it
 * starts the node RUNS times, each in a fresh child JVM (clean heap, warm page cache), and reports
 * what {@code Node.start} took: snapshot load plus replay, as seen from outside, and the replay
 * alone from the startup's own "redo done" log line. A start without a checkpoint leaves the state
 * "in production", so every run replays the same WAL. Not a test; see {@code bench/run-storage.sh}.
 *
 * <pre>
 * ReplayBench DIR [WAL_MB] [ROWS] [RUNS] [CHILD_JVM_OPTION...]
 * </pre>
 *
 * DIR is deleted at the start and at the end.
 */
public final class ReplayBench {

  private ReplayBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Path.of(args[1]));
      return;
    }
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/walden-replaybench");
    long walMb = args.length > 1 ? Long.parseLong(args[1]) : 1024;
    int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    List<String> childOpts = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      childOpts.add(args[i]);
    }
    DataDirectory data = Accounts.freshDataDirectory(dir);
    prepare(data, rows, walMb);
    System.out.printf(
        Locale.ROOT, "data directory after the crash: %d MB%n", Accounts.sizeOf(dir) >> 20);
    for (int i = 1; i <= runs; i++) {
      System.out.printf(Locale.ROOT, "run %d:%n", i);
      runChild(dir, childOpts);
    }
    Accounts.deleteTree(dir);
  }

  static void prepare(DataDirectory data, int rows, long walMb) throws Exception {
    Node n = Accounts.start(data, Map.of());
    long t0 = System.nanoTime();
    Accounts.createTable(n);
    Accounts.load(n, rows, 50_000);
    n.checkpoint();
    Lsn redo = n.controlData().redoLsn();
    System.out.printf(
        Locale.ROOT,
        "loaded %d rows and checkpointed in %.1f s; redo point %s%n",
        rows,
        (System.nanoTime() - t0) / 1e9,
        redo);

    long target = walMb << 20;
    AtomicBoolean stop = new AtomicBoolean();
    int nThreads = 2;
    long[] commits = new long[nThreads];
    List<Thread> ts = new ArrayList<>();
    long t1 = System.nanoTime();
    for (int i = 0; i < nThreads; i++) {
      int me = i;
      Random r = new Random(CommitBench.SEED + i);
      ts.add(
          Thread.ofPlatform()
              .start(() -> {
                while (!stop.get()) {
                  // check the WAL size only now and then: insertPosition is cheap but not free
                  for (int k = 0; k < 1000; k++) {
                    if (Accounts.updateOne(
                        n, 1 + r.nextInt(rows), r.nextInt(10001) - 5000, SynchronousCommit.OFF)) {
                      commits[me]++;
                    }
                  }
                  if (n.wal().insertPosition().minus(redo) >= target) {
                    stop.set(true);
                  }
                }
              }));
    }
    for (Thread t : ts) {
      t.join();
    }
    Lsn end = n.wal().insertPosition();
    n.wal().waitForFlush(end);
    long total = 0;
    for (long c : commits) {
      total += c;
    }
    System.out.printf(
        Locale.ROOT,
        "wrote %d MB of WAL past the redo point with %d update transactions in %.1f s; crash at %s%n",
        end.minus(redo) >> 20,
        total,
        (System.nanoTime() - t1) / 1e9,
        end);
    n.shutdown(ShutdownMode.IMMEDIATE);
  }

  /** Starts a child JVM that runs {@link #child} and echoes its output. */
  static void runChild(Path dir, List<String> childOpts) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(childOpts);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ReplayBench.class.getName());
    cmd.add("--child");
    cmd.add(dir.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // Startup logs its "redo done" line at INFO; the test logback configuration reads this
    pb.environment().put("WALDEN_LOG_LEVEL", "INFO");
    Process p = pb.start();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.contains("redo done") || line.startsWith("child:") || line.contains("ERROR")) {
          System.out.println("  " + line);
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("replay child exited with " + rc);
    }
  }

  /** In the child JVM: time {@code Node.start}, report, crash again. */
  static void child(Path dir) throws Exception {
    DataDirectory data = new DataDirectory(dir);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Node n = Node.start(data, Accounts.NO_CHECKPOINTS);
    double secs = (System.nanoTime() - t0) / 1e9;
    // CPU seconds of the whole JVM (GC and JIT threads included): on a shared machine the wall
    // time depends on what else runs; MB per CPU-second less so
    double cpu = (os.getProcessCpuTime() - c0) / 1e9;
    Lsn redo = n.controlData().redoLsn();
    long bytes = n.wal().insertPosition().minus(redo);
    System.out.printf(
        Locale.ROOT,
        "child: Node.start %.2f s for %d MB of WAL from %s (%.0f MB/s including the snapshot"
            + " load); process CPU %.2f s (%.0f MB per CPU-second); heap used %d MB%n",
        secs,
        bytes >> 20,
        redo,
        bytes / 1048576.0 / secs,
        cpu,
        bytes / 1048576.0 / cpu,
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    System.out.flush();
    n.shutdown(ShutdownMode.IMMEDIATE);
  }
}
