package org.walden.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;

class TimelineHistoryTest {

  private static final TimelineId T1 = TimelineId.FIRST;
  private static final TimelineId T2 = new TimelineId(2);
  private static final TimelineId T3 = new TimelineId(3);

  @Test
  void childHistory_isPostgresFileFormat_andParsesBack() {
    TimelineHistory h2 =
        TimelineHistory.root(T1)
            .child(T2, Lsn.parse("0/5CD0440"), TimelineHistory.NO_RECOVERY_TARGET);
    assertThat(new String(h2.fileContent(), StandardCharsets.UTF_8))
        .isEqualTo("1\t0/5CD0440\tno recovery target specified\n");
    TimelineHistory h3 = h2.child(T3, Lsn.parse("0/7000100"), "x");
    assertThat(new String(h3.fileContent(), StandardCharsets.UTF_8))
        .isEqualTo("1\t0/5CD0440\tno recovery target specified\n2\t0/7000100\tx\n");
    assertThat(TimelineHistory.parse(T3, h3.fileContent())).isEqualTo(h3);
    assertThat(TimelineHistory.fileName(T3)).isEqualTo("00000003.history");
  }

  @Test
  void answersWhichTimelineHoldsAnLsn_andSwitchPoints() {
    TimelineHistory h =
        TimelineHistory.parse(T3, "1\t0/5CD0440\tr\n\n# comment\n2\t0/7000100\tr\n".getBytes());
    assertThat(h.current()).isEqualTo(T3);
    assertThat(h.timelineOf(Lsn.parse("0/100"))).isEqualTo(T1);
    assertThat(h.timelineOf(Lsn.parse("0/5CD043F"))).isEqualTo(T1);
    assertThat(h.timelineOf(Lsn.parse("0/5CD0440"))).isEqualTo(T2);
    assertThat(h.timelineOf(Lsn.parse("0/7000100"))).isEqualTo(T3);
    assertThat(h.switchPoint(T1)).contains(Lsn.parse("0/5CD0440"));
    assertThat(h.switchPoint(T2)).contains(Lsn.parse("0/7000100"));
    assertThat(h.switchPoint(T3)).isEmpty();
    assertThat(h.nextAfter(T1)).contains(T2);
    assertThat(h.contains(new TimelineId(4))).isFalse();
  }

  @Test
  void segmentHoldingASwitchPoint_isReadFromTheChildFirst() {
    WalSegmentSize seg = WalSegmentSize.DEFAULT;
    TimelineHistory h = TimelineHistory.parse(T2, "1\t0/5CD0440\tr\n".getBytes());
    assertThat(h.timelinesForSegment(4, seg)).containsExactly(T1);
    assertThat(h.timelinesForSegment(5, seg)).containsExactly(T2, T1);
    assertThat(h.timelinesForSegment(6, seg)).containsExactly(T2);
  }

  @Test
  void badFiles_areRefusedWithTheLine() {
    assertThatThrownBy(() -> TimelineHistory.parse(T2, "1\n".getBytes()))
        .hasMessageContaining("syntax error in history file: 1");
    assertThatThrownBy(() -> TimelineHistory.parse(T2, "2\t0/10\tr\n".getBytes()))
        .hasMessageContaining("less than child");
    assertThatThrownBy(() -> TimelineHistory.parse(T3, "2\t0/10\tr\n1\t0/20\tr\n".getBytes()))
        .hasMessageContaining("increasing");
  }

  @Test
  void files_writeDurably_readBack_andFindNewest(@TempDir Path dir) throws Exception {
    WalSegmentFiles segs =
        new WalSegmentFiles(dir, WalSegmentSize.DEFAULT, new DurableFiles(FileIo.nio()));
    TimelineHistoryFiles files = new TimelineHistoryFiles(segs);
    assertThat(files.read(T2)).isInstanceOf(TimelineHistoryFiles.Read.Missing.class);
    TimelineHistory h2 = TimelineHistory.root(T1).child(T2, Lsn.parse("0/3000028"), "r");
    files.write(h2);
    assertThat(Files.readString(dir.resolve("00000002.history"))).isEqualTo("1\t0/3000028\tr\n");
    assertThat(files.read(T2)).isEqualTo(new TimelineHistoryFiles.Read.Found(h2));
    assertThat(files.newestDescendant(T1)).isEqualTo(T2);
    assertThat(files.highest(T1)).isEqualTo(T2);
    Files.writeString(dir.resolve("00000003.history"), "garbage");
    assertThat(files.read(T3)).isInstanceOf(TimelineHistoryFiles.Read.Corrupt.class);
    assertThat(files.newestDescendant(T1)).isEqualTo(T2);
    assertThat(List.of(files.highest(T1))).containsExactly(T3);
  }
}
