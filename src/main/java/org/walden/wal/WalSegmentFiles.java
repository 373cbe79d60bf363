package org.walden.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;

/**
 * The {@code pg_wal} directory: where segment files live, how new ones come to exist, and how old
 * ones go away.
 *
 * <p>A segment only ever appears under its final name complete: it is zero-filled (or recycled)
 * under a temporary name, forced, and renamed durably, so appending to it never extends the file on
 * the commit path and a crash never leaves a short segment. Recycling renames a segment that
 * retention no longer needs to a future segment's name (PostgreSQL's {@code
 * InstallXLogFileSegment}); its stale pages carry old page addresses, which readers recognise as
 * "not yet written".
 *
 * <p>Thread-safe: the WAL flusher, the segment preallocator and the checkpointer call in
 * concurrently; creation of one segment name is idempotent (a racing second creator finds the file
 * and stops).
 */
public final class WalSegmentFiles {

  private static final Logger log = LoggerFactory.getLogger(WalSegmentFiles.class);

  /**
   * The archive status directory inside {@code pg_wal}, and the suffixes of its files: {@code
   * NAME.ready} (to be archived) and {@code NAME.done} (archived, or not to be). The archiver owns
   * these files; they are named here only so that segment removal can take a segment's status file
   * with it (PostgreSQL's XLogArchiveCleanup), since {@code wal} may not depend on the archiver.
   */
  public static final String ARCHIVE_STATUS_DIR = "archive_status";

  public static final String READY_SUFFIX = ".ready";
  public static final String DONE_SUFFIX = ".done";

  private final Path dir;
  private final WalSegmentSize segmentSize;
  private final DurableFiles durable;
  private final FileIo io;
  private final AtomicLong tempCounter = new AtomicLong();

  public WalSegmentFiles(Path dir, WalSegmentSize segmentSize, DurableFiles durable) {
    this.dir = dir;
    this.segmentSize = segmentSize;
    this.durable = durable;
    this.io = durable.io();
  }

  public Path dir() {
    return dir;
  }

  public WalSegmentSize segmentSize() {
    return segmentSize;
  }

  public DurableFiles durable() {
    return durable;
  }

  /** {@code pg_wal/archive_status}. */
  public Path archiveStatusDir() {
    return dir.resolve(ARCHIVE_STATUS_DIR);
  }

  public Path pathOf(WalSegmentName name) {
    return dir.resolve(name.fileName());
  }

  public Path pathOf(TimelineId tli, long segNo) {
    return pathOf(segmentSize.name(tli, segNo));
  }

  public boolean exists(TimelineId tli, long segNo) {
    return io.exists(pathOf(tli, segNo));
  }

