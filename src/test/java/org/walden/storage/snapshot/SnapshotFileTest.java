package org.walden.storage.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.storage.Fixture;
import org.walden.storage.table.Table;
import org.walden.storage.txn.CheckpointPoint;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;

class SnapshotFileTest {

  @TempDir Path dir;

  private Path writeSample(int rows) throws Exception {
    Fixture f = new Fixture();
    Table acc = f.createAccounts("acc");
    f.insertAccounts("acc", 0, rows, 3);
    Transaction late = f.rc();
    late.update(acc, 1, Fixture.account(1, 99), null);
    Path file = dir.resolve("snap");
    try (CheckpointPoint p = f.mgr.checkpointPoint()) {
      late.commit(SynchronousCommit.ON); // after C: must not be in the file
      SnapshotWriter.Written w =
          SnapshotWriter.write(f.mgr, p, file, new DurableFiles(FileIo.nio()));
      assertThat(w.rows()).isEqualTo(rows);
    }
    return file;
  }

  @Test
  void writeThenLoad_roundTripsRowsVisibleAtC() throws Exception {
    Path file = writeSample(30_000);
    SnapshotLoad l = SnapshotReader.load(file, FileIo.nio());
    assertThat(l).isInstanceOf(SnapshotLoad.Loaded.class);
    SnapshotLoad.Loaded loaded = (SnapshotLoad.Loaded) l;
    Table acc = loaded.catalog().table("acc");
    assertThat(acc.index().size()).isEqualTo(30_000);
    assertThat(Fixture.balance(acc, acc.index().get(1L).row)).isEqualTo(3);
    assertThat(loaded.rows()).isEqualTo(30_000);
    assertThat(Files.exists(dir.resolve("snap.tmp"))).isFalse();
  }

  @Test
  void load_flippedByte_isCorrupt() throws Exception {
    Path file = writeSample(5000);
    long size = Files.size(file);
    for (long pos : new long[] {3, 20, 40, size / 2, size - 3}) {
      Path copy = dir.resolve("copy" + pos);
      Files.copy(file, copy);
      try (FileChannel ch =
          FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.allocate(1);
        ch.read(b, pos);
        b.put(0, (byte) (b.get(0) ^ 0x10));
        b.rewind();
        ch.write(b, pos);
      }
      assertThat(SnapshotReader.load(copy, FileIo.nio()))
          .as("flip at %d", pos)
          .isInstanceOf(SnapshotLoad.Corrupt.class);
    }
  }

  @Test
  void load_truncated_isCorruptWithReason() throws Exception {
    Path file = writeSample(5000);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 10);
    }
    SnapshotLoad l = SnapshotReader.load(file, FileIo.nio());
    assertThat(l)
        .isInstanceOfSatisfying(
            SnapshotLoad.Corrupt.class, c -> assertThat(c.reason()).contains("ends inside"));
  }
}
