package org.walden.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.walden.fs.DurableFiles;

/**
 * Reads WAL records in order from a {@link WalSegmentSource}, validating page headers, record
 * lengths, back-links and checksums, and classifying every stop as a {@link ReadResult}.
 *
 * <p>Recovery uses it record by record: {@link #seek} to the redo point, then {@link #next} until
 * something other than a record comes back. The reader never advances past a non-record result, so
 * a standby can call {@code next} again at the same place once more WAL has arrived (raising {@link
 * #setReadLimit} as its walreceiver flushes).
 *
 * <h2>Telling a torn tail from corruption</h2>
 *
 * When the record at the read position is invalid, the reader looks past it: at the record its
 * length says should follow, and at the first record starting on each later page of the segment
 * whose header carries the right address. If any of those is a valid record, the damage is in the
 * middle of the log and the result is {@link ReadResult.Corrupt}; otherwise the log simply ends
 * there ({@link ReadResult.EndOfWal} for zeros or unwritten pages, {@link ReadResult.TornTail} for
 * a record that was begun). A server killed mid-write leaves only the latter; the former means
 * damaged storage, and recovery must not silently cut the log there.
 *
 * <p>Single-threaded; owns the channel it has open. The body of a returned record is valid until
 * the next call.
 */
public final class WalReader implements AutoCloseable {

  private static final int WINDOW = 256 << 10;

  private final WalSegmentSource source;
  private final WalIdentity identity;
  private final WalSegmentSize segSize;

  private long pos; // start of the next record to read
  private long expectedPrev; // 0 = do not check
  private long readLimit = -1; // bytes at or past this are not read; -1 = no limit

