package org.walden.replication.archive;

import static org.walden.wal.WalSegmentFiles.DONE_SUFFIX;
import static org.walden.wal.WalSegmentFiles.READY_SUFFIX;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.wal.WalSegmentFiles;

/**
 * {@code pg_wal/archive_status}: one empty file per WAL file that is waiting to be archived ({@code
 * NAME.ready}) or has been archived or needs no archiving ({@code NAME.done}). The files are the
 * archiver's durable work queue: they survive restarts, and a crash between archiving a file and
 * renaming its status only makes the archiver run the command again (which is why archive commands
 * must tolerate being run twice for the same file).
 *
 * <p>{@code NAME} is a WAL file name in {@code pg_wal}: a segment, a timeline history file ({@code
 * 00000002.history}), or a backup history file. Who writes what:
 *
 * <ul>
 *   <li>the archiver: {@link #markReady} for completed segments, {@link #markDone} after the
 *       archive command succeeded;
 *   <li>the walreceiver and restore: {@link #markDone} (or {@link #markReady} with {@code
 *       archive_mode = always}) for files that came from upstream or from the archive;
 *   <li>segment removal ({@link WalSegmentFiles#removeOldSegments}): deletes both with their
 *       segment.
 * </ul>
 *
 * <p>Thread-safe: every operation is a single file-system step or a durable sequence of them.
 */
public final class ArchiveStatusDir {

  private final Path dir;
  private final DurableFiles durable;
  private final FileIo io;

  private ArchiveStatusDir(Path dir, DurableFiles durable) {
    this.dir = dir;
    this.durable = durable;
    this.io = durable.io();
  }

  /** Opens {@code pg_wal/archive_status}, creating it durably if it is missing. */
  public static ArchiveStatusDir open(WalSegmentFiles segments) throws IOException {
    ArchiveStatusDir d = new ArchiveStatusDir(segments.archiveStatusDir(), segments.durable());
    d.durable.durableMkdirs(d.dir);
    return d;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Durably creates {@code NAME.ready} (PostgreSQL's XLogArchiveNotify): the file is to be
   * archived. Idempotent.
   */
  public void markReady(String fileName) throws IOException {
    durable.durableCreate(ready(fileName));
  }

  /**
   * Marks a file archived: durably renames {@code NAME.ready} to {@code NAME.done}, or durably
   * creates {@code NAME.done} if there was no {@code .ready} (PostgreSQL's XLogArchiveForceDone).
   */
  public void markDone(String fileName) throws IOException {
    Path r = ready(fileName);
    Path d = done(fileName);
    if (io.exists(r)) {
      try {
        durable.durableRename(r, d);
        return;
      } catch (java.nio.file.NoSuchFileException raced) {
        // removed meanwhile; fall through and create .done
      }
    }
    if (!io.exists(d)) {
      durable.durableCreate(d);
    }
  }

  public boolean isReady(String fileName) {
    return io.exists(ready(fileName));
  }

  public boolean isDone(String fileName) {
    return io.exists(done(fileName));
  }

  /** True if the file has a status file of either kind. */
  public boolean hasStatus(String fileName) {
    return isReady(fileName) || isDone(fileName);
  }

  /**
   * The names (without {@code .ready}) of every file waiting to be archived, in the order the
   * archiver takes them: timeline history files first (a standby restoring from the archive needs
   * them to follow a timeline switch before the segments of the new timeline), then by name, which
   * for segments is WAL order (timeline, then segment number) — PostgreSQL's order.
   */
  public List<String> ready() throws IOException {
    List<String> out = new ArrayList<>();
    for (String n : io.list(dir)) {
      if (n.endsWith(READY_SUFFIX) && n.length() > READY_SUFFIX.length()) {
        out.add(n.substring(0, n.length() - READY_SUFFIX.length()));
      }
    }
    out.sort(
        Comparator.comparing((String n) -> !n.endsWith(".history"))
            .thenComparing(Comparator.naturalOrder()));
    return out;
  }

  /** Deletes both status files of {@code fileName} (its WAL file is gone). */
  public void remove(String fileName) throws IOException {
    boolean a = io.delete(ready(fileName));
    boolean b = io.delete(done(fileName));
    if (a || b) {
      durable.fsyncDirectory(dir);
    }
  }

  private Path ready(String fileName) {
    return dir.resolve(fileName + READY_SUFFIX);
  }

  private Path done(String fileName) {
    return dir.resolve(fileName + DONE_SUFFIX);
  }
}
