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
}
