package org.walden.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;
import org.walden.node.DataDirectory;
import org.walden.node.Node;
import org.walden.storage.table.Table;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.Transaction;

/**
 * Heap bytes per row of a loaded table: {@code pgbench_accounts}-shaped rows (5,000,000 by default)
 * inserted through the embedded API in transactions of 50,000 rows with {@code synchronous_commit =
 * off}. Used heap is read from the {@link MemoryMXBean} after repeated {@code System.gc()}, before
 * the load (node running, table created) and after it; the difference divided by the row count is
 * the figure. A class histogram of the live set ({@code GC.class_histogram}) shows where the bytes
 * are. Not a test; run with {@code -Xmx8g}, see {@code bench/run-storage.sh}.
 *
 * <pre>
 * MemoryBench DIR [ROWS]
 * </pre>
 */
public final class MemoryBench {

  private MemoryBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/walden-memorybench");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
    DataDirectory data = Accounts.freshDataDirectory(dir);
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    try (Node n = Accounts.start(data, Map.of())) {
      Accounts.createTable(n);
      long before = usedAfterGc(mem);
      long t0 = System.nanoTime();
      Accounts.load(n, rows, 50_000);
      double secs = (System.nanoTime() - t0) / 1e9;
      n.wal().waitForFlush(n.wal().insertPosition());
      long after = usedAfterGc(mem);
      Transaction t = n.transactions().begin(IsolationLevel.READ_COMMITTED, 1);
      Table a = t.table(Accounts.TABLE);
      int encoded = t.get(a, 1).length;
      t.rollback();
      System.out.printf(
          Locale.ROOT,
          "%d rows loaded in %.1f s (%.0f rows/s); encoded row %d bytes; %s%n",
          rows,
          secs,
          rows / secs,
          encoded,
          Runtime.version());
      System.out.printf(
          Locale.ROOT,
          "used heap before %d MB, after %d MB: %.1f bytes/row%n",
          before >> 20,
          after >> 20,
          (after - before) / (double) rows);
      histogram(15);
    }
    Accounts.deleteTree(dir);
  }

  static long usedAfterGc(MemoryMXBean mem) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * Prints the first {@code lines} classes of this JVM's live-set histogram, through the in-process
   * DiagnosticCommand MBean (what {@code jcmd PID GC.class_histogram} runs; attaching an external
   * jcmd to ourselves hung on this machine).
   */
  static void histogram(int lines) throws Exception {
    Object out =
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
    String[] all = out.toString().split("\n");
    for (int i = 0; i < Math.min(all.length, lines + 3); i++) {
      System.out.println(all[i]);
    }
    if (all.length > 0) {
      System.out.println(all[all.length - 1]); // the Total line
    }
  }
}
