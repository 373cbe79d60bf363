package org.walden.wal;

/**
 * The WAL segment size of a system ({@code wal_segment_size}): a power of two from 1 MiB to 1 GiB,
 * fixed when the data directory is initialized. Knows how LSNs map onto segments and file names.
 */
public record WalSegmentSize(int bytes) {

  public static final int MIN = 1 << 20;
  public static final int MAX = 1 << 30;
  public static final WalSegmentSize DEFAULT = new WalSegmentSize(16 << 20);

  public WalSegmentSize {
    if (bytes < MIN || bytes > MAX || Integer.bitCount(bytes) != 1) {
      throw new IllegalArgumentException(
          "invalid WAL segment size: "
              + bytes
              + " bytes; it must be a power of two between 1 MB and 1 GB");
    }
  }

  /** Segments per "xlogid" (4 GiB of WAL): the divisor in segment file names. */
  public long segmentsPerXLogId() {
    return 0x1_0000_0000L / bytes;
  }

  /** The number of the segment holding the byte at {@code lsn}. */
  public long segmentOf(Lsn lsn) {
    return Long.divideUnsigned(lsn.value(), bytes);
  }

  /** The offset of {@code lsn} within its segment. */
  public int offsetInSegment(Lsn lsn) {
    return (int) (lsn.value() & (bytes - 1));
  }

  /** The LSN of the first byte of segment {@code segNo}. */
  public Lsn startOf(long segNo) {
    return Lsn.of(segNo * bytes);
  }

  /** The start of the segment holding {@code lsn}: {@code lsn} rounded down to a segment. */
  public Lsn segmentStart(Lsn lsn) {
    return Lsn.of(lsn.value() & ~((long) bytes - 1));
  }

  public WalSegmentName name(TimelineId tli, long segNo) {
    return new WalSegmentName(tli, segNo, this);
  }
}
