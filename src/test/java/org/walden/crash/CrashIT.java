package org.walden.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.node.DataDirectory;
import org.walden.node.Node;
import org.walden.node.ShutdownMode;
import org.walden.storage.table.Table;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.RowCursor;
import org.walden.storage.txn.Transaction;

/**
 * Kill -9 crash test: a {@link CrashWorker} child JVM runs a TPC-B-like load with checkpoints, and
 * is killed with SIGKILL after a random number of acknowledged commits (sometimes during its own
 * crash recovery, sometimes right after start, sometimes after hundreds of commits). The directory
 * is then opened in this JVM and checked: every acknowledged commit, from every round so far, is
 * there; every transaction is all-or-nothing (balances equal the sums of their history); then the
 * node is shut down fast or immediately, and the next round starts on the same directory.
 *
 * <p>{@code -Dwalden.crash.rounds=N} sets the rounds (20; 300 under {@code -Psoak}); {@code
 * -Dwalden.crash.seed=S} replays a run.
 */
class CrashIT {

  private static final long LINE_TIMEOUT_SECONDS = 120;

  @TempDir Path tmp;

  /** txid → {acct, delta} of every ACK read in any round. */
  private final Map<Long, long[]> acked = new HashMap<>();

  @Test
  void killNine_loosesNoAcknowledgedCommit_andNoTransactionIsHalfVisible() throws Exception {
    int rounds = Integer.getInteger("walden.crash.rounds", 20);
    long seed = Long.getLong("walden.crash.seed", System.nanoTime());
    System.out.println("CrashIT seed " + seed + ", " + rounds + " rounds");
    Random random = new Random(seed);
    Path data = tmp.resolve("data");
    for (int round = 0; round < rounds; round++) {
      String where = "seed " + seed + ", round " + round;
      try {
        runRound(data, round, random);
      } catch (Throwable t) {
        System.out.println("CrashIT FAILED at " + where);
        keepForInspection(data, seed, round, "after");
        keepForInspection(tmp.resolve("pre-recovery"), seed, round, "before");
        throw new AssertionError("CrashIT failed at " + where + ": " + t, t);
      }
    }
  }

