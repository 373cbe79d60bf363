package org.walden.wal;

import java.util.Locale;
import java.util.Optional;

/**
 * A WAL segment file name, {@code TTTTTTTTXXXXXXXXYYYYYYYY}: the timeline, then the segment number
 * split as PostgreSQL splits it (segNo / segments-per-4GiB, segNo % segments-per-4GiB), each as
 * eight upper-case hex digits.
 */
public record WalSegmentName(TimelineId timeline, long segNo, WalSegmentSize segmentSize) {

  public static final int LENGTH = 24;

  public String fileName() {
    long per = segmentSize.segmentsPerXLogId();
    return String.format(Locale.ROOT, "%08X%08X%08X", timeline.value(), segNo / per, segNo % per);
  }

  public Lsn startLsn() {
    return segmentSize.startOf(segNo);
  }

  /**
   * Parses a segment file name; empty if {@code name} is not 24 hex digits or the low part is out
   * of range for this segment size.
   */
  public static Optional<WalSegmentName> parse(String name, WalSegmentSize segmentSize) {
    if (name.length() != LENGTH) {
      return Optional.empty();
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = name.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
        return Optional.empty();
      }
    }
    long tli = Long.parseLong(name, 0, 8, 16);
    long hi = Long.parseLong(name, 8, 16, 16);
    long lo = Long.parseLong(name, 16, 24, 16);
    long per = segmentSize.segmentsPerXLogId();
    if (tli == 0 || lo >= per) {
      return Optional.empty();
    }
    return Optional.of(new WalSegmentName(new TimelineId((int) tli), hi * per + lo, segmentSize));
  }

  @Override
  public String toString() {
    return fileName();
  }
}
