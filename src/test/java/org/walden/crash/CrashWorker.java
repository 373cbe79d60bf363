package org.walden.crash;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.storage.SqlState;
import org.walden.storage.StorageException;
import org.walden.storage.catalog.Column;
import org.walden.storage.table.Table;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;
import org.walden.storage.txn.WriteOutcome;
import org.walden.storage.type.ColumnType;
import org.walden.wal.WalSegmentSize;

/**
 * The child JVM of {@link CrashIT}: a TPC-B-like load on an embedded node, run until the parent
 * kills it with SIGKILL.
 *
 * <p>Arguments: {@code <data directory> <round> <seed>}. Initializes the directory if it has no
 * {@code WALDEN_VERSION} yet, prints {@code BOOT} just before {@link Node#start} (so a kill right
 * after it lands in crash recovery), creates the schema in one transaction if it is missing, prints
 * {@code READY}, then runs {@link #THREADS} workers and a checkpoint loop forever.
 *
 * <p>Protocol on stdout, one line per event, each flushed before the next is written: {@code ACK
 * <txid> <acct> <delta>} only after the transaction's {@code commit(ON)} returned, so the parent
 * may treat every ACK line it reads (even after the kill) as a durable commit. Logging goes to
 * stderr. Any unexpected failure prints {@code FATAL} and exits with status 3, which the parent
 * reports.
 *
 * <p>txids encode {@code round << 40 | thread << 32 | counter}, unique over all rounds on one
 * directory. Account {@code a} belongs to branch {@code a % BRANCHES}; all balances start at 0, so
 * after any crash every balance must equal the sum of its history deltas.
 */
public final class CrashWorker {

  static final int ACCOUNTS = 200;
  static final int BRANCHES = 4;
  static final int THREADS = 8;

  private static final PrintStream OUT =
      new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);

  private CrashWorker() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    long seed = Long.parseLong(args[2]);
    try {
      run(dir, round, seed);
    } catch (Throwable t) {
      emit("FATAL " + t);
      t.printStackTrace();
      System.exit(3);
    }
  }

  private static void run(Path dir, int round, long seed) throws Exception {
    if (!Files.exists(dir.resolve("WALDEN_VERSION"))) {
      Node.init(new InitOptions(dir, new WalSegmentSize(1 << 20), "crash", "trust"));
    }
    emit("BOOT");
    Node node =
        Node.start(
            new DataDirectory(dir),
            Map.of(
                "port", freePort(),
                "checkpoint_timeout", "30s",
                "max_wal_size", "3MB",
                "min_wal_size", "2MB",
                "wal_writer_delay", "10ms"));
    TransactionManager tm = node.transactions();
    ensureSchema(tm);
    emit("READY");
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int id = i;
      Random r = new Random(seed * 1_000_003L + i);
      threads.add(
          Thread.ofPlatform()
              .name("crash-worker-" + i)
              .start(() -> guarded(() -> workLoop(tm, round, id, r))));
    }
    Random cr = new Random(seed ^ 0x5DEECE66DL);
    threads.add(
        Thread.ofPlatform()
            .name("crash-checkpoints")
            .start(() ->
                guarded(() -> {
                  while (true) {
                    node.checkpoint();
                    // pacing only: keeps checkpoints frequent without starving the workers
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(cr.nextInt(150)));
                  }
                })));
    for (Thread t : threads) {
      t.join();
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void guarded(Body b) {
    try {
      b.run();
    } catch (Throwable t) {
      emit("FATAL " + Thread.currentThread().getName() + " " + t);
      t.printStackTrace();
      System.exit(3);
    }
  }

  /** Creates the three tables and their rows in one transaction, so they appear all or none. */
  private static void ensureSchema(TransactionManager tm) {
    Transaction t = tm.begin(IsolationLevel.READ_COMMITTED, 1);
    if (t.table("history") != null) {
      t.rollback();
      return;
    }
    Table accounts =
        t.createTable(
            "accounts",
            List.of(Column.notNull("id", ColumnType.INTEGER), Column.of("bal", ColumnType.BIGINT)),
            new int[] {0});
    Table branches =
        t.createTable(
            "branches",
            List.of(Column.notNull("id", ColumnType.INTEGER), Column.of("bal", ColumnType.BIGINT)),
            new int[] {0});
    t.createTable(
        "history",
        List.of(
            Column.notNull("txid", ColumnType.BIGINT),
            Column.of("acct", ColumnType.INTEGER),
            Column.of("delta", ColumnType.BIGINT)),
        new int[] {0});
    for (int i = 0; i < ACCOUNTS; i++) {
      t.insert(accounts, new Object[] {i, 0L});
    }
    for (int i = 0; i < BRANCHES; i++) {
      t.insert(branches, new Object[] {i, 0L});
    }
    t.commit(SynchronousCommit.ON);
  }

  private static void workLoop(TransactionManager tm, int round, int thread, Random r) {
    int pid = 1000 + thread;
    for (long counter = 0; ; counter++) {
      long txid = (long) round << 40 | (long) thread << 32 | counter;
      int acct = r.nextInt(ACCOUNTS);
      long delta = r.nextInt(2001) - 1000;
      while (true) {
        Transaction t = tm.begin(IsolationLevel.READ_COMMITTED, pid);
        try {
          add(t, t.table("accounts"), acct, delta);
          add(t, t.table("branches"), acct % BRANCHES, delta);
          t.insert(t.table("history"), new Object[] {txid, acct, delta});
          t.commit(SynchronousCommit.ON);
          break;
        } catch (StorageException e) {
          t.rollback();
          if (!SqlState.SERIALIZATION_FAILURE.equals(e.sqlState())
              && !SqlState.DEADLOCK_DETECTED.equals(e.sqlState())) {
            throw e;
          }
        }
      }
      emit("ACK " + txid + " " + acct + " " + delta);
    }
  }

  /** {@code UPDATE table SET bal = bal + delta WHERE id = key}, with READ COMMITTED's re-check. */
  private static void add(Transaction t, Table table, int key, long delta) {
    byte[] row = t.get(table, key);
    while (true) {
      if (row == null) {
        throw new IllegalStateException("row " + key + " of " + table + " is missing");
      }
      long bal = (Long) table.schema().rowCodec().get(row, 1);
      WriteOutcome o = t.update(table, key, new Object[] {key, bal + delta}, row);
      switch (o.kind()) {
        case DONE -> {
          return;
        }
        case CHANGED -> row = o.row();
        case NOT_FOUND -> throw new IllegalStateException("row " + key + " vanished");
      }
    }
  }

  /** One line, flushed, never interleaved with another thread's. */
  static void emit(String line) {
    synchronized (OUT) {
      OUT.println(line);
      OUT.flush();
    }
  }

  /** A loopback port free right now: the embedded node's listener must not collide with others. */
  static String freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return Integer.toString(s.getLocalPort());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
