package org.walden.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of WAL pages and records, in one place. Walsenders ship these bytes as they
 * are and standbys write them at the same offsets, so every Walden node's segment files are
 * byte-identical; change nothing here without bumping {@link #PAGE_MAGIC}.
 *
 * <h2>Pages</h2>
 *
 * Segments are divided into {@value #PAGE_SIZE}-byte pages. Each page starts with a header:
 *
 * <pre>
 *   0  u16 magic            PAGE_MAGIC (format version of the WAL)
 *   2  u16 info             FLAG_CONT_RECORD: the page begins with the rest of a record
 *                           FLAG_LONG_HEADER: the first page of a segment (long header follows)
 *   4  u32 timeline         timeline the page was written on
 *   8  u64 page address     LSN of the page's first byte; a recycled segment's stale pages
 *                           carry old addresses, which is how a reader tells them from new WAL
 *  16  u32 remaining        bytes of the continued record still to come (0 if none)
 *  20  u32 reserved
 * </pre>
 *
 * The first page of each segment has a long header that adds the system identifier (u64 at 24), the
 * segment size (u32 at 32) and the page size (u32 at 36): 40 bytes in all. A reader refuses a
 * segment of another system or another segment size.
 *
 * <h2>Records</h2>
 *
 * Records start on an 8-byte boundary in a page's data area and may continue across any number of
 * pages and segments; the page headers they cross are not part of the record. Header:
 *
 * <pre>
 *   0  u32 total length     header + body
 *   4  u32 crc              CRC32C of bytes 8..28 of the header, then the body, then bytes 0..4
 *   8  u64 xid              transaction id, 0 for none
 *  16  u64 prev             start LSN of the previous record (the back-link that catches
 *                           records left over from an earlier pass through a recycled segment)
 *  24  u8  kind             {@link RecordKind}
 *  25  u8  info             kind-specific flags
 *  26  u16 reserved
 * </pre>
 *
 * All integers are little-endian (the machine's order; the format never leaves Walden).
 */
public final class WalFormat {

  private WalFormat() {}

  public static final int PAGE_SIZE = 8192;
  public static final short PAGE_MAGIC = (short) 0xD15A;

  public static final int FLAG_CONT_RECORD = 1;
  public static final int FLAG_LONG_HEADER = 2;

  public static final int SHORT_PAGE_HEADER = 24;
  public static final int LONG_PAGE_HEADER = 40;

  public static final int RECORD_HEADER = 28;
  public static final int ALIGN = 8;

  /** Largest record Walden writes or accepts (a sanity bound against garbage lengths). */
  public static final int MAX_RECORD = 256 << 20;

  public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  static final int OFF_MAGIC = 0;
  static final int OFF_INFO = 2;
  static final int OFF_TLI = 4;
  static final int OFF_PAGEADDR = 8;
  static final int OFF_REMAINING = 16;
  static final int OFF_SYSID = 24;
  static final int OFF_SEGSIZE = 32;
  static final int OFF_BLCKSZ = 36;

  static final int REC_TOTLEN = 0;
  static final int REC_CRC = 4;
  static final int REC_XID = 8;
  static final int REC_PREV = 16;
  static final int REC_KIND = 24;
  static final int REC_INFO = 25;

  public static long align(long pos) {
    return (pos + (ALIGN - 1)) & ~(long) (ALIGN - 1);
  }

  /** The header size of the page starting at {@code pageStart}. */
  public static int pageHeaderSize(long pageStart, WalSegmentSize segSize) {
    return (pageStart & (segSize.bytes() - 1)) == 0 ? LONG_PAGE_HEADER : SHORT_PAGE_HEADER;
  }

  public static long pageStart(long pos) {
    return pos & ~(long) (PAGE_SIZE - 1);
  }

  /**
   * Where the next record goes given the end of the previous one: aligned, and past the page header
   * if the aligned position is at (or inside) a page header.
   */
  public static long nextRecordStart(long end, WalSegmentSize segSize) {
    long pos = align(end);
    long page = pageStart(pos);
    int hdr = pageHeaderSize(page, segSize);
    if (pos - page < hdr) {
      pos = page + hdr;
    }
    return pos;
  }

  /**
   * Where a record of {@code total} bytes starting at {@code start} ends (last byte + 1), counting
   * the page headers it crosses.
   */
  public static long recordEnd(long start, int total, WalSegmentSize segSize) {
    long pos = start;
    int remaining = total;
    while (true) {
      long pageEnd = pageStart(pos) + PAGE_SIZE;
      int n = (int) Math.min(remaining, pageEnd - pos);
      pos += n;
      remaining -= n;
      if (remaining == 0) {
        return pos;
      }
      pos += pageHeaderSize(pos, segSize);
    }
  }

  /** Writes a page header at {@code buf}'s absolute {@code offset}. */
  static void writePageHeader(
      ByteBuffer buf,
      int offset,
      long pageAddr,
      TimelineId tli,
      int remaining,
      WalIdentity identity) {
    boolean longHeader = (pageAddr & (identity.segmentSize().bytes() - 1)) == 0;
    int info = (remaining > 0 ? FLAG_CONT_RECORD : 0) | (longHeader ? FLAG_LONG_HEADER : 0);
    buf.putShort(offset + OFF_MAGIC, PAGE_MAGIC);
    buf.putShort(offset + OFF_INFO, (short) info);
    buf.putInt(offset + OFF_TLI, tli.value());
    buf.putLong(offset + OFF_PAGEADDR, pageAddr);
    buf.putInt(offset + OFF_REMAINING, remaining);
    buf.putInt(offset + 20, 0);
    if (longHeader) {
      buf.putLong(offset + OFF_SYSID, identity.systemId());
      buf.putInt(offset + OFF_SEGSIZE, identity.segmentSize().bytes());
      buf.putInt(offset + OFF_BLCKSZ, PAGE_SIZE);
    }
  }

  /**
   * The record CRC: header bytes 8..28, the body, then the length field. {@code rec} holds the
   * whole record contiguously from {@code off}.
   */
  static int recordCrc(ByteBuffer rec, int off, int totalLength) {
    CRC32C crc = new CRC32C();
    ByteBuffer dup = rec.duplicate().order(ORDER);
    dup.limit(off + totalLength).position(off + REC_XID);
    crc.update(dup);
    dup.limit(off + 4).position(off);
    crc.update(dup);
    return (int) crc.getValue();
  }
}