  private long openSegNo = -1;
  private FileChannel channel;
  private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW).order(WalFormat.ORDER);
  private long windowStart = -1; // LSN of window[0]
  private int windowLen;

  private ByteBuffer record = ByteBuffer.allocate(64 << 10).order(WalFormat.ORDER);

  /** A read-only view of {@code record}, kept so each returned body costs one slice, not two. */
  private ByteBuffer recordView = record.asReadOnlyBuffer();

  private final CRC32C crc = new CRC32C();

  /** Why the last assemble failed; set when assemble returns false. */
  private Failure failure;

  private enum FailKind {
    MISSING_SEGMENT,
    PAGE_INVALID_AT_START,
    PAGE_INVALID_MID_RECORD,
    LIMIT,
    FOREIGN_SYSTEM
  }

  private record Failure(FailKind kind, long at, long segNo, String reason) {}

  /** Which timeline holds the page at an LSN; null = no check. Set once before reading. */
  private java.util.function.Function<Lsn, TimelineId> expectedTimeline;

  /**
   * Checks each page header's timeline against a history (PostgreSQL's "unexpected timeline ID"
   * check): a page whose timeline is older than the one holding its position is reported as
   * corrupt, not replayed.
   */
  public void checkPageTimelines(java.util.function.Function<Lsn, TimelineId> expected) {
    this.expectedTimeline = expected;
  }

  public WalReader(WalSegmentSource source, WalIdentity identity) {
    this.source = source;
    this.identity = identity;
    this.segSize = identity.segmentSize();
  }

  /**
   * Positions the reader at the record starting at {@code recordStart}; {@code prev} is that
   * record's expected back-link ({@link Lsn#INVALID} to skip the check for the first record).
   */
  public void seek(Lsn recordStart, Lsn prev) {
    this.pos = WalFormat.nextRecordStart(recordStart.value(), segSize);
    this.expectedPrev = prev.value();
  }

  /** Bytes at or after {@code limit} are treated as not yet written; {@link Lsn#MAX} for none. */
  public void setReadLimit(Lsn limit) {
    long next = limit.equals(Lsn.MAX) ? -1 : limit.value();
    if (next != readLimit) {
      // The cached window may hold bytes read before they were written (zeros past a standby's
      // flushed position): read them again under the new limit.
      windowStart = -1;
    }
    this.readLimit = next;
  }

  /**
   * Forgets the open segment and cached bytes, so the next read opens the file again: after a
   * segment was replaced under its name (restored from the archive over a partial copy).
   */
  public void reopen() throws IOException {
    closeChannel();
  }

  /** Where the next record is expected. */
  public Lsn position() {
    return Lsn.of(pos);
  }

  /** Reads the record at the current position. */
  public ReadResult next() throws IOException {
    long start = pos;
    if (readLimit >= 0 && Long.compareUnsigned(start, readLimit) >= 0) {
      return new ReadResult.EndOfWal(Lsn.of(start));
    }
    ReadResult bad = tryRecord(start, expectedPrev, true);
    if (bad != null) {
      return bad;
    }
    int total = record.getInt(WalFormat.REC_TOTLEN);
    long end = recordEnd;
    RecordKind kind = RecordKind.fromCode(record.get(WalFormat.REC_KIND));
    ByteBuffer body = recordView.slice(WalFormat.RECORD_HEADER, total - WalFormat.RECORD_HEADER);
    WalRecord r =
        new WalRecord(
            Lsn.of(start),
            Lsn.of(end),
            kind,
            record.get(WalFormat.REC_INFO),
            Xid.of(record.getLong(WalFormat.REC_XID)),
            Lsn.of(record.getLong(WalFormat.REC_PREV)),
            body);
    expectedPrev = start;
    if (kind == RecordKind.SWITCH) {
      long nextSeg = segSize.segmentOf(Lsn.of(end - 1)) + 1;
      pos = WalFormat.nextRecordStart(segSize.startOf(nextSeg).value(), segSize);
    } else {
      pos = WalFormat.nextRecordStart(end, segSize);
    }
    return new ReadResult.Record(r);
  }

  private long recordEnd;

  /** Where the last failed read needed bytes it could not get (a page, a segment); see below. */
  private long lastFailureAt;

  /**
   * Where the last read that found no valid record needed bytes it could not get: the record's
   * start, or a later page it continues on (a record spanning into a segment that is missing or not
   * yet written). A standby asks its sources for the segment holding this position, as PostgreSQL
   * asks for the page it failed to read.
   */
  public Lsn lastFailurePosition() {
    return Lsn.of(lastFailureAt);
  }

  /**
   * Assembles and validates the record at {@code start} into {@code record}. Returns null if it is
   * valid (and sets recordEnd), else the classified result. With {@code classify} false, returns a
   * non-null placeholder for any invalid record without looking further.
   */
  private ReadResult tryRecord(long start, long prev, boolean classify) throws IOException {
    record.clear();
    if (!assemble(start, WalFormat.RECORD_HEADER, 0, start)) {
      return classify ? classifyFailure(start, null) : INVALID;
    }
    int total = record.getInt(WalFormat.REC_TOTLEN);
    if (total == 0 && isAllZero(record, WalFormat.RECORD_HEADER)) {
      return classify ? classifyBad(start, -1, "zeros", true) : INVALID;
    }
    if (total < WalFormat.RECORD_HEADER || total > WalFormat.MAX_RECORD) {
      return classify
          ? classifyBad(start, -1, "invalid record length " + total + " at " + Lsn.of(start), false)
          : INVALID;
    }
    if (prev != 0 && record.getLong(WalFormat.REC_PREV) != prev) {
      // A record from an earlier pass through a recycled segment, or damage.
      return classify
          ? classifyBad(
              start,
              -1,
              "record with incorrect prev-link "
                  + Lsn.of(record.getLong(WalFormat.REC_PREV))
                  + " at "
                  + Lsn.of(start),
              false)
          : INVALID;
    }
    if (RecordKind.fromCode(record.get(WalFormat.REC_KIND)) == null) {
      return classify
          ? classifyBad(
              start,
              total,
              "invalid record kind "
                  + (record.get(WalFormat.REC_KIND) & 0xFF)
                  + " at "
                  + Lsn.of(start),
              false)
          : INVALID;
    }
    if (record.capacity() < total) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(total, record.capacity() * 2)).order(WalFormat.ORDER);
      bigger.put(0, record, 0, WalFormat.RECORD_HEADER);
      record = bigger;
      recordView = record.asReadOnlyBuffer();
    }
    if (!assemble(start, total - WalFormat.RECORD_HEADER, WalFormat.RECORD_HEADER, start)) {
      return classify ? classifyFailure(start, null) : INVALID;
    }
    crc.reset();
    record.limit(total).position(WalFormat.RECORD_HEADER);
    // CRC order: header bytes 8..28, body, length (WalFormat); the body lies between them here.
    ByteBuffer hdr = record.duplicate();
    hdr.limit(WalFormat.RECORD_HEADER).position(WalFormat.REC_XID);
    crc.update(hdr);
    crc.update(record);
    hdr.limit(4).position(0);
    crc.update(hdr);
    record.clear();
    if ((int) crc.getValue() != record.getInt(WalFormat.REC_CRC)) {
      return classify
          ? classifyBad(
              start,
              total,
              "incorrect resource manager data checksum in record at " + Lsn.of(start),
              false)
          : INVALID;
    }
    return null;
  }

  private static final ReadResult INVALID = new ReadResult.EndOfWal(Lsn.INVALID);

  /**
   * Copies {@code n} record bytes that begin {@code skip} bytes into the record starting at {@code
   * start} into {@code record}, skipping page headers and validating each page it enters. The
   * record position {@code recStart} is used for the continuation checks. Sets recordEnd.
   */
  private boolean assemble(long recStart, int n, int skip, long start) throws IOException {
    // Walk from the record start, counting record bytes, to where byte `skip` lies.
    long p = start;
    int recOffset = 0;
    int wanted = skip + n;
    int total = skip == 0 ? -1 : record.getInt(WalFormat.REC_TOTLEN);
    boolean firstPage = true;
    while (recOffset < wanted) {
      long page = WalFormat.pageStart(p);
      if (readLimit >= 0
          && Long.compareUnsigned(page + WalFormat.pageHeaderSize(page, segSize), readLimit) > 0) {
        // the page header itself is not all there yet (a standby's stream can stop inside one)
        failure = new Failure(FailKind.LIMIT, p, -1, "read limit");
        return false;
      }
      if (!checkPage(page, recStart, recOffset, total, firstPage)) {
        return false;
      }
      long pageEnd = page + WalFormat.PAGE_SIZE;
      int avail = (int) Math.min(pageEnd - p, wanted - recOffset);
      if (readLimit >= 0 && Long.compareUnsigned(p + avail, readLimit) > 0) {
        failure = new Failure(FailKind.LIMIT, p, -1, "read limit");
        return false;
      }
      if (recOffset + avail > skip) {
        int from = Math.max(skip - recOffset, 0);
        copyOut(p + from, record, recOffset + from, avail - from);
      }
      recOffset += avail;
      p += avail;
      if (recOffset < wanted) {
        p += WalFormat.pageHeaderSize(p, segSize);
      }
      firstPage = false;
    }
    recordEnd = p;
    return true;
  }

  /** Validates the header of the page at {@code page}. */
  private boolean checkPage(long page, long recStart, int recOffset, int total, boolean firstPage)
      throws IOException {
    long segNo = segSize.segmentOf(Lsn.of(page));
    if (!ensureWindow(page, WalFormat.LONG_PAGE_HEADER)) {
      return false;
    }
    int off = (int) (page - windowStart);
    short magic = window.getShort(off + WalFormat.OFF_MAGIC);
    long addr = window.getLong(off + WalFormat.OFF_PAGEADDR);
    int info = window.getShort(off + WalFormat.OFF_INFO);
    boolean pageOk = magic == WalFormat.PAGE_MAGIC && addr == page;
    if (pageOk && (info & WalFormat.FLAG_LONG_HEADER) != 0) {
      long sysid = window.getLong(off + WalFormat.OFF_SYSID);
      int seg = window.getInt(off + WalFormat.OFF_SEGSIZE);
      if (sysid != identity.systemId() || seg != segSize.bytes()) {
        failure =
            new Failure(
                FailKind.FOREIGN_SYSTEM,
                page,
                segNo,
                "WAL file is from a different database system: WAL file system identifier is "
                    + Long.toUnsignedString(sysid)
                    + ", expected "
                    + Long.toUnsignedString(identity.systemId())
                    + "; segment size "
                    + seg
                    + ", expected "
                    + segSize.bytes());
        return false;
      }
    }
    if (!pageOk) {
      failure =
          new Failure(
              firstPage ? FailKind.PAGE_INVALID_AT_START : FailKind.PAGE_INVALID_MID_RECORD,
              page,
              segNo,
              "invalid page header at " + Lsn.of(page));
      return false;
    }
    if (expectedTimeline != null) {
      // a page written on an older timeline than the history says holds it is another
      // history's WAL (an old primary's tail after the fork): never replay it as ours
      int tli = window.getInt(off + WalFormat.OFF_TLI);
      TimelineId expected = expectedTimeline.apply(Lsn.of(page));
      if (Integer.compareUnsigned(tli, expected.value()) < 0) {
        failure =
            new Failure(
                FailKind.FOREIGN_SYSTEM,
                page,
                segNo,
                "unexpected timeline ID "
                    + Integer.toUnsignedString(tli)
                    + " in WAL page at "
                    + Lsn.of(page)
                    + ": the timeline history says timeline "
                    + expected
                    + " holds it");
        return false;
      }
    }
    if (!firstPage) {
      int rem = window.getInt(off + WalFormat.OFF_REMAINING);
      boolean cont = (info & WalFormat.FLAG_CONT_RECORD) != 0;
      int expectRem = total < 0 ? -1 : total - recOffset;
      if (!cont || (expectRem >= 0 && rem != expectRem)) {
        failure =
            new Failure(
                FailKind.PAGE_INVALID_MID_RECORD,
                page,
                segNo,
                "there is no contrecord flag or a wrong remaining length at " + Lsn.of(page));
        return false;
      }
    }
    return true;
  }

  private void copyOut(long from, ByteBuffer dst, int dstOff, int len) throws IOException {
    int done = 0;
    while (done < len) {
      long p = from + done;
      int want = len - done;
      // a chunk never crosses a page, so one window load suffices
      ensureWindow(p, want);
      int off = (int) (p - windowStart);
      int n = Math.min(want, windowLen - off);
      dst.put(dstOff + done, window, off, n);
      done += n;
    }
  }

  /**
   * Makes the window cover [p, p + need) (need never crosses a segment). Returns false with failure
   * set if the segment is missing or too short.
   */
  private boolean ensureWindow(long p, int need) throws IOException {
    if (windowStart >= 0 && p >= windowStart && p + need <= windowStart + windowLen) {
      return true;
    }
    long segNo = segSize.segmentOf(Lsn.of(p));
    if (segNo != openSegNo) {
      closeChannel();
      Optional<FileChannel> ch = source.open(segNo);
      if (ch.isEmpty()) {
        failure = new Failure(FailKind.MISSING_SEGMENT, p, segNo, "segment missing");
        windowStart = -1;
        return false;
      }
      channel = ch.get();
      openSegNo = segNo;
    }
    long page = WalFormat.pageStart(p);
    long segStart = segSize.startOf(segNo).value();
    long segEnd = segStart + segSize.bytes();
    int len = (int) Math.min(WINDOW, segEnd - page);
    if (readLimit >= 0) {
      // A standby follows its walreceiver a few hundred bytes at a time: read up to the limit's
      // page, not a whole window of bytes that are not there yet (and would be read again).
      long upTo = WalFormat.pageStart(readLimit + WalFormat.PAGE_SIZE - 1);
      long want = Math.max(upTo - page, (p - page) + need);
      len = (int) Math.min(len, Math.max(want, WalFormat.PAGE_SIZE));
    }
    window.clear().limit(len);
    int n = DurableFiles.readFully(channel, window, page - segStart);
    windowStart = page;
    windowLen = n;
    if (p + need > page + n) {
      // A short segment file: treat the missing bytes as not yet written.
      failure = new Failure(FailKind.PAGE_INVALID_AT_START, p, segNo, "segment file too short");
      return false;
    }
    return true;
  }

  private ReadResult classifyFailure(long start, String ignored) throws IOException {
    Failure f = failure;
    lastFailureAt = Math.max(start, f.at());
    return switch (f.kind()) {
      case MISSING_SEGMENT -> new ReadResult.MissingSegment(Lsn.of(f.at()), f.segNo());
      case LIMIT -> new ReadResult.EndOfWal(Lsn.of(start));
      case FOREIGN_SYSTEM -> new ReadResult.Corrupt(Lsn.of(f.at()), f.reason());
      case PAGE_INVALID_AT_START -> classifyBad(start, -1, f.reason(), true);
      case PAGE_INVALID_MID_RECORD -> classifyBad(start, -1, f.reason(), false);
    };
  }

  /**
   * The record at {@code start} is invalid; decide between end of WAL, torn tail and corruption by
   * looking for valid WAL after it. {@code claimedTotal} is its length if the header was plausible
   * (so the next record's place is known), else -1.
   */
  private ReadResult classifyBad(
      long start, int claimedTotal, String reason, boolean looksUnwritten) throws IOException {
    if (readLimit >= 0) {
      // A standby reading below what its walreceiver flushed: whatever is past the limit is
      // not there yet, so an invalid record here is damage only if the limit is past it.
      if (Long.compareUnsigned(start, readLimit) >= 0) {
        return new ReadResult.EndOfWal(Lsn.of(start));
      }
    }
    String validAfter = findValidAfter(start, claimedTotal);
    if (validAfter != null) {
      return new ReadResult.Corrupt(Lsn.of(start), reason + "; valid WAL follows at " + validAfter);
    }
    if (looksUnwritten) {
      return new ReadResult.EndOfWal(Lsn.of(start));
    }
    return new ReadResult.TornTail(Lsn.of(start), reason);
  }

  private String findValidAfter(long start, int claimedTotal) throws IOException {
    long savedLimit = readLimit;
    try {
      if (claimedTotal > 0) {
        long afterEnd = WalFormat.recordEnd(start, claimedTotal, segSize);
        long next = WalFormat.nextRecordStart(afterEnd, segSize);
        if (segSize.segmentOf(Lsn.of(next)) == segSize.segmentOf(Lsn.of(start))
            && tryRecord(next, start, false) == null) {
          return Lsn.of(next).toString();
        }
      }
      long segNo = segSize.segmentOf(Lsn.of(start));
      long segEnd = segSize.startOf(segNo + 1).value();
      for (long page = WalFormat.pageStart(start) + WalFormat.PAGE_SIZE;
          page < segEnd;
          page += WalFormat.PAGE_SIZE) {
        if (!ensureWindow(page, WalFormat.LONG_PAGE_HEADER)) {
          return null;
        }
        int off = (int) (page - windowStart);
        if (window.getShort(off + WalFormat.OFF_MAGIC) != WalFormat.PAGE_MAGIC
            || window.getLong(off + WalFormat.OFF_PAGEADDR) != page) {
          continue;
        }
        int rem = window.getInt(off + WalFormat.OFF_REMAINING);
        long first = page + WalFormat.pageHeaderSize(page, segSize);
        if (rem > 0) {
          if (rem >= WalFormat.PAGE_SIZE - (first - page)) {
            continue; // the whole page is a continuation
          }
          first = WalFormat.align(first + rem);
        }
        if (first + WalFormat.RECORD_HEADER <= page + WalFormat.PAGE_SIZE
            && tryRecord(first, 0, false) == null) {
          return Lsn.of(first).toString();
        }
      }
      return null;
    } finally {
      readLimit = savedLimit;
    }
  }

  private static boolean isAllZero(ByteBuffer b, int len) {
    for (int i = 0; i < len; i++) {
      if (b.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private void closeChannel() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
    openSegNo = -1;
    windowStart = -1;
  }

  @Override
  public void close() throws IOException {
    closeChannel();
  }
}
