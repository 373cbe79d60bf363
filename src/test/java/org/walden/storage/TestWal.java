package org.walden.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.WalFailedException;
import org.walden.wal.WalInserter;
import org.walden.wal.Xid;

/**
 * An in-memory {@link WalInserter} for storage tests: assigns increasing LSNs (24-byte header +
 * body, 8-byte aligned), keeps every record, and flushes either at once (auto mode) or only when
 * the test calls {@link #flushAll()} (manual mode), so tests can hold commits at the flush wait.
 * {@link #fail()} makes it fail as a broken disk would.
 */
public final class TestWal implements WalInserter {

  /** One recorded record. */
  public record Rec(RecordKind kind, Xid xid, Lsn start, Lsn end, byte[] body) {
    public ByteBuffer bodyBuffer() {
      return ByteBuffer.wrap(body);
    }
  }

  private final List<Rec> records = new ArrayList<>(); // guarded by this
  private final List<FlushListener> listeners = new CopyOnWriteArrayList<>();
  private long insertPos;
  private long flushed;
  private volatile boolean autoFlush;
  private boolean failed;
  private boolean keepBodies = true;

  public TestWal(long start, boolean autoFlush) {
    this.insertPos = start;
    this.flushed = start;
    this.autoFlush = autoFlush;
  }

  public TestWal() {
    this(0x1000, true);
  }

  public void setAutoFlush(boolean auto) {
    this.autoFlush = auto;
    if (auto) {
      flushAll();
    }
  }

  /** For benchmarks: do not keep bodies. */
  public synchronized void setKeepBodies(boolean keep) {
    this.keepBodies = keep;
  }

  @Override
  public synchronized InsertedRecord insert(RecordKind kind, Xid xid, ByteBuffer body) {
    if (failed) {
      throw new WalFailedException("test WAL failed", null);
    }
    byte[] copy = new byte[body.remaining()];
    body.duplicate().get(copy);
    long start = insertPos;
    long end = start + 24 + copy.length;
    insertPos = (end + 7) & ~7L;
    if (keepBodies) {
      records.add(new Rec(kind, xid, Lsn.of(start), Lsn.of(end), copy));
    }
    return new InsertedRecord(Lsn.of(start), Lsn.of(end));
  }

  @Override
  public void waitForFlush(Lsn upTo) throws InterruptedException {
    if (autoFlush) {
      flushTo(upTo.value());
    }
    synchronized (this) {
      while (!failed && flushed < upTo.value()) {
        wait();
      }
      if (flushed < upTo.value()) {
        throw new WalFailedException("test WAL failed", null);
      }
    }
  }

  @Override
  public void requestFlush(Lsn upTo) {
    if (autoFlush) {
      flushTo(upTo.value());
    }
  }

  public void flushAll() {
    long to;
    synchronized (this) {
      to = insertPos;
    }
    flushTo(to);
  }

  private void flushTo(long to) {
    long now;
    synchronized (this) {
      if (failed || to <= flushed) {
        return;
      }
      flushed = Math.min(to, insertPos);
      now = flushed;
      notifyAll();
    }
    for (FlushListener l : listeners) {
      l.flushed(Lsn.of(now));
    }
  }

  public synchronized void fail() {
    failed = true;
    notifyAll();
  }

  @Override
  public synchronized Lsn insertPosition() {
    return Lsn.of(insertPos);
  }

  @Override
  public synchronized Lsn flushedUpto() {
    return Lsn.of(flushed);
  }

  @Override
  public void addFlushListener(FlushListener listener) {
    listeners.add(listener);
  }

  public synchronized List<Rec> records() {
    return new ArrayList<>(records);
  }

  public synchronized long count(RecordKind kind) {
    return records.stream().filter(r -> r.kind() == kind).count();
  }
}