  /** Opens a segment for reading, or empty if it does not exist. */
  public Optional<FileChannel> openForRead(TimelineId tli, long segNo) throws IOException {
    Path p = pathOf(tli, segNo);
    if (!io.exists(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(io.open(p, StandardOpenOption.READ));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty(); // removed between the check and the open
    }
  }

  /**
   * Opens a segment for writing, creating it first (zero-filled, durably) if it does not exist.
   * Creation here is the slow path; the preallocator normally got there first.
   */
  public FileChannel openForWrite(TimelineId tli, long segNo) throws IOException {
    ensureExists(tli, segNo);
    return io.open(pathOf(tli, segNo), StandardOpenOption.WRITE, StandardOpenOption.READ);
  }

  /**
   * Makes sure the segment exists at full size. Returns true if this call created it. A recycled
   * file from {@code recycleFrom} is used when offered, else a new zero-filled one is written.
   */
  public boolean ensureExists(TimelineId tli, long segNo) throws IOException {
    Path target = pathOf(tli, segNo);
    if (io.exists(target)) {
      return false;
    }
    Path tmp =
        dir.resolve(
            "xlogtemp." + ProcessHandle.current().pid() + "." + tempCounter.incrementAndGet());
    try (FileChannel ch = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      long written = 0;
      while (written < segmentSize.bytes()) {
        zeros.clear();
        zeros.limit((int) Math.min(zeros.capacity(), segmentSize.bytes() - written));
        DurableFiles.writeFully(ch, zeros, written);
        written += zeros.limit();
      }
      ch.force(true);
    }
    try {
      durable.durableLinkOrRename(tmp, target);
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      io.delete(tmp); // another thread installed it first; theirs is as good as ours
      return false;
    }
    return true;
  }

  /**
   * Renames an old, no longer needed segment to {@code (tli, segNo)}, a future segment, so its
   * space is reused without a zero-fill. Returns false (and leaves both alone) if the target
   * already exists.
   */
  public boolean recycle(Path old, TimelineId tli, long segNo) throws IOException {
    Path target = pathOf(tli, segNo);
    if (io.exists(target)) {
      return false;
    }
    try {
      durable.durableLinkOrRename(old, target);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      return false;
    }
  }

  /**
   * Removes temporary files a crash left behind mid-creation ({@code xlogtemp.*}); called at
   * startup, before any segment is created.
   */
  public int removeTempFiles() throws IOException {
    int n = 0;
    for (String name : io.list(dir)) {
      if (name.startsWith("xlogtemp.")) {
        io.delete(dir.resolve(name));
        n++;
      }
    }
    return n;
  }

  /** The segment files present, ordered by (timeline, segment number). */
  public List<WalSegmentName> list() throws IOException {
    List<WalSegmentName> out = new ArrayList<>();
    for (String n : io.list(dir)) {
      WalSegmentName.parse(n, segmentSize).ifPresent(out::add);
    }
    out.sort(Comparator.comparing(WalSegmentName::segNo).thenComparing(WalSegmentName::timeline));
    return out;
  }

  /**
   * Removes or recycles every segment wholly before {@code keepFrom}. Recycled segments become
   * future segments of {@code currentTli} after {@code insertSegNo}, up to {@code
   * maxFutureSegments} of them; the rest are deleted. Returns the number of segments removed or
   * recycled. The caller (the checkpointer) computes {@code keepFrom} with the one retention rule,
   * {@link WalRetention}, which also keeps every segment not yet archived. A removed or recycled
   * segment's archive status files go with it.
   */
  public int removeOldSegments(
      Lsn keepFrom, TimelineId currentTli, long insertSegNo, int maxFutureSegments)
      throws IOException {
    long keepSeg = segmentSize.segmentOf(keepFrom);
    List<WalSegmentName> all = list();
    long future = all.stream().filter(s -> s.segNo() > insertSegNo).count();
    long nextFuture = all.stream().mapToLong(WalSegmentName::segNo).max().orElse(insertSegNo) + 1;
    nextFuture = Math.max(nextFuture, insertSegNo + 1);
    int done = 0;
    for (WalSegmentName s : all) {
      if (s.segNo() >= keepSeg) {
        continue;
      }
      Path p = pathOf(s);
      // A file with a second name is left over from a crash between the link and the unlink of
      // an earlier recycle: its other name may be a future segment, so reusing it again would
      // give two segments one file. Delete it instead.
      if (future < maxFutureSegments
          && io.linkCount(p) == 1
          && recycle(p, currentTli, nextFuture)) {
        log.debug("recycled write-ahead log file \"{}\"", s.fileName());
        future++;
        nextFuture++;
      } else {
        io.delete(p);
        log.debug("removed write-ahead log file \"{}\"", s.fileName());
      }
      removeArchiveStatus(s.fileName());
      done++;
    }
    if (done > 0) {
      durable.fsyncDirectory(dir);
    }
    return done;
  }

  /**
   * Deletes {@code NAME.ready} and {@code NAME.done} for a segment that is gone. Not forced: a
   * status file that survives a crash for a missing segment is harmless (the archiver drops an
   * orphan {@code .ready}; a stray {@code .done} is never read again).
   */
  private void removeArchiveStatus(String fileName) throws IOException {
    Path status = archiveStatusDir();
    io.delete(status.resolve(fileName + DONE_SUFFIX));
    io.delete(status.resolve(fileName + READY_SUFFIX));
  }
}
