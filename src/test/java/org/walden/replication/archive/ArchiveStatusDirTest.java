package org.walden.replication.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;

class ArchiveStatusDirTest {

  static final WalSegmentSize SEG = new WalSegmentSize(1 << 20);

  @TempDir Path tmp;

  WalSegmentFiles segments() throws Exception {
    Path wal = tmp.resolve("pg_wal");
    Files.createDirectories(wal);
    return new WalSegmentFiles(wal, SEG, new DurableFiles(FileIo.nio()));
  }

  @Test
  void open_createsTheDirectory() throws Exception {
    ArchiveStatusDir d = ArchiveStatusDir.open(segments());
    assertThat(d.dir()).isDirectory().hasFileName("archive_status");
    assertThat(d.ready()).isEmpty();
  }

  @Test
  void markReady_thenMarkDone_renamesTheStatusFile() throws Exception {
    ArchiveStatusDir d = ArchiveStatusDir.open(segments());
    String seg = "000000010000000000000003";
    d.markReady(seg);
    assertThat(d.dir().resolve(seg + ".ready")).exists();
    assertThat(d.isReady(seg)).isTrue();
    assertThat(d.isDone(seg)).isFalse();

    d.markDone(seg);
    assertThat(d.dir().resolve(seg + ".ready")).doesNotExist();
    assertThat(d.dir().resolve(seg + ".done")).exists();
    assertThat(d.isDone(seg)).isTrue();
    assertThat(d.ready()).isEmpty();
  }

  @Test
  void markDone_withoutReady_createsDone() throws Exception {
    ArchiveStatusDir d = ArchiveStatusDir.open(segments());
    d.markDone("00000002.history");
    assertThat(d.isDone("00000002.history")).isTrue();
    d.markDone("00000002.history"); // idempotent
    assertThat(d.isDone("00000002.history")).isTrue();
  }

  @Test
  void ready_isHistoryFilesFirstThenWalOrder() throws Exception {
    ArchiveStatusDir d = ArchiveStatusDir.open(segments());
    for (String n :
        new String[] {
          "000000020000000000000005",
          "000000010000000100000000",
          "00000002.history",
          "000000010000000000000004",
          "0000000100000000000000FF"
        }) {
      d.markReady(n);
    }
    d.markDone("000000010000000000000001");
    Files.createFile(d.dir().resolve("stray.tmp"));
    assertThat(d.ready())
        .containsExactly(
            "00000002.history",
            "000000010000000000000004",
            "0000000100000000000000FF",
            "000000010000000100000000",
            "000000020000000000000005");
  }

  @Test
  void segmentRemoval_takesTheStatusFilesAlong() throws Exception {
    WalSegmentFiles segs = segments();
    ArchiveStatusDir d = ArchiveStatusDir.open(segs);
    for (long s = 1; s <= 3; s++) {
      segs.ensureExists(TimelineId.FIRST, s);
    }
    d.markDone(SEG.name(TimelineId.FIRST, 1).fileName());
    d.markDone(SEG.name(TimelineId.FIRST, 2).fileName());
    d.markReady(SEG.name(TimelineId.FIRST, 3).fileName());

    // keep from segment 3 on; allow no recycling so both old segments are deleted
    int removed = segs.removeOldSegments(SEG.startOf(3), TimelineId.FIRST, 3, 0);

    assertThat(removed).isEqualTo(2);
    assertThat(d.isDone(SEG.name(TimelineId.FIRST, 1).fileName())).isFalse();
    assertThat(d.isDone(SEG.name(TimelineId.FIRST, 2).fileName())).isFalse();
    assertThat(d.ready()).containsExactly(SEG.name(TimelineId.FIRST, 3).fileName());
  }

  @Test
  void segmentRecycling_alsoTakesTheStatusFile() throws Exception {
    WalSegmentFiles segs = segments();
    ArchiveStatusDir d = ArchiveStatusDir.open(segs);
    segs.ensureExists(TimelineId.FIRST, 1);
    segs.ensureExists(TimelineId.FIRST, 2);
    d.markDone(SEG.name(TimelineId.FIRST, 1).fileName());

    segs.removeOldSegments(SEG.startOf(2), TimelineId.FIRST, 2, 5);

    assertThat(segs.exists(TimelineId.FIRST, 1)).isFalse();
    assertThat(segs.exists(TimelineId.FIRST, 3)).as("recycled as a future segment").isTrue();
    assertThat(d.isDone(SEG.name(TimelineId.FIRST, 1).fileName())).isFalse();
    assertThat(d.hasStatus(SEG.name(TimelineId.FIRST, 3).fileName())).isFalse();
  }

  @Test
  void remove_deletesBoth() throws Exception {
    ArchiveStatusDir d = ArchiveStatusDir.open(segments());
    d.markReady("000000010000000000000007");
    d.remove("000000010000000000000007");
    assertThat(d.hasStatus("000000010000000000000007")).isFalse();
  }
}
