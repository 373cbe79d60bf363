package org.walden.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.fs.DurableFiles;

/**
 * The WAL's write side: sessions insert records into an in-memory ring of pages; one flusher thread
 * writes the ring to the segment files and forces them (PostgreSQL's WAL insertion plus walwriter,
 * with group commit).
 *
 * <h2>Threads</h2>
 *
 * Any session thread calls {@link #insert} and {@link #waitForFlush}. The flusher thread
 * ("walden-walwriter") is started by {@link #start} and stopped by {@link #close}. Segment files
 * are written only under {@code writeLock}: by the flusher, or by a committer that found no flush
 * running and flushes for itself (PostgreSQL's backends do their own XLogFlush the same way). The
 * preallocator thread ("walden-walprealloc") makes the next segment exist before the flusher needs
 * it, so appending never pays for file creation on the commit path.
 *
 * <h2>Data flow and shared state</h2>
 *
 * <ul>
 *   <li>{@code insertLock} guards the insert state ({@code endOfLast}, {@code lastRecordStart},
 *       {@code lastHeaderPage}) and the ring bytes at or after {@code insertedUpto}. An insert
 *       copies its record into the ring under the lock, writing page headers as it crosses pages,
 *       then publishes {@code insertedUpto} (volatile): every byte before it is a complete record.
 *   <li>The flusher (or a committer holding {@code writeLock}) reads {@code insertedUpto}, writes
 *       the ring's whole pages up to it (the last page partially filled, zero beyond the insert
 *       point, and rewritten by the next flush), forces, then publishes {@code writtenUpto} and
 *       {@code flushedUpto} and wakes waiters. Bytes an inserter is copying past {@code
 *       insertedUpto} may be written too; they lie past the flush point and are rewritten whole by
 *       a later flush.
 *   <li>{@code flushLock} guards the two conditions: {@code workAvailable} (the flusher waits for a
 *       request) and {@code flushDone} (committers and inserters waiting for ring space wait).
 * </ul>
 *
 * <h2>Invariants</h2>
 *
 * {@code flushedUpto <= writtenUpto <= insertedUpto}, each only moves forward; a byte of the ring
 * is never overwritten before the flusher has written it (an insert waits for ring space); the
 * flush point only ever lands on a record boundary; a commit is acknowledged only after the flush
 * point passes its record's end.
 *
 * <h2>Failure</h2>
 *
 * A failed write or force is never retried: the writer enters a permanent failed state, every
 * waiter and every later insert gets the {@link WalFailedException}, and the failure listener (the
 * node) stops the server. Retrying an fsync could report success for pages the kernel already
 * dropped.
 *
 * <p>This file is past 800 lines because insertion, the flush protocol (flusher thread and
 * committer flushes), segment switching/preallocation and failure handling share one lock and one
 * set of positions whose invariants are easiest to audit in one place.
 */
