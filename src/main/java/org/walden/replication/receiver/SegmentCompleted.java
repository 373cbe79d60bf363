package org.walden.replication.receiver;

import org.walden.wal.WalSegmentName;

/**
 * Told by the walreceiver when a segment is complete: every byte up to its end written and forced.
 * Called on the walreceiver thread, after {@code flushedUpto} covers the segment, once per segment
 * per streaming run, in segment order. Must be quick and must not call back into the walreceiver's
 * {@code stop} (the node uses it to write {@code archive_status/<seg>.ready} when {@code
 * archive_mode = always}). An exception it throws ends the walreceiver as a local failure.
 */
@FunctionalInterface
public interface SegmentCompleted {
  void segmentCompleted(WalSegmentName segment) throws java.io.IOException;

  SegmentCompleted NONE = s -> {};
}
