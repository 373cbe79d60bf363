package org.walden.storage.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.wal.CheckpointRecord;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.WalInserter;
import org.walden.wal.WalRetention;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalWriter;
import org.walden.wal.Xid;

/**
 * The checkpointer (PostgreSQL's checkpointer process): writes a consistent snapshot of every table
 * while writes go on, logs a checkpoint record, has the control file pointed at it, and then
 * removes what is no longer needed — older snapshots, and WAL before the one retention rule's
 * limit.
 *
 * <h2>When</h2>
 *
 * Every {@code checkpoint_timeout}; when the WAL written since the last redo point passes {@link
 * CheckpointSettings#walTrigger()} (the WAL writer's flush listener wakes it); on request ({@code
 * CHECKPOINT}, base backups); and once more at shutdown (a shutdown checkpoint, after the sessions
 * are gone, so its redo point is the checkpoint itself and restart needs no replay).
 *
 * <h2>Order of a checkpoint, and why</h2>
 *
 * <ol>
 *   <li>Take C and R from the store (C = the commit position the snapshot will show; R = where
 *       replay must start: before C if a transaction was open at C).
 *   <li>Write the snapshot as of C to {@code base/snapshot.<C>} durably.
 *   <li>Insert the checkpoint record (R, C, file name) and flush it.
 *   <li>The listener replaces the control file durably to point at that record.
 *   <li>Only now delete older snapshots and WAL before the retention limit: until the control file
 *       points at the new checkpoint, recovery still needs the old one. While a base backup holds
 *       snapshots ({@link #holdSnapshots}) no snapshot is deleted: the backup copies one.
 * </ol>
 *
 * A crash at any step leaves the previous checkpoint in force, with its snapshot and the WAL from
 * its redo point intact.
 *
 * <h2>Threads</h2>
 *
 * One thread, "walden-checkpointer", started by {@link #start} and ended by {@link
 * #shutdownCheckpoint} or {@link #close}. Requests from other threads queue on {@code lock}.
 * Checkpoints never run concurrently.
 */
