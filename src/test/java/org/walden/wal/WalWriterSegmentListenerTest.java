package org.walden.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;

class WalWriterSegmentListenerTest {

  static final WalSegmentSize SEG = new WalSegmentSize(1 << 20);
  static final WalIdentity ID = new WalIdentity(0x1234_5678_9ABCL, SEG);

  @TempDir Path dir;

  WalWriter open(Lsn at, Lsn last) throws Exception {
    WalSegmentFiles files = new WalSegmentFiles(dir, SEG, new DurableFiles(FileIo.nio()));
    WalWriter w =
        WalWriter.open(
            ID, files, TimelineId.FIRST, at, last, 64 * WalFormat.PAGE_SIZE, Duration.ofMillis(5));
    w.start();
    return w;
  }

  static WalInserter.InsertedRecord insertAndFlush(WalWriter w, int bodyBytes) throws Exception {
    WalInserter.InsertedRecord r =
        w.insert(RecordKind.INSERT, Xid.of(7), ByteBuffer.allocate(bodyBytes));
    w.waitForFlush(r.end());
    return r;
  }

  @Test
  void filledSegments_areReportedOnceEach_inOrder_byTheTimeTheirFlushReturns() throws Exception {
    List<WalSegmentName> seen = new CopyOnWriteArrayList<>();
    try (WalWriter w = open(SEG.startOf(1), Lsn.INVALID)) {
      w.addSegmentListener(seen::add);
      WalInserter.InsertedRecord last = null;
      while (SEG.segmentOf(w.flushedUpto()) < 3) {
        last = insertAndFlush(w, 50_000);
        long flushedSeg = SEG.segmentOf(w.flushedUpto());
        // every segment before the flushed one is reported when the flush returns
        assertThat(seen).hasSize((int) (flushedSeg - 1));
      }
      assertThat(last).isNotNull();
    }
    assertThat(seen)
        .containsExactly(SEG.name(TimelineId.FIRST, 1), SEG.name(TimelineId.FIRST, 2))
        .allSatisfy(n -> assertThat(dir.resolve(n.fileName())).hasSize(SEG.bytes()));
  }

  @Test
  void switchRecord_completesItsSegment() throws Exception {
    List<WalSegmentName> seen = new CopyOnWriteArrayList<>();
    try (WalWriter w = open(SEG.startOf(1), Lsn.INVALID)) {
      w.addSegmentListener(seen::add);
      insertAndFlush(w, 100);
      assertThat(seen).isEmpty();

      // the insert of a SWITCH returns once the switch is flushed
      w.insert(RecordKind.SWITCH, Xid.INVALID, ByteBuffer.allocate(0));
      assertThat(seen).containsExactly(SEG.name(TimelineId.FIRST, 1));

      // the next record goes to segment 2, which is not complete
      WalInserter.InsertedRecord r = insertAndFlush(w, 100);
      assertThat(SEG.segmentOf(r.start())).isEqualTo(2);
      assertThat(seen).containsExactly(SEG.name(TimelineId.FIRST, 1));

      w.insert(RecordKind.SWITCH, Xid.INVALID, ByteBuffer.allocate(0));
      assertThat(seen)
          .containsExactly(SEG.name(TimelineId.FIRST, 1), SEG.name(TimelineId.FIRST, 2));
    }
  }

  @Test
  void segmentsCompleteBeforeOpen_areNotReported() throws Exception {
    List<WalSegmentName> seen = new CopyOnWriteArrayList<>();
    Lsn end;
    Lsn lastStart;
    try (WalWriter w = open(SEG.startOf(1), Lsn.INVALID)) {
      WalInserter.InsertedRecord r = null;
      while (SEG.segmentOf(w.flushedUpto()) < 2) {
        r = insertAndFlush(w, 50_000);
      }
      end = r.end();
      lastStart = r.start();
    }
    try (WalWriter w = open(end, lastStart)) {
      w.addSegmentListener(seen::add);
      while (SEG.segmentOf(w.flushedUpto()) < 3) {
        insertAndFlush(w, 50_000);
      }
    }
    assertThat(seen).containsExactly(SEG.name(TimelineId.FIRST, 2));
  }
}
