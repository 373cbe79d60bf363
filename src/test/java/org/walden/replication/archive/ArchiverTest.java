package org.walden.replication.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.config.ArchiveMode;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.testing.LogCapture;
import org.walden.wal.Lsn;
import org.walden.wal.RecordKind;
import org.walden.wal.TimelineId;
import org.walden.wal.WalFormat;
import org.walden.wal.WalIdentity;
import org.walden.wal.WalInserter;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.WalWriter;
import org.walden.wal.Xid;

class ArchiverTest {

  static final WalSegmentSize SEG = new WalSegmentSize(1 << 20);
  static final Archiver.Timing FAST =
      new Archiver.Timing(
          Duration.ofMillis(20),
          3,
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10));

  @TempDir Path tmp;
  Path data;
  Path archive;
  WalSegmentFiles segments;
  ArchiveStatusDir status;
  final AtomicReference<String> command = new AtomicReference<>();
  final List<Archiver> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    data = tmp.resolve("data");
    archive = tmp.resolve("archive");
    Files.createDirectories(data.resolve("pg_wal"));
    Files.createDirectories(archive);
    segments = new WalSegmentFiles(data.resolve("pg_wal"), SEG, new DurableFiles(FileIo.nio()));
    status = ArchiveStatusDir.open(segments);
    command.set("cp %p " + archive + "/%f");
  }

  @AfterEach
  void tearDown() {
    started.forEach(Archiver::stopNow);
  }

  static String seg(long n) {
    return SEG.name(TimelineId.FIRST, n).fileName();
  }

  /** Writes segments from..to with distinct random content. */
  void segmentsOnDisk(long from, long to) throws Exception {
    for (long s = from; s <= to; s++) {
      byte[] b = new byte[SEG.bytes()];
      new Random(s).nextBytes(b);
      Files.write(segments.dir().resolve(seg(s)), b);
    }
  }

  Archiver archiver(Lsn completeBefore, Archiver.Timing timing) {
    return new Archiver(
        data, segments, status, command::get, () -> completeBefore, Clock.systemUTC(), timing);
  }

  Archiver start(Lsn completeBefore) throws Exception {
    Archiver a = archiver(completeBefore, FAST);
    a.start();
    started.add(a);
    return a;
  }

  void assertArchivedIdentically(String name) throws Exception {
    assertThat(archive.resolve(name)).exists();
    assertThat(Files.readAllBytes(archive.resolve(name)))
        .isEqualTo(Files.readAllBytes(segments.dir().resolve(name)));
  }

  @Test
  void startScan_marksCompleteSegmentsReady_andArchivesThemOldestFirst() throws Exception {
    segmentsOnDisk(1, 4);
    Path order = tmp.resolve("order");
    command.set("echo %f >> " + order + " && cp %p " + archive + "/%f");

    Archiver a = start(SEG.startOf(4).plus(100)); // segment 4 is the one being written

    await().until(() -> status.isDone(seg(3)));
    assertThat(Files.readAllLines(order)).containsExactly(seg(1), seg(2), seg(3));
    for (long s = 1; s <= 3; s++) {
      assertThat(status.isDone(seg(s))).isTrue();
      assertArchivedIdentically(seg(s));
    }
    assertThat(status.hasStatus(seg(4))).isFalse();
    assertThat(archive.resolve(seg(4))).doesNotExist();
    ArchiverStats.Row row = a.stats().row();
    assertThat(row.archivedCount()).isEqualTo(3);
    assertThat(row.lastArchivedWal()).isEqualTo(seg(3));
    assertThat(row.lastArchivedTime()).isNotNull();
    assertThat(row.failedCount()).isZero();
    assertThat(row.lastFailedWal()).isNull();
    assertThat(row.statsReset()).isNotNull();
    assertThat(a.oldestNeeded()).isEmpty();
  }

  @Test
  void startScan_leavesSegmentsWithAStatusAlone() throws Exception {
    segmentsOnDisk(1, 3);
    status.markDone(seg(1));
    Path order = tmp.resolve("order");
    command.set("echo %f >> " + order + " && cp %p " + archive + "/%f");

    start(SEG.startOf(3));

    await().until(() -> status.isDone(seg(2)));
    assertThat(Files.readAllLines(order)).containsExactly(seg(2));
  }

  @Test
  void failingCommand_keepsReady_holdsRetention_thenSucceedsWhenWoken() throws Exception {
    segmentsOnDisk(1, 3);
    command.set("exit 3");
    Archiver a;
    try (LogCapture logs = new LogCapture(Archiver.class)) {
      a = start(SEG.startOf(3));

      await()
          .until(() ->
              logs.lines()
                  .contains(
                      "WARN archiving write-ahead log file \""
                          + seg(1)
                          + "\" failed too many times, will try again later"));
      assertThat(logs.lines())
          .contains(
              "WARN archive command failed with exit code 3\n"
                  + "DETAIL:  The failed archive command was: exit 3");
    }
    // three tries of the oldest file, none of the later one: WAL order is never skipped
    ArchiverStats.Row row = a.stats().row();
    assertThat(row.failedCount()).isEqualTo(3);
    assertThat(row.lastFailedWal()).isEqualTo(seg(1));
    assertThat(row.lastFailedTime()).isNotNull();
    assertThat(row.archivedCount()).isZero();
    assertThat(status.ready()).containsExactly(seg(1), seg(2));
    assertThat(a.oldestNeeded()).contains(SEG.startOf(1));

    command.set("cp %p " + archive + "/%f");
    a.wake();

    await().until(() -> status.isDone(seg(2)));
    assertThat(a.oldestNeeded()).isEmpty();
    assertThat(a.stats().row().archivedCount()).isEqualTo(2);
    assertArchivedIdentically(seg(1));
  }

  @Test
  void killedCommand_isLoggedAsASignal() throws Exception {
    segmentsOnDisk(1, 2);
    command.set("kill -9 $$");
    try (LogCapture logs = new LogCapture(Archiver.class)) {
      Archiver a = start(SEG.startOf(2));

      await().until(() -> a.stats().row().failedCount() == 3);
      assertThat(logs.lines())
          .contains(
              "ERROR archive command was terminated by signal 9: Killed\n"
                  + "DETAIL:  The failed archive command was: kill -9 $$");
    }
    assertThat(status.ready()).containsExactly(seg(1));
  }

  @Test
  void segmentListener_holdsTheSegmentAtOnce_thenArchivesIt() throws Exception {
    segmentsOnDisk(1, 2);
    command.set("test -f " + tmp.resolve("go") + " && cp %p " + archive + "/%f");
    Archiver a = start(SEG.startOf(1)); // nothing complete yet
    assertThat(a.oldestNeeded()).isEmpty();

    a.segmentCompleted(SEG.name(TimelineId.FIRST, 1));

    // held before the archiver thread has even created the .ready file
    assertThat(a.oldestNeeded()).contains(SEG.startOf(1));
    // one round of 3 tries, or two if the wake came while the first pass had begun
    await().until(() -> a.stats().row().failedCount() >= 3);
    assertThat(status.ready()).containsExactly(seg(1));
    assertThat(a.oldestNeeded()).contains(SEG.startOf(1));

    Files.createFile(tmp.resolve("go"));
    a.segmentCompleted(SEG.name(TimelineId.FIRST, 2)); // the next segment wakes it

    await().until(() -> status.isDone(seg(2)));
    assertThat(status.isDone(seg(1))).isTrue();
    // the hold goes just after the .done file is written (holding a moment too long is safe)
    await().until(() -> a.oldestNeeded().isEmpty());
    assertArchivedIdentically(seg(1));
    assertArchivedIdentically(seg(2));
  }

  @Test
  void noteReady_holdsAFileInstalledFromElsewhere_andArchivesIt() throws Exception {
    segmentsOnDisk(1, 1);
    Archiver a = start(SEG.startOf(1));

    a.noteReady(seg(1));
    assertThat(a.oldestNeeded()).contains(SEG.startOf(1));
    status.markReady(seg(1));
    a.wake();

    await().until(() -> status.isDone(seg(1)));
    await().until(() -> a.oldestNeeded().isEmpty());
    assertArchivedIdentically(seg(1));
  }

  @Test
  void emptyArchiveCommand_keepsReadyFiles_andWarnsOnce() throws Exception {
    segmentsOnDisk(1, 3);
    command.set("");
    try (LogCapture logs = new LogCapture(Archiver.class)) {
      Archiver a = start(SEG.startOf(2));
      a.segmentCompleted(SEG.name(TimelineId.FIRST, 2));
      await().until(() -> status.isReady(seg(2)));
      a.wake();
      a.stop(); // the final pass has run when stop returns

      assertThat(logs.lines())
          .containsOnlyOnce("WARN archive_mode enabled, yet archive_command is not set");
    }
    assertThat(status.ready()).containsExactly(seg(1), seg(2));
  }

  @Test
  void orphanReadyFile_isRemoved() throws Exception {
    segmentsOnDisk(2, 2);
    status.markReady(seg(1)); // its segment is gone
    try (LogCapture logs = new LogCapture(Archiver.class)) {
      Archiver a = start(SEG.startOf(3));

      await().until(() -> status.isDone(seg(2)));
      assertThat(status.hasStatus(seg(1))).isFalse();
      assertThat(a.oldestNeeded()).isEmpty();
      assertThat(logs.lines())
          .contains("WARN removing orphan archive status file \"" + seg(1) + ".ready\"");
    }
  }

  @Test
  void historyFiles_areArchivedBeforeSegments() throws Exception {
    segmentsOnDisk(1, 1);
    Files.writeString(segments.dir().resolve("00000002.history"), "1\t0/100000\tx\n");
    status.markReady("00000002.history");
    Path order = tmp.resolve("order");
    command.set("echo %f >> " + order + " && cp %p " + archive + "/%f");

    start(SEG.startOf(2));

    await().until(() -> status.isDone(seg(1)));
    assertThat(Files.readAllLines(order)).containsExactly("00000002.history", seg(1));
  }

  @Test
  void stop_archivesWhatIsReadyBeforeReturning() throws Exception {
    segmentsOnDisk(1, 3);
    Archiver a = start(SEG.startOf(1));
    a.segmentCompleted(SEG.name(TimelineId.FIRST, 1));
    a.segmentCompleted(SEG.name(TimelineId.FIRST, 2));

    a.stop();

    assertThat(status.isDone(seg(1))).isTrue();
    assertThat(status.isDone(seg(2))).isTrue();
    assertArchivedIdentically(seg(2));
  }

  @Test
  void stop_isBoundedWhenTheCommandHangs() throws Exception {
    segmentsOnDisk(1, 2);
    Path running = tmp.resolve("running");
    command.set("touch " + running + " && sleep 60");
    Archiver a =
        archiver(
            SEG.startOf(2),
            new Archiver.Timing(
                Duration.ofMillis(20),
                3,
                Duration.ofSeconds(60),
                Duration.ofSeconds(120),
                Duration.ofMillis(300)));
    a.start();
    started.add(a);
    await().until(() -> Files.exists(running));

    long t0 = System.nanoTime();
    a.stop();

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(status.ready()).containsExactly(seg(1));
  }

  @Test
  void shouldRun_followsArchiveMode() {
    assertThat(Archiver.shouldRun(ArchiveMode.OFF, false)).isFalse();
    assertThat(Archiver.shouldRun(ArchiveMode.ON, false)).isTrue();
    assertThat(Archiver.shouldRun(ArchiveMode.ON, true)).isFalse();
    assertThat(Archiver.shouldRun(ArchiveMode.ALWAYS, true)).isTrue();
    assertThat(Archiver.shouldRun(ArchiveMode.ALWAYS, false)).isTrue();
  }

  @Test
  void archiveTimeout_switchesAndArchivesASegmentWithWal() throws Exception {
    WalIdentity id = new WalIdentity(42, SEG);
    try (WalWriter wal =
        WalWriter.open(
            id,
            segments,
            TimelineId.FIRST,
            SEG.startOf(1),
            Lsn.INVALID,
            64 * WalFormat.PAGE_SIZE,
            Duration.ofMillis(5))) {
      wal.start();
      Archiver a = archiver(wal.flushedUpto(), FAST);
      a.attach(wal, () -> Duration.ofMillis(200));
      a.start();
      started.add(a);
      WalInserter.InsertedRecord r =
          wal.insert(RecordKind.INSERT, Xid.of(5), ByteBuffer.allocate(100));
      wal.waitForFlush(r.end());

      await().until(() -> status.isDone(seg(1)));
      assertArchivedIdentically(seg(1));
      assertThat(SEG.segmentOf(wal.insertPosition())).isEqualTo(1); // the switch record's end
      a.stop();
    }
  }
}