  private void runRound(Path data, int round, Random random) throws Exception {
    // -1: kill at BOOT (inside crash recovery); never in round 0, which must finish init first.
    int roll = random.nextInt(10);
    int killAfter =
        roll == 0 && round > 0
            ? -1
            : roll <= 1 ? 0 : roll <= 5 ? random.nextInt(20) : random.nextInt(600);
    Path stderr = tmp.resolve("child-" + round + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            CrashWorker.class.getName(),
            data.toString(),
            Integer.toString(round),
            Long.toString(random.nextLong())));
    Process child = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();

    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    killed = false;
    Thread reader =
        Thread.ofPlatform().daemon().name("crash-reader").start(() -> pump(child, lines));
    int acks = 0;
    try {
      boolean killNow = false;
      while (!killNow) {
        String line = lines.poll(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
          fail("no output from the child for %ds; stderr: %s", LINE_TIMEOUT_SECONDS, tail(stderr));
        }
        if (line.equals(EOF)) {
          fail("child exited with %s before the kill; stderr: %s", exitOf(child), tail(stderr));
        }
        if (line.startsWith("FATAL")) {
          fail("child failed: %s; stderr: %s", line, tail(stderr));
        }
        if (line.startsWith("ACK ")) {
          record(line);
          acks++;
        }
        killNow =
            killAfter < 0 && line.equals("BOOT")
                || killAfter == 0 && line.equals("READY")
                || killAfter > 0 && acks >= killAfter;
      }
    } finally {
      killed = true;
      child.destroyForcibly();
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        fail("child did not die within 60s of SIGKILL");
      }
    }
    // Lines the child printed before it died are acknowledged commits too.
    reader.join(TimeUnit.SECONDS.toMillis(30));
    for (String line; (line = lines.poll()) != null; ) {
      if (line.startsWith("ACK ")) {
        record(line);
        acks++;
      } else if (line.startsWith("FATAL")) {
        fail("child failed: %s; stderr: %s", line, tail(stderr));
      }
    }
    boolean immediate = random.nextInt(3) == 0;
    System.out.printf(
        "round %d: killed after %d acks (target %d), %d acked in all; then %s shutdown%n",
        round, acks, killAfter, acked.size(), immediate ? "immediate" : "fast");
    // the crashed state, so that a failure can be replayed offline (the verifying node's own
    // shutdown checkpoint would otherwise hide what recovery started from)
    Path pre = tmp.resolve("pre-recovery");
    deleteTree(pre);
    copyTree(data, pre);
    Node node = Node.start(new DataDirectory(data), Map.of("port", freePort()));
    try {
      verify(node);
    } finally {
      node.shutdown(immediate ? ShutdownMode.IMMEDIATE : ShutdownMode.FAST);
    }
  }

  private static final String EOF = "\u0000EOF";

  /** Set before the kill, so the pump can tell our closing of the pipe from a real error. */
  private volatile boolean killed;

  private void pump(Process child, BlockingQueue<String> lines) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    } catch (IOException e) {
      // destroyForcibly() closes our end of the pipe; lines not read by then are simply not
      // counted as acknowledged, which only weakens the check, never falsifies it
      if (!killed) {
        lines.add("FATAL reading child output: " + e);
      }
    }
    lines.add(EOF);
  }

  private void record(String line) {
    String[] f = line.split(" ");
    long txid = Long.parseLong(f[1]);
    long[] prev = acked.put(txid, new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
    assertThat(prev).as("txid %d acknowledged twice", txid).isNull();
  }

  private void verify(Node node) {
    Transaction t = node.transactions().begin(IsolationLevel.REPEATABLE_READ, 1);
    try {
      Table history = t.table("history");
      if (history == null) {
        assertThat(acked).as("acknowledged commits, but no schema after recovery").isEmpty();
        assertThat(t.table("accounts")).isNull();
        return;
      }
      Map<Long, long[]> found = new HashMap<>();
      long[] perAccount = new long[CrashWorker.ACCOUNTS];
      long[] perBranch = new long[CrashWorker.BRANCHES];
      long total = 0;
      RowCursor c = t.scan(history);
      while (c.next()) {
        Object[] row = history.schema().rowCodec().decode(c.row());
        long txid = (Long) row[0];
        int acct = (Integer) row[1];
        long delta = (Long) row[2];
        found.put(txid, new long[] {acct, delta});
        perAccount[acct] += delta;
        perBranch[acct % CrashWorker.BRANCHES] += delta;
        total += delta;
      }
      for (Map.Entry<Long, long[]> e : acked.entrySet()) {
        long[] got = found.get(e.getKey());
        assertThat(got).as("acknowledged txid %d lost", e.getKey()).isNotNull();
        assertThat(got).as("history row of txid %d", e.getKey()).containsExactly(e.getValue());
      }
      assertSameBalances(balances(t, t.table("accounts")), perAccount, "account", total);
      assertSameBalances(balances(t, t.table("branches")), perBranch, "branch", total);
    } finally {
      t.rollback();
    }
  }

  private static void assertSameBalances(long[] actual, long[] expected, String what, long total) {
    StringBuilder diff = new StringBuilder();
    for (int i = 0; i < expected.length && i < actual.length; i++) {
      if (actual[i] != expected[i]) {
        diff.append(
            String.format(" %s %d: balance %d, history says %d;", what, i, actual[i], expected[i]));
      }
    }
    assertThat(actual.length).as("%s rows", what).isEqualTo(expected.length);
    assertThat(diff.toString())
        .as("%s balances vs history (history total %d)", what, total)
        .isEmpty();
  }

  private static long[] balances(Transaction t, Table table) {
    List<Long> out = new ArrayList<>();
    RowCursor c = t.scan(table);
    int expectId = 0;
    while (c.next()) {
      int id = (Integer) table.schema().rowCodec().get(c.row(), 0);
      assertThat(id).as("ids of %s are dense", table).isEqualTo(expectId++);
      out.add((Long) table.schema().rowCodec().get(c.row(), 1));
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** Copies the failed directory to target/ so it can be inspected after @TempDir is gone. */
  private static void keepForInspection(Path data, long seed, int round, String when) {
    Path to = Path.of("target", "crashit-" + seed + "-round" + round + "-" + when).toAbsolutePath();
    try {
      copyTree(data, to);
      System.out.println("CrashIT: data directory " + when + " recovery kept in " + to);
    } catch (IOException e) {
      System.out.println("CrashIT: could not keep the data directory: " + e);
    }
  }

  private static void copyTree(Path data, Path to) throws IOException {
    try (var files = Files.walk(data)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dest = to.resolve(data.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String exitOf(Process p) {
    try {
      return p.waitFor(10, TimeUnit.SECONDS) ? "status " + p.exitValue() : "(still running)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  private static String tail(Path file) {
    try {
      String s = Files.readString(file);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
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
