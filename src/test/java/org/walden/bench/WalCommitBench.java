package org.walden.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.TimelineId;
import org.walden.wal.WalIdentity;
import org.walden.wal.WalInserter;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.WalWriter;
import org.walden.wal.Xid;

/**
 * WAL-only commit throughput: N threads each insert a 150-byte record and a commit record and wait
 * for the flush. Isolates the group-commit machinery from storage.
 *
 * <p>{@code java -cp target/classes:target/test-classes:... org.walden.bench.WalCommitBench DIR
 * SECONDS THREADS...}
 */
public final class WalCommitBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/walbench");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Integer> threads = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      threads.add(Integer.parseInt(args[i]));
    }
    if (threads.isEmpty()) {
      threads = List.of(1, 8, 32);
    }
    for (int n : threads) {
      run(dir.resolve("t" + n), seconds, n);
    }
  }

  static void run(Path dir, int seconds, int nThreads) throws Exception {
    Files.createDirectories(dir);
    WalSegmentSize seg = WalSegmentSize.DEFAULT;
    WalSegmentFiles files = new WalSegmentFiles(dir, seg, new DurableFiles(FileIo.nio()));
    try (WalWriter w =
        WalWriter.open(
            new WalIdentity(1, seg),
            files,
            TimelineId.FIRST,
            seg.startOf(1),
            Lsn.INVALID,
            WalWriter.DEFAULT_RING_BYTES,
            Duration.ofMillis(200))) {
      w.start();
      LongAdder commits = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < nThreads; t++) {
        ts.add(
            Thread.ofPlatform()
                .start(() -> {
                  ByteBuffer row = ByteBuffer.allocate(150);
                  ByteBuffer commit = ByteBuffer.allocate(8);
                  while (!stop.get()) {
                    w.insert(RecordKind.UPDATE, Xid.of(1), row.clear());
                    WalInserter.InsertedRecord c =
                        w.insert(RecordKind.COMMIT, Xid.of(1), commit.clear());
                    try {
                      w.waitForFlush(c.end());
                    } catch (InterruptedException e) {
                      return;
                    }
                    commits.increment();
                  }
                }));
      }
      long f0 = w.flushCount();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      stop.set(true);
      for (Thread t : ts) {
        t.join();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "threads=%d commits/s=%.0f flushes/s=%.0f commits/flush=%.1f%n",
          nThreads,
          commits.sum() / secs,
          (w.flushCount() - f0) / secs,
          commits.sum() / (double) Math.max(1, w.flushCount() - f0));
    }
  }
}
