package org.walden.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;

/**
 * The file work of starting a new timeline at a switch point: the segment holding the switch point
 * gets a copy under the new timeline's name holding the old timeline's bytes before the switch
 * point and zeros after it (PostgreSQL's {@code XLogInitNewTimeline}), so that a reader of the new
 * timeline finds the records before the switch point in that segment, and a writer can open it at
 * the switch point as at any end of WAL.
 *
 * <p>Stateless; called by the promoting thread (and by startup when a crash came between the
 * history file and the copy).
 */
public final class TimelineSwitch {

  private TimelineSwitch() {}

  /**
   * At promotion: the old timeline's segment holding the switch point is renamed (durably) to the
   * new timeline's name — PostgreSQL renames it to {@code .partial} and copies it; the new name
   * ends up with the same bytes before the switch point, without writing a whole segment on the way
   * to accepting writes. Whatever lies after the switch point in it is the old timeline's
   * unreplayable tail: the writer opening there zeroes the rest of its page and every stale page
   * after it ({@link WalWriter#open}), as after a crash. Readers of the old timeline find its
   * prefix under the new name (the history says the segment holds both). Returns false, doing
   * nothing, when the new name exists or the switch point is a segment start.
   */
  public static boolean moveSegment(
      WalSegmentFiles files, TimelineId oldTli, TimelineId newTli, Lsn switchPoint)
      throws IOException {
    WalSegmentSize seg = files.segmentSize();
    long segNo = seg.segmentOf(switchPoint);
    if (seg.offsetInSegment(switchPoint) == 0 || files.exists(newTli, segNo)) {
      return false;
    }
    if (!files.exists(oldTli, segNo)) {
      throw new IOException(
          "write-ahead log file \""
              + seg.name(oldTli, segNo)
              + "\" holding the switch point "
              + switchPoint
              + " is missing");
    }
    files.durable().durableRename(files.pathOf(oldTli, segNo), files.pathOf(newTli, segNo));
    return true;
  }

  /**
   * Creates {@code (newTli, segment of switchPoint)} from the old timeline's file, unless it exists
   * already. Durable: written under a temporary name, forced, durably renamed. A switch point at a
   * segment start copies nothing (the writer creates a fresh segment).
   *
   * @return true if a copy was made
   */
  public static boolean copySegmentPrefix(
      WalSegmentFiles files, TimelineId oldTli, TimelineId newTli, Lsn switchPoint)
      throws IOException {
    WalSegmentSize seg = files.segmentSize();
    long segNo = seg.segmentOf(switchPoint);
    int prefix = seg.offsetInSegment(switchPoint);
    if (prefix == 0 || files.exists(newTli, segNo)) {
      return false;
    }
    FileIo io = files.durable().io();
    Path tmp = files.dir().resolve("xlogtemp.tli." + ProcessHandle.current().pid());
    io.delete(tmp);
    try (FileChannel out = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
      try (FileChannel in =
          files
              .openForRead(oldTli, segNo)
              .orElseThrow(() ->
                  new IOException(
                      "write-ahead log file \""
                          + seg.name(oldTli, segNo)
                          + "\" holding the switch point "
                          + switchPoint
                          + " is missing"))) {
        long pos = 0;
        while (pos < seg.bytes()) {
          buf.clear();
          buf.limit((int) Math.min(buf.capacity(), seg.bytes() - pos));
          int n = DurableFiles.readFully(in, buf, pos);
          buf.flip();
          // bytes past the switch point belong to no timeline here: zeros
          for (int i = 0; i < buf.limit(); i++) {
            if (pos + i >= prefix) {
              buf.put(i, (byte) 0);
            }
          }
          if (n < buf.limit()) {
            throw new IOException(
                "write-ahead log file \"" + seg.name(oldTli, segNo) + "\" is short");
          }
          DurableFiles.writeFully(out, buf, pos);
          pos += buf.limit();
        }
      }
      out.force(true);
    }
    files.durable().durableRename(tmp, files.pathOf(newTli, segNo));
    return true;
  }
}
