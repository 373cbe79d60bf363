package org.walden.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Where a {@link WalReader} gets segment files: {@code pg_wal} for crash recovery; later also the
 * archive and the stream for a standby. Implementations decide the timeline of each segment.
 */
@FunctionalInterface
public interface WalSegmentSource {

  /** Opens segment {@code segNo} for reading, or empty if it is not available. */
  Optional<FileChannel> open(long segNo) throws IOException;

  /** A source over one {@code pg_wal} directory and one timeline. */
  static WalSegmentSource of(WalSegmentFiles files, TimelineId tli) {
    return segNo -> files.openForRead(tli, segNo);
  }

  /**
   * A source over one {@code pg_wal} directory that follows a timeline history: segment {@code
   * segNo} is read from the newest timeline of {@code history} (read at each open, so a standby
   * that learns a new timeline reads its files from then on) whose range covers it and whose file
   * exists (PostgreSQL's {@code XLogFileReadAnyTLI}).
   */
  static WalSegmentSource following(
      WalSegmentFiles files, java.util.function.Supplier<TimelineHistory> history) {
    return segNo -> {
      for (TimelineId tli : history.get().timelinesForSegment(segNo, files.segmentSize())) {
        Optional<FileChannel> ch = files.openForRead(tli, segNo);
        if (ch.isPresent()) {
          return ch;
        }
      }
      return Optional.empty();
    };
  }
}