public final class WalWriter implements WalInserter, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WalWriter.class);

  /** Ring size; also bounds a record's size (half of it). */
  public static final int DEFAULT_RING_BYTES = 32 << 20;

  private final WalIdentity identity;
  private final WalSegmentSize segSize;
  private final WalSegmentFiles files;
  private final TimelineId timeline;
  private final ByteBuffer ring;
  private final int ringBytes;
  private final long writerDelayNanos;
  private final List<FlushListener> listeners = new CopyOnWriteArrayList<>();
  private final List<SegmentListener> segmentListeners = new CopyOnWriteArrayList<>();
  private volatile Runnable failureListener = () -> {};

  private final ReentrantLock insertLock = new ReentrantLock();
  // guarded by insertLock
  private long endOfLast;
  private long lastRecordStart;
  private long lastHeaderPage;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer headerScratch =
      ByteBuffer.allocate(WalFormat.RECORD_HEADER).order(WalFormat.ORDER);

  private volatile long insertedUpto;
  private volatile long writtenUpto;
  private volatile long flushedUpto;
  private volatile long requestedUpto;
  private volatile WalFailedException failure;
  private volatile boolean stopping;

  /** Set by an insert of a SWITCH record: after writing up to skipAfter, continue at skipTo. */
  private volatile long skipAfter = -1;

  private volatile long skipTo = -1;

  private final ReentrantLock flushLock = new ReentrantLock();
  private final Condition workAvailable = flushLock.newCondition();
  private final Condition flushDone = flushLock.newCondition();
  private final Condition preallocNeeded = flushLock.newCondition();
  private long preallocTarget = -1; // guarded by flushLock

  /**
   * Held while writing and forcing: by the flusher thread, or by a committer flushing for itself.
   * Guards {@code current}, {@code currentSegNo} and the publication of writtenUpto/flushedUpto.
   */
  private final ReentrantLock writeLock = new ReentrantLock();

  // guarded by writeLock
  private FileChannel current;
  private long currentSegNo = -1;

  /**
   * Segments below this number are complete and forced, and their listeners have been told (those
   * before the end of WAL at open were complete before this writer existed: nobody is told about
   * them; the archiver finds them by listing pg_wal). Guarded by writeLock.
   */
  private long completedBelow;

  private Thread flusher;
  private Thread preallocator;
  private long flushCount; // guarded by writeLock; published through `flushes`
  private volatile long flushes;

  private WalWriter(
      WalIdentity identity,
      WalSegmentFiles files,
      TimelineId timeline,
      long endOfWal,
      long lastRecordStart,
      int ringBytes,
      Duration writerDelay) {
    if (ringBytes % WalFormat.PAGE_SIZE != 0 || ringBytes < 16 * WalFormat.PAGE_SIZE) {
      throw new IllegalArgumentException("ring size must be a multiple of the page size");
    }
    this.identity = identity;
    this.segSize = identity.segmentSize();
    this.files = files;
    this.timeline = timeline;
    this.ringBytes = ringBytes;
    this.ring = ByteBuffer.allocateDirect(ringBytes).order(WalFormat.ORDER);
    this.writerDelayNanos = Math.max(1, writerDelay.toNanos());
    this.endOfLast = endOfWal;
    this.lastRecordStart = lastRecordStart;
    this.insertedUpto = endOfWal;
    this.writtenUpto = endOfWal;
    this.flushedUpto = endOfWal;
    this.requestedUpto = endOfWal;
    this.lastHeaderPage = -1;
    this.completedBelow = segSize.segmentOf(Lsn.of(endOfWal));
  }

  /**
   * Opens the WAL for appending at {@code endOfWal}, the end of the last valid record found by
   * recovery ({@code lastRecord} is that record's start, the next record's back-link). The page
   * holding {@code endOfWal} is read back so its records survive the flusher's whole-page writes;
   * everything from {@code endOfWal} on is overwritten. The segments from the last one are forced
   * first: recovery may have read WAL that was written but not yet on disk when the previous server
   * died, and it must be durable before anything new depends on it.
   */
  public static WalWriter open(
      WalIdentity identity,
      WalSegmentFiles files,
      TimelineId timeline,
      Lsn endOfWal,
      Lsn lastRecord,
      int ringBytes,
      Duration writerDelay)
      throws IOException {
    WalWriter w =
        new WalWriter(
            identity,
            files,
            timeline,
            endOfWal.value(),
            lastRecord.value(),
            ringBytes,
            writerDelay);
    w.loadTailPage();
    w.scrubPastEnd();
    return w;
  }

  /**
   * Zeroes pages past the end of WAL in its segment that still look valid. After an operating
   * system crash, pages written after the last flush may have reached the disk while earlier ones
   * did not; recovery ended before them, and new WAL will not overwrite them at once. Left alone, a
   * later recovery that ends before them would find "valid WAL after the end" and report
   * corruption. A killed process never leaves such pages, so normally this only reads.
   */
  private void scrubPastEnd() throws IOException {
    long end = endOfLast;
    long from =
        end == WalFormat.pageStart(end) ? end : WalFormat.pageStart(end) + WalFormat.PAGE_SIZE;
    long segNo = segSize.segmentOf(Lsn.of(end));
    if (segSize.segmentOf(Lsn.of(from)) != segNo || !files.exists(timeline, segNo)) {
      return;
    }
    long segEnd = segSize.startOf(segNo + 1).value();
    boolean changed = false;
    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(WalFormat.ORDER);
    try (FileChannel ch = files.openForWrite(timeline, segNo)) {
      for (long p = from; p < segEnd; p += chunk.capacity()) {
        chunk.clear().limit((int) Math.min(chunk.capacity(), segEnd - p));
        int n = DurableFiles.readFully(ch, chunk, segSize.offsetInSegment(Lsn.of(p)));
        for (int off = 0; off + WalFormat.PAGE_SIZE <= n; off += WalFormat.PAGE_SIZE) {
          if (chunk.getShort(off + WalFormat.OFF_MAGIC) == WalFormat.PAGE_MAGIC
              && chunk.getLong(off + WalFormat.OFF_PAGEADDR) == p + off) {
            DurableFiles.writeFully(
                ch, ByteBuffer.wrap(ZERO_PAGE), segSize.offsetInSegment(Lsn.of(p + off)));
            changed = true;
          }
        }
      }
      if (changed) {
        log.warn(
            "zeroed stale write-ahead log pages after the end of WAL at {} in segment {}",
            Lsn.of(end),
            files.pathOf(timeline, segNo).getFileName());
        ch.force(false);
      }
    }
  }

  private void loadTailPage() throws IOException {
    long end = endOfLast;
    long page = WalFormat.pageStart(end);
    if (end == page) {
      return; // the next insert starts a fresh page
    }
    long segNo = segSize.segmentOf(Lsn.of(page));
    try (FileChannel ch = files.openForWrite(timeline, segNo)) {
      ch.force(false);
      ByteBuffer buf = ByteBuffer.allocate(WalFormat.PAGE_SIZE);
      int n = DurableFiles.readFully(ch, buf, segSize.offsetInSegment(Lsn.of(page)));
      if (n != WalFormat.PAGE_SIZE) {
        throw new IOException(
            "write-ahead log file \"" + files.pathOf(timeline, segNo) + "\" is too short");
      }
      buf.flip();
      int ringOff = ringOffset(page);
      ring.put(ringOff, buf, 0, WalFormat.PAGE_SIZE);
      // Whatever lies past the end of WAL on this page is not ours: a torn record or zeros.
      for (int i = (int) (end - page); i < WalFormat.PAGE_SIZE; i++) {
        ring.put(ringOff + i, (byte) 0);
      }
      if (ring.getLong(ringOff + WalFormat.OFF_PAGEADDR) != page
          || ring.getShort(ringOff + WalFormat.OFF_MAGIC) != WalFormat.PAGE_MAGIC) {
        throw new IOException(
            "page at " + Lsn.of(page) + " holding the end of WAL has a bad header");
      }
      // The page was written under its own timeline; a promotion would start a fresh page.
      ring.putInt(ringOff + WalFormat.OFF_TLI, timeline.value());
    }
    lastHeaderPage = page;
  }

  /** Starts the flusher and preallocator threads. */
  public void start() {
    startDeferringPreallocation();
    requestPreallocation();
  }

  /**
   * Starts the threads but creates no segment ahead yet: a promotion's first fsyncs (its
   * end-of-recovery record, the first commits) must not queue behind a 16 MiB zero-fill. The caller
   * asks with {@link #requestPreallocation} once they are done; a write reaching the next segment
   * before then creates it itself (the slow path).
   */
  public void startDeferringPreallocation() {
    flusher = Thread.ofPlatform().name("walden-walwriter").daemon().start(this::flushLoop);
    preallocator =
        Thread.ofPlatform().name("walden-walprealloc").daemon().start(this::preallocLoop);
  }

  /** Asks the preallocator for the segment after the one holding the insert position. */
  public void requestPreallocation() {
    requestPrealloc(segSize.segmentOf(insertPosition()) + 1);
  }

  /** Called once if the WAL fails; the node uses it to stop the server. */
  public void onFailure(Runnable r) {
    this.failureListener = r;
  }

  public WalIdentity identity() {
    return identity;
  }

  public TimelineId timeline() {
    return timeline;
  }

  @Override
  public InsertedRecord insert(RecordKind kind, Xid xid, ByteBuffer body) {
    int bodyLen = body.remaining();
    int total = WalFormat.RECORD_HEADER + bodyLen;
    if (total > Math.min(WalFormat.MAX_RECORD, ringBytes / 2)) {
      throw new IllegalArgumentException(
          "WAL record of " + total + " bytes exceeds the maximum of " + ringBytes / 2);
    }
    insertLock.lock();
    try {
      checkNotFailed();
      long start = WalFormat.nextRecordStart(endOfLast, segSize);
      long end = WalFormat.recordEnd(start, total, segSize);
      awaitRingSpace(end);
      headerScratch.clear();
      headerScratch.putInt(WalFormat.REC_TOTLEN, total);
      headerScratch.putInt(WalFormat.REC_CRC, 0);
      headerScratch.putLong(WalFormat.REC_XID, xid.value());
      headerScratch.putLong(WalFormat.REC_PREV, lastRecordStart);
      headerScratch.put(WalFormat.REC_KIND, kind.code());
      headerScratch.put(WalFormat.REC_INFO, (byte) 0);
      headerScratch.putShort(26, (short) 0);
      crc.reset();
      headerScratch.limit(WalFormat.RECORD_HEADER).position(WalFormat.REC_XID);
      crc.update(headerScratch);
      int bodyPos = body.position();
      crc.update(body);
      body.position(bodyPos);
      headerScratch.limit(4).position(0);
      crc.update(headerScratch);
      headerScratch.clear();
      headerScratch.putInt(WalFormat.REC_CRC, (int) crc.getValue());

      long pos = start;
      if (WalFormat.pageStart(pos) != lastHeaderPage) {
        startPage(WalFormat.pageStart(pos), 0);
      }
      int remaining = total;
      int hdrDone = 0;
      while (remaining > 0) {
        long pageEnd = WalFormat.pageStart(pos) + WalFormat.PAGE_SIZE;
        int n = (int) Math.min(remaining, pageEnd - pos);
        int ringOff = ringOffset(pos);
        int k = 0;
        if (hdrDone < WalFormat.RECORD_HEADER) {
          k = Math.min(n, WalFormat.RECORD_HEADER - hdrDone);
          ring.put(ringOff, headerScratch, hdrDone, k);
          hdrDone += k;
        }
        if (n > k) {
          int from = bodyPos + (total - remaining + k - WalFormat.RECORD_HEADER);
          ring.put(ringOff + k, body, from, n - k);
        }
        pos += n;
        remaining -= n;
        if (remaining > 0) {
          startPage(pos, remaining);
          pos += WalFormat.pageHeaderSize(pos, segSize);
        }
      }
      body.position(bodyPos + bodyLen);
      lastRecordStart = start;
      endOfLast = pos;
      insertedUpto = pos;
      if (kind == RecordKind.SWITCH) {
        finishSwitch(pos);
      }
      return new InsertedRecord(Lsn.of(start), Lsn.of(pos));
    } finally {
      insertLock.unlock();
    }
  }

  /**
   * After a SWITCH record the rest of its segment stays unused: flush the switch record, then have
   * the flusher continue at the next segment. Runs under insertLock, so no insert slips in between.
   */
  private void finishSwitch(long switchEnd) {
    long nextSeg = segSize.segmentOf(Lsn.of(switchEnd - 1)) + 1;
    long next = segSize.startOf(nextSeg).value();
    if (switchEnd == next) {
      return; // the record ended exactly at the segment's end
    }
    skipTo = next;
    skipAfter = switchEnd;
    try {
      waitForFlush(Lsn.of(switchEnd));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WalFailedException("interrupted while switching WAL segment", e);
    }
    endOfLast = next;
    lastHeaderPage = -1;
  }

  /** Zeroes the page in the ring and writes its header. insertLock held. */
  private void startPage(long pageStart, int remaining) {
    int off = ringOffset(pageStart);
    ByteBuffer slice = ring.slice(off, WalFormat.PAGE_SIZE);
    slice.put(0, ZERO_PAGE);
    WalFormat.writePageHeader(ring, off, pageStart, timeline, remaining, identity);
    lastHeaderPage = pageStart;
  }

  private static final byte[] ZERO_PAGE = new byte[WalFormat.PAGE_SIZE];

  private int ringOffset(long pos) {
    return (int) Long.remainderUnsigned(pos, ringBytes);
  }

  /** Waits until the ring has room for bytes up to {@code end}. insertLock held. */
  private void awaitRingSpace(long end) {
    while (true) {
      long written = writtenUpto;
      long floor = WalFormat.pageStart(written);
      if (skipTo >= 0) {
        floor = Math.min(floor, WalFormat.pageStart(skipAfter));
      }
      if (end - floor <= ringBytes - WalFormat.PAGE_SIZE) {
        return;
      }
      requestFlush(Lsn.of(insertedUpto));
      flushLock.lock();
      try {
        if (writtenUpto == written && failure == null) {
          flushDone.await(100, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WalFailedException("interrupted while waiting for WAL buffer space", e);
      } finally {
        flushLock.unlock();
      }
      checkNotFailed();
    }
  }

  @Override
  public void waitForFlush(Lsn upTo) throws InterruptedException {
    long target = upTo.value();
    if (Long.compareUnsigned(flushedUpto, target) >= 0) {
      return;
    }
    // Fast path, as a PostgreSQL backend's own XLogFlush: if no flush is running, the committer
    // writes and forces itself, sparing two thread hand-offs (to the flusher and back) that cost
    // more than the fsync on a busy machine. If one is running, it queues below and the next flush
    // (by the flusher or another committer) covers it: group commit either way.
    if (failure == null && writeLock.tryLock()) {
      try {
        if (Long.compareUnsigned(flushedUpto, target) < 0 && failure == null) {
          writeAndForce(insertedUpto);
        }
      } catch (IOException | RuntimeException e) {
        fail(e);
      } finally {
        writeLock.unlock();
      }
      checkNotFailed();
      if (Long.compareUnsigned(flushedUpto, target) >= 0) {
        return;
      }
    }
    // Each waiter is woken alone, and only once the flush covers it: with a shared condition every
    // flush would wake every committer, most of them only to sleep again.
    FlushWaiter me = new FlushWaiter(Thread.currentThread(), target);
    flushLock.lock();
    try {
      if (Long.compareUnsigned(flushedUpto, target) >= 0) {
        return;
      }
      checkNotFailed();
      waiters.add(me);
      if (Long.compareUnsigned(requestedUpto, target) < 0) {
        requestedUpto = target;
        workAvailable.signal();
      }
    } finally {
      flushLock.unlock();
    }
    while (Long.compareUnsigned(flushedUpto, target) < 0 && failure == null) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        flushLock.lock();
        try {
          waiters.remove(me);
        } finally {
          flushLock.unlock();
        }
        throw new InterruptedException();
      }
    }
    checkNotFailed();
  }

  private record FlushWaiter(Thread thread, long lsn) {}

  /** Committers waiting for a flush; guarded by flushLock. */
  private final java.util.ArrayList<FlushWaiter> waiters = new java.util.ArrayList<>();

  /** Wakes the waiters the flush point now covers (all of them if the WAL failed). */
  private void wakeWaiters() {
    flushLock.lock();
    try {
      long flushed = flushedUpto;
      boolean all = failure != null;
      int keep = 0;
      for (int i = 0; i < waiters.size(); i++) {
        FlushWaiter w = waiters.get(i);
        if (all || Long.compareUnsigned(w.lsn(), flushed) <= 0) {
          LockSupport.unpark(w.thread());
        } else {
          waiters.set(keep++, w);
        }
      }
      waiters.subList(keep, waiters.size()).clear();
      flushDone.signalAll();
    } finally {
      flushLock.unlock();
    }
  }

  @Override
  public void requestFlush(Lsn upTo) {
    long target = upTo.value();
    if (Long.compareUnsigned(requestedUpto, target) >= 0) {
      return;
    }
    flushLock.lock();
    try {
      if (Long.compareUnsigned(requestedUpto, target) < 0) {
        requestedUpto = target;
        workAvailable.signal();
      }
    } finally {
      flushLock.unlock();
    }
  }

  @Override
  public Lsn insertPosition() {
    return Lsn.of(insertedUpto);
  }

  /**
   * WAL handed to the OS up to here (PostgreSQL's {@code LogwrtResult.Write}, what {@code
   * pg_current_wal_lsn()} shows); after a segment switch, the next segment's start.
   */
  public Lsn writtenUpto() {
    return Lsn.of(writtenUpto);
  }

  @Override
  public Lsn flushedUpto() {
    return Lsn.of(flushedUpto);
  }

  /** Number of completed flushes (fsyncs of WAL) since start. */
  public long flushCount() {
    return flushes;
  }

  @Override
  public void addFlushListener(FlushListener listener) {
    listeners.add(listener);
  }

  /**
   * Called once for each segment this writer completes: every byte of it is written and forced, by
   * being filled up or because a SWITCH record ended its use. Segments complete in order. The call
   * is made by whichever thread flushed (the flusher, or a committer flushing for itself) while it
   * holds the write lock, so it must be quick and must not touch the WAL: note the name and wake a
   * thread (the archiver does exactly that; PostgreSQL's XLogWrite calls XLogArchiveNotify at the
   * same point).
   */
  @FunctionalInterface
  public interface SegmentListener {
    void segmentCompleted(WalSegmentName segment);
  }

  /** Registers a {@link SegmentListener}; segments completed before the call are not reported. */
  public void addSegmentListener(SegmentListener listener) {
    segmentListeners.add(listener);
  }

  private void checkNotFailed() {
    WalFailedException f = failure;
    if (f != null) {
      throw new WalFailedException(f.getMessage(), f);
    }
  }

  // ---------------------------------------------------------------- flusher

  private void flushLoop() {
    try {
      while (true) {
        long target;
        flushLock.lock();
        try {
          long deadline = System.nanoTime() + writerDelayNanos;
          while (!stopping && insertedUpto == flushedUpto
              || !stopping
                  && Long.compareUnsigned(requestedUpto, flushedUpto) <= 0
                  && System.nanoTime() - deadline < 0) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
              deadline = System.nanoTime() + writerDelayNanos;
              wait = writerDelayNanos;
            }
            workAvailable.awaitNanos(wait);
          }
          target = insertedUpto;
          if (stopping && target == flushedUpto) {
            return;
          }
        } finally {
          flushLock.unlock();
        }
        if (target != flushedUpto) {
          writeLock.lock();
          try {
            long now = insertedUpto; // a committer may have flushed meanwhile, or more arrived
            if (now != flushedUpto) {
              writeAndForce(now);
            }
          } catch (IOException | RuntimeException e) {
            // Fail while still holding the lock: a committer must never find the lock free and
            // the failure not yet recorded, or it would retry the fsync that just failed.
            fail(e);
            return;
          } finally {
            writeLock.unlock();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void writeAndForce(long target) throws IOException {
    checkNotFailed(); // nothing is written, let alone fsynced, after a failure
    long from = WalFormat.pageStart(writtenUpto);
    long sa = skipAfter;
    long st = skipTo;
    long stopAt = target;
    boolean skipping = sa >= 0 && Long.compareUnsigned(target, sa) >= 0;
    if (skipping) {
      stopAt = sa;
    }
    writeRange(from, stopAt);
    if (skipping && target != sa) {
      // Cannot happen: inserts wait under insertLock until the switch is flushed.
      throw new IllegalStateException("WAL inserted past a segment switch before it was flushed");
    }
    current.force(false);
    if (skipping) {
      skipTo = -1;
      skipAfter = -1;
      writtenUpto = st;
      flushedUpto = sa;
    } else {
      writtenUpto = target;
      flushedUpto = target;
    }
    flushes = ++flushCount;
    // before waking: a committer whose flush completed a segment finds it reported on return
    reportCompletedSegments();
    wakeWaiters();
    Lsn flushed = Lsn.of(flushedUpto);
    for (FlushListener l : listeners) {
      l.flushed(flushed);
    }
  }

  /**
   * Tells the segment listeners about every segment wholly before {@code writtenUpto}: writeRange
   * forced each segment it left, and the flush just forced the last one. After a SWITCH record
   * {@code writtenUpto} is the next segment's start, so the switched segment counts as complete
   * although its tail was never written. writeLock held.
   */
  private void reportCompletedSegments() {
    long below = segSize.segmentOf(Lsn.of(writtenUpto));
    while (completedBelow < below) {
      WalSegmentName name = segSize.name(timeline, completedBelow);
      completedBelow++;
      for (SegmentListener l : segmentListeners) {
        try {
          l.segmentCompleted(name);
        } catch (RuntimeException e) {
          log.warn("segment listener failed for {}: {}", name, e.toString());
        }
      }
    }
  }

  /** Writes the ring's pages covering [from, to) to their segments. Flusher thread. */
  private void writeRange(long from, long to) throws IOException {
    long pos = from;
    // Whole pages: the end is rounded up so the last page goes out with its zero padding.
    long end = to == WalFormat.pageStart(to) ? to : WalFormat.pageStart(to) + WalFormat.PAGE_SIZE;
    while (pos < end) {
      long segNo = segSize.segmentOf(Lsn.of(pos));
      long segEnd = segSize.startOf(segNo + 1).value();
      long chunkEnd = Math.min(end, segEnd);
      switchSegment(segNo);
      while (pos < chunkEnd) {
        int off = ringOffset(pos);
        int n = (int) Math.min(chunkEnd - pos, ringBytes - off);
        ByteBuffer src = ring.slice(off, n);
        DurableFiles.writeFully(current, src, segSize.offsetInSegment(Lsn.of(pos)));
        pos += n;
      }
    }
  }

  private void switchSegment(long segNo) throws IOException {
    if (segNo == currentSegNo) {
      return;
    }
    if (current != null) {
      // The old segment is complete: make it durable before moving on, since the flush at the
      // end of this batch only forces the new one.
      current.force(false);
      current.close();
    }
    if (!files.exists(timeline, segNo)) {
      log.debug("preallocator fell behind; creating WAL segment {} on the write path", segNo);
    }
    current = files.openForWrite(timeline, segNo);
    currentSegNo = segNo;
    requestPrealloc(segNo + 1);
  }

  private void requestPrealloc(long segNo) {
    flushLock.lock();
    try {
      if (segNo > preallocTarget) {
        preallocTarget = segNo;
        preallocNeeded.signal();
      }
    } finally {
      flushLock.unlock();
    }
  }

  private void preallocLoop() {
    long done = -1;
    while (true) {
      long want;
      flushLock.lock();
      try {
        while (!stopping && preallocTarget <= done) {
          preallocNeeded.await();
        }
        if (stopping) {
          return;
        }
        want = preallocTarget;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        flushLock.unlock();
      }
      try {
        files.ensureExists(timeline, want);
      } catch (IOException | RuntimeException e) {
        // Not fatal by itself: the flusher creates the segment on the write path if it must, and
        // fails the WAL there if the disk really is full. Keep serving later requests.
        log.warn("could not preallocate write-ahead log segment {}: {}", want, e.toString());
      }
      done = want;
    }
  }

  private synchronized void fail(Exception e) {
    if (failure != null) {
      return; // the first failure is the one reported; the writer is already stopping
    }
    WalFailedException f =
        new WalFailedException(
            "could not write or fsync write-ahead log; the server must stop: " + e.getMessage(), e);
    failure = f;
    log.error("PANIC: {}", f.getMessage(), e);
    wakeWaiters();
    failureListener.run();
  }

  public boolean failed() {
    return failure != null;
  }

  /** Flushes everything inserted and stops the threads. Inserts after close fail. Idempotent. */
  @Override
  public void close() throws IOException {
    if (flusher != null && failure == null) {
      try {
        waitForFlush(Lsn.of(insertedUpto));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (WalFailedException e) {
        // already logged; fall through to stop the threads
      }
    }
    flushLock.lock();
    try {
      stopping = true;
      workAvailable.signalAll();
      preallocNeeded.signalAll();
    } finally {
      flushLock.unlock();
    }
    joinQuietly(flusher);
    joinQuietly(preallocator);
    writeLock.lock();
    try {
      if (current != null) {
        current.close();
        current = null;
      }
    } finally {
      writeLock.unlock();
    }
    if (failure == null) {
      failure = new WalFailedException("write-ahead log is closed", null);
    }
  }

  private static void joinQuietly(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
