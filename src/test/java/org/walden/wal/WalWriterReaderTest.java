package org.walden.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;

class WalWriterReaderTest {

  static final WalSegmentSize SEG = new WalSegmentSize(1 << 20);
  static final WalIdentity ID = new WalIdentity(0x1234_5678_9ABCL, SEG);

  @TempDir Path dir;

  record Written(Lsn start, Lsn end, RecordKind kind, long xid, byte[] body) {}

  WalSegmentFiles files() {
    return new WalSegmentFiles(dir, SEG, new DurableFiles(FileIo.nio()));
  }

  WalWriter newWriter() throws IOException {
    Lsn start = SEG.startOf(1);
    WalWriter w =
        WalWriter.open(
            ID,
            files(),
            TimelineId.FIRST,
            start,
            Lsn.INVALID,
            64 * WalFormat.PAGE_SIZE,
            Duration.ofMillis(5));
    w.start();
    return w;
  }

  static byte[] body(Random r, int maxLen) {
    int len = r.nextInt(10) == 0 ? r.nextInt(maxLen) : r.nextInt(300);
    byte[] b = new byte[len];
    r.nextBytes(b);
    return b;
  }

  List<Written> writeRandom(WalWriter w, Random r, int n, int maxLen) {
    List<Written> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = body(r, maxLen);
      RecordKind k = r.nextBoolean() ? RecordKind.INSERT : RecordKind.COMMIT;
      long xid = r.nextInt(1000);
      WalInserter.InsertedRecord ins = w.insert(k, Xid.of(xid), ByteBuffer.wrap(b));
      out.add(new Written(ins.start(), ins.end(), k, xid, b));
    }
    return out;
  }

  WalReader reader() {
    return new WalReader(WalSegmentSource.of(files(), TimelineId.FIRST), ID);
  }

  void assertReadsBack(List<Written> written, long seed) throws IOException {
    try (WalReader rd = reader()) {
      rd.seek(written.get(0).start(), Lsn.INVALID);
      for (Written w : written) {
        ReadResult res = rd.next();
        assertThat(res)
            .as("seed %d at %s: %s", seed, w.start(), res)
            .isInstanceOf(ReadResult.Record.class);
        WalRecord rec = ((ReadResult.Record) res).record();
        assertThat(rec.start()).as("seed %d", seed).isEqualTo(w.start());
        assertThat(rec.end()).isEqualTo(w.end());
        assertThat(rec.kind()).isEqualTo(w.kind());
        assertThat(rec.xid().value()).isEqualTo(w.xid());
        byte[] got = new byte[rec.bodyLength()];
        rec.body().get(got);
        assertThat(got).as("seed %d at %s", seed, w.start()).isEqualTo(w.body());
      }
      assertThat(rd.next()).as("seed %d", seed).isInstanceOf(ReadResult.EndOfWal.class);
    }
  }

  @Test
  void roundTrip_acrossPagesAndSegments() throws Exception {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    List<Written> written;
    try (WalWriter w = newWriter()) {
      written = writeRandom(w, r, 20_000, 100_000);
      w.waitForFlush(written.get(written.size() - 1).end());
      assertThat(w.flushedUpto()).isEqualTo(written.get(written.size() - 1).end());
    }
    // the test only passes its point if records really crossed segments
    assertThat(SEG.segmentOf(written.get(written.size() - 1).end())).isGreaterThan(2);
    assertReadsBack(written, seed);
  }

  @Test
  void concurrentInserters_allRecordsReadBackInLsnOrder() throws Exception {
    long seed = System.nanoTime();
    List<Written> all = new ArrayList<>();
    try (WalWriter w = newWriter()) {
      ExecutorService ex = Executors.newFixedThreadPool(8);
      List<Future<List<Written>>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Random r = new Random(seed + t);
        fs.add(
            ex.submit(() -> {
              List<Written> mine = new ArrayList<>();
              for (int i = 0; i < 2000; i++) {
                List<Written> one = writeRandom(w, r, 1, 20_000);
                w.waitForFlush(one.get(0).end());
                mine.addAll(one);
              }
              return mine;
            }));
      }
      for (Future<List<Written>> f : fs) {
        all.addAll(f.get());
      }
      ex.shutdown();
      assertThat(w.flushCount()).isLessThan(all.size()); // some flushes served several commits
    }
    all.sort((a, b) -> a.start().compareTo(b.start()));
    assertReadsBack(all, seed);
  }

  @Test
  void reopen_appendsAfterEndOfWal() throws Exception {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    List<Written> first;
    try (WalWriter w = newWriter()) {
      first = writeRandom(w, r, 500, 3000);
    }
    Written last = first.get(first.size() - 1);
    List<Written> second;
    try (WalWriter w =
        WalWriter.open(
            ID,
            files(),
            TimelineId.FIRST,
            last.end(),
            last.start(),
            64 * WalFormat.PAGE_SIZE,
            Duration.ofMillis(5))) {
      w.start();
      second = writeRandom(w, r, 500, 3000);
    }
    List<Written> all = new ArrayList<>(first);
    all.addAll(second);
    assertReadsBack(all, seed);
  }

  @Test
  void switchRecord_continuesInNextSegment() throws Exception {
    long seed = 42;
    Random r = new Random(seed);
    List<Written> all = new ArrayList<>();
    try (WalWriter w = newWriter()) {
      all.addAll(writeRandom(w, r, 10, 100));
      WalInserter.InsertedRecord sw =
          w.insert(RecordKind.SWITCH, Xid.INVALID, ByteBuffer.allocate(0));
      all.add(new Written(sw.start(), sw.end(), RecordKind.SWITCH, 0, new byte[0]));
      List<Written> after = writeRandom(w, r, 10, 100);
      assertThat(after.get(0).start()).isEqualTo(SEG.startOf(2).plus(WalFormat.LONG_PAGE_HEADER));
      all.addAll(after);
    }
    assertReadsBack(all, seed);
  }

  // ---------------------------------------------------------------- crafted damage

  List<Written> writeAndClose(long seed, int n) throws Exception {
    Random r = new Random(seed);
    try (WalWriter w = newWriter()) {
      return writeRandom(w, r, n, 20_000);
    }
  }

  void poke(Lsn at, byte[] bytes) throws IOException {
    long segNo = SEG.segmentOf(at);
    try (FileChannel ch =
        FileChannel.open(files().pathOf(TimelineId.FIRST, segNo), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), SEG.offsetInSegment(at));
    }
  }

  ReadResult readUntilStop(Lsn from) throws IOException {
    try (WalReader rd = reader()) {
      rd.seek(from, Lsn.INVALID);
      while (true) {
        ReadResult res = rd.next();
        if (!(res instanceof ReadResult.Record)) {
          return res;
        }
      }
    }
  }

  @Test
  void zeroedTail_isEndOfWal() throws Exception {
    List<Written> w = writeAndClose(1, 200);
    Written last = w.get(w.size() - 1);
    // zero the last record entirely: the log now ends at its start
    poke(last.start(), new byte[(int) last.end().minus(last.start())]);
    ReadResult res = readUntilStop(w.get(0).start());
    assertThat(res).isInstanceOf(ReadResult.EndOfWal.class);
    assertThat(((ReadResult.EndOfWal) res).at()).isEqualTo(last.start());
  }

  @Test
  void tornLastRecord_isTornTail() throws Exception {
    List<Written> w = writeAndClose(2, 200);
    Written last = w.get(w.size() - 1);
    // damage the final bytes of the last record, as a partial write would
    poke(last.end().plus(-1), new byte[] {(byte) 0x5A});
    ReadResult res = readUntilStop(w.get(0).start());
    assertThat(res).isInstanceOf(ReadResult.TornTail.class);
    assertThat(((ReadResult.TornTail) res).at()).isEqualTo(last.start());
  }

  @Test
  void badRecordFollowedByValidOnes_isCorrupt() throws Exception {
    List<Written> w = writeAndClose(3, 400);
    Written mid = w.get(100);
    poke(mid.start().plus(WalFormat.RECORD_HEADER - 1), new byte[] {(byte) 0x77});
    // flip a byte inside the header's reserved area would not matter; flip the kind's neighbour
    ReadResult res = readUntilStop(w.get(0).start());
    assertThat(res).isInstanceOf(ReadResult.Corrupt.class);
    assertThat(((ReadResult.Corrupt) res).at()).isEqualTo(mid.start());
  }

  @Test
  void garbageLengthFollowedByValidPages_isCorrupt() throws Exception {
    List<Written> w = writeAndClose(4, 2000);
    Written mid = w.get(50);
    poke(mid.start(), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F});
    ReadResult res = readUntilStop(w.get(0).start());
    assertThat(res).isInstanceOf(ReadResult.Corrupt.class);
  }

  @Test
  void missingSegment_isReported() throws Exception {
    List<Written> w = writeAndClose(5, 3000);
    long lastSeg = SEG.segmentOf(w.get(w.size() - 1).end());
    assertThat(lastSeg).isGreaterThan(1);
    java.nio.file.Files.delete(files().pathOf(TimelineId.FIRST, 2));
    ReadResult res = readUntilStop(w.get(0).start());
    assertThat(res).isInstanceOf(ReadResult.MissingSegment.class);
    assertThat(((ReadResult.MissingSegment) res).segNo()).isEqualTo(2);
  }

  @Test
  void readLimit_stopsBeforeUnflushedWal() throws Exception {
    List<Written> w = writeAndClose(6, 100);
    try (WalReader rd = reader()) {
      rd.seek(w.get(0).start(), Lsn.INVALID);
      rd.setReadLimit(w.get(10).end());
      for (int i = 0; i <= 10; i++) {
        assertThat(rd.next()).isInstanceOf(ReadResult.Record.class);
      }
      assertThat(rd.next()).isInstanceOf(ReadResult.EndOfWal.class);
      rd.setReadLimit(Lsn.MAX);
      assertThat(rd.next()).isInstanceOf(ReadResult.Record.class);
    }
  }

  @Test
  void foreignSystemSegment_isCorrupt() throws Exception {
    List<Written> w = writeAndClose(7, 50);
    WalIdentity other = new WalIdentity(99, SEG);
    try (WalReader rd = new WalReader(WalSegmentSource.of(files(), TimelineId.FIRST), other)) {
      rd.seek(w.get(0).start(), Lsn.INVALID);
      ReadResult res = rd.next();
      assertThat(res).isInstanceOf(ReadResult.Corrupt.class);
      assertThat(((ReadResult.Corrupt) res).reason()).contains("different database system");
    }
  }
}