public final class Checkpointer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  public static final String SNAPSHOT_PREFIX = "snapshot.";

  private final SnapshotStore store;
  private final WalWriter wal;
  private final WalSegmentFiles segments;
  private final WalRetention retention;
  private final Path baseDir;
  private final Supplier<CheckpointSettings> settings;
  private final CheckpointListener listener;
  private final Clock clock;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  // guarded by lock
  private CompletableFuture<Completed> pending;
  private boolean stopping;
  private boolean walTriggered;

  /**
   * Running base backups that are copying a snapshot file: while positive, no snapshot is removed
   * (a backup's snapshot must survive later checkpoints until it has been sent). Guarded by lock.
   */
  private int snapshotHolds;

  private volatile Lsn lastRedo;
  private volatile String lastSnapshotFile;
  private Thread thread;

  public Checkpointer(
      SnapshotStore store,
      WalWriter wal,
      WalSegmentFiles segments,
      WalRetention retention,
      Path baseDir,
      Supplier<CheckpointSettings> settings,
      CheckpointListener listener,
      Clock clock,
      Lsn lastRedo,
      String lastSnapshotFile) {
    this.store = store;
    this.wal = wal;
    this.segments = segments;
    this.retention = retention;
    this.baseDir = baseDir;
    this.settings = settings;
    this.listener = listener;
    this.clock = clock;
    this.lastRedo = lastRedo;
    this.lastSnapshotFile = lastSnapshotFile;
  }

  public void start() {
    wal.addFlushListener(this::onFlush);
    thread = Thread.ofPlatform().name("walden-checkpointer").daemon().start(this::loop);
  }

  private void onFlush(Lsn flushed) {
    if (flushed.minus(lastRedo) > settings.get().walTrigger()) {
      lock.lock();
      try {
        if (!walTriggered) {
          walTriggered = true;
          wake.signal();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** A finished checkpoint: its record's position and content (redo point, snapshot file). */
  public record Completed(Lsn at, CheckpointRecord record) {}

  /** Asks for a checkpoint as soon as possible; the future completes with its record's LSN. */
  public CompletableFuture<Lsn> requestCheckpoint() {
    return requestCheckpointRecord().thenApply(Completed::at);
  }

  /**
   * Keeps every snapshot file on disk until the returned handle is closed (base backups, which take
   * this before requesting their checkpoint, so no later checkpoint can remove the snapshot they
   * copy). Snapshots left over are removed by the next checkpoint after the last release.
   */
  public AutoCloseable holdSnapshots() {
    lock.lock();
    try {
      snapshotHolds++;
    } finally {
      lock.unlock();
    }
    java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        lock.lock();
        try {
          snapshotHolds--;
        } finally {
          lock.unlock();
        }
      }
    };
  }

  /** As {@link #requestCheckpoint}, completing with the whole record (base backups need it). */
  public CompletableFuture<Completed> requestCheckpointRecord() {
    lock.lock();
    try {
      if (stopping) {
        return CompletableFuture.failedFuture(new IllegalStateException("server is shutting down"));
      }
      if (pending == null) {
        pending = new CompletableFuture<>();
      }
      wake.signal();
      return pending;
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    long lastStart = System.nanoTime();
    while (true) {
      CompletableFuture<Completed> request;
      String reason;
      lock.lock();
      try {
        while (true) {
          if (stopping) {
            return;
          }
          long timeout = settings.get().timeout().toNanos();
          long waited = System.nanoTime() - lastStart;
          if (pending != null) {
            reason = "requested";
            break;
          }
          if (walTriggered) {
            reason = "wal";
            break;
          }
          if (waited >= timeout) {
            reason = "time";
            break;
          }
          wake.awaitNanos(timeout - waited);
        }
        request = pending;
        pending = null;
        walTriggered = false;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      lastStart = System.nanoTime();
      try {
        Completed at = checkpoint(false, reason);
        if (request != null) {
          request.complete(at);
        }
      } catch (Exception e) {
        log.error("checkpoint failed: {}", e.toString(), e);
        if (request != null) {
          request.completeExceptionally(e);
        }
      }
    }
  }

  /**
   * Stops the thread (waiting for a running checkpoint) and writes the shutdown checkpoint. Call
   * only after every session has ended.
   */
  public Lsn shutdownCheckpoint() throws Exception {
    stopThread();
    return checkpoint(true, "shutdown").at();
  }

  private void stopThread() {
    lock.lock();
    try {
      stopping = true;
      if (pending != null) {
        pending.completeExceptionally(new IllegalStateException("server is shutting down"));
        pending = null;
      }
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(TimeUnit.MINUTES.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Completed checkpoint(boolean shutdown, String reason) throws Exception {
    long t0 = System.nanoTime();
    SnapshotStore.Point point = store.checkpointPoint();
    Lsn c = point.snapshotLsn();
    String file = String.format(Locale.ROOT, "%s%016X", SNAPSHOT_PREFIX, c.value());
    Path path = baseDir.resolve(file);
    try (point) {
      // Nothing committed since the last checkpoint: its snapshot is this one.
      if (!file.equals(lastSnapshotFile) || !Files.exists(path)) {
        store.writeSnapshot(point, path);
      }
    }
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    CheckpointRecord rec =
        new CheckpointRecord(point.redo(), c, wal.timeline(), store.nextXid(), micros, file);
    WalInserter.InsertedRecord ins =
        wal.insert(
            shutdown ? RecordKind.CHECKPOINT_SHUTDOWN : RecordKind.CHECKPOINT_ONLINE,
            Xid.INVALID,
            rec.encode());
    wal.waitForFlush(ins.end());
    listener.checkpointed(ins.start(), rec, shutdown);
    lastRedo = point.redo();
    lastSnapshotFile = file;
    removeOldSnapshots(file);
    int removed = removeOldWal();
    log.info(
        "checkpoint complete ({}): redo {}, snapshot at {}, wrote {}, {} WAL file(s) removed or"
            + " recycled; {} ms",
        reason,
        point.redo(),
        c,
        file,
        removed,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return new Completed(ins.start(), rec);
  }

  private void removeOldSnapshots(String keep) throws IOException {
    lock.lock();
    try {
      if (snapshotHolds > 0) {
        return;
      }
    } finally {
      lock.unlock();
    }
    List<Path> old;
    try (Stream<Path> s = Files.list(baseDir)) {
      old =
          s.filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(SNAPSHOT_PREFIX) && !n.equals(keep);
                  })
              .toList();
    }
    for (Path p : old) {
      segments.durable().durableDelete(p);
    }
  }

  private int removeOldWal() throws IOException {
    CheckpointSettings s = settings.get();
    long segBytes = segments.segmentSize().bytes();
    int maxFuture = (int) Math.max(2, s.minWalBytes() / segBytes);
    long insertSeg = segments.segmentSize().segmentOf(wal.insertPosition());
    return retention.remove(
        lastRedo,
        keepFrom -> segments.removeOldSegments(keepFrom, wal.timeline(), insertSeg, maxFuture));
  }

  public Lsn lastRedo() {
    return lastRedo;
  }

  @Override
  public void close() {
    stopThread();
  }
}
