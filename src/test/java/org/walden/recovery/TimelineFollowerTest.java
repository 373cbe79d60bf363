package org.walden.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineHistory;
import org.walden.wal.TimelineHistoryFiles;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;

class TimelineFollowerTest {

  static final TimelineId T1 = TimelineId.FIRST;
  static final TimelineId T2 = new TimelineId(2);
  static final Lsn FORK = Lsn.parse("0/3000000");

  @TempDir Path dir;

  private TimelineHistoryFiles files() {
    return new TimelineHistoryFiles(
        new WalSegmentFiles(dir, WalSegmentSize.DEFAULT, new DurableFiles(FileIo.nio())));
  }

  private void writeT2(TimelineHistoryFiles f) throws IOException {
    f.write(TimelineHistory.root(T1).child(T2, FORK, "r"));
  }

  @Test
  void latest_followsAChildThatForkedAtOrAfterTheReplayPosition() throws Exception {
    TimelineHistoryFiles f = files();
    TimelineFollower follower =
        TimelineFollower.startingAt(f, T1, "latest", Lsn.parse("0/1000000"));
    assertThat(follower.current()).isEqualTo(T1);
    writeT2(f);
    assertThat(follower.rescan(FORK)).contains(T2);
    assertThat(follower.current()).isEqualTo(T2);
    assertThat(follower.history().switchPoint(T1)).contains(FORK);
    // a restart finds it at once
    assertThat(TimelineFollower.startingAt(f, T1, "latest", Lsn.parse("0/1000000")).current())
        .isEqualTo(T2);
  }

  @Test
  void aChildThatForkedBeforeTheReplayPosition_isRefused() throws Exception {
    TimelineHistoryFiles f = files();
    TimelineFollower follower =
        TimelineFollower.startingAt(f, T1, "latest", Lsn.parse("0/1000000"));
    writeT2(f);
    assertThat(follower.rescan(FORK.plus(1))).isEmpty();
    assertThat(follower.current()).isEqualTo(T1);
  }

  @Test
  void current_neverSwitches_andANamedTimelineMustExist() throws Exception {
    TimelineHistoryFiles f = files();
    writeT2(f);
    TimelineFollower current = TimelineFollower.startingAt(f, T1, "current", Lsn.parse("0/100"));
    assertThat(current.rescan(Lsn.parse("0/100"))).isEmpty();
    assertThat(current.current()).isEqualTo(T1);
    assertThat(TimelineFollower.startingAt(f, T1, "2", Lsn.parse("0/100")).current()).isEqualTo(T2);
    assertThatThrownBy(() -> TimelineFollower.startingAt(f, T1, "3", Lsn.parse("0/100")))
        .hasMessage("recovery target timeline 3 does not exist");
  }
}
