package org.walden.node;

import java.time.Duration;
import org.walden.recovery.WalArchive;
import org.walden.recovery.WalStream;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentName;

/** Builds a standby's WAL sources from the node's settings. */
final class StandbySources {
  private StandbySources() {}

  static WalStream stream(Node node) {
    return new WalStream() {
      @Override
      public boolean configured() {
        return false;
      }

      @Override
      public void start(Lsn startPoint, TimelineId timeline) {}

      @Override
      public boolean isStreaming() {
        return false;
      }

      @Override
      public Lsn flushedUpto() {
        return Lsn.INVALID;
      }

      @Override
      public void awaitFlushedBeyond(Lsn than, Duration timeout) {}

      @Override
      public void stop() {}
    };
  }

  static WalArchive archive(Node node) {
    return new WalArchive() {
      @Override
      public boolean configured() {
        return false;
      }

      @Override
      public Outcome restore(WalSegmentName segment) {
        return Outcome.NOT_FOUND;
      }
    };
  }
}
