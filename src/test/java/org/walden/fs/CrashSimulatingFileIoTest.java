package org.walden.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.CrashSimulatingFileIo.CrashMode;
import org.walden.fs.CrashSimulatingFileIo.SimulatedCrashException;

/** The simulator's own model: what survives which crash, the step budget, channel semantics. */
class CrashSimulatingFileIoTest {

  static final Path DIR = Path.of("/d");
  static final Path FILE = DIR.resolve("f");
  static final byte[] A = "aaaa".getBytes(UTF_8);
  static final byte[] B = "bbbbbbbb".getBytes(UTF_8);

  CrashSimulatingFileIo io = new CrashSimulatingFileIo();

  static void write(FileChannel ch, byte[] b, long pos) throws IOException {
    DurableFiles.writeFully(ch, ByteBuffer.wrap(b), pos);
  }

  FileChannel create(Path p) throws IOException {
    return io.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  @Test
  void forcedFile_nameNeverSynced_vanishes() throws IOException {
    io.createDirectories(DIR);
    io.syncAll();
    try (FileChannel ch = create(FILE)) {
      write(ch, A, 0);
      ch.force(true);
    }

    assertThat(io.crash().exists(FILE)).isFalse();
    assertThat(io.crash(CrashMode.METADATA_WRITTEN_BACK).readAllBytes(FILE)).isEqualTo(A);
  }

  @Test
  void syncedName_unforcedData_comesBackEmpty() throws IOException {
    io.createDirectories(DIR);
    io.syncAll();
    try (FileChannel ch = create(FILE)) {
      write(ch, A, 0);
    }
    io.syncDirectory(DIR);

    assertThat(io.crash().readAllBytes(FILE)).isEmpty();
    assertThat(io.crash(CrashMode.METADATA_WRITTEN_BACK).readAllBytes(FILE))
        .as("length survives, bytes do not")
        .containsOnly(0)
        .hasSize(A.length);
    assertThat(io.crash(CrashMode.PROCESS_EXIT).readAllBytes(FILE)).isEqualTo(A);
  }

  @Test
  void durableName_keepsForcedContentNotLaterWrites() throws IOException {
    io.writeDurably(FILE, A);
    try (FileChannel ch = io.open(FILE, StandardOpenOption.WRITE)) {
      write(ch, B, 0);
    }

    assertThat(io.readAllBytes(FILE)).isEqualTo(B);
    assertThat(io.crash().readAllBytes(FILE)).isEqualTo(A);
  }

  @Test
  void durableEntry_survivesUnsyncedDelete() throws IOException {
    io.writeDurably(FILE, A);
    io.delete(FILE);

    assertThat(io.exists(FILE)).isFalse();
    assertThat(io.crash().readAllBytes(FILE)).isEqualTo(A);
    assertThat(io.crash(CrashMode.PROCESS_EXIT).exists(FILE)).isFalse();
  }

  @Test
  void hardLinks_shareContentAfterCrash() throws IOException {
    Path other = DIR.resolve("g");
    io.writeDurably(FILE, A);
    io.link(FILE, other);
    io.syncDirectory(DIR);

    CrashSimulatingFileIo after = io.crash();
    try (FileChannel ch = after.open(other, StandardOpenOption.WRITE)) {
      write(ch, B, 0);
    }

    assertThat(after.readAllBytes(FILE)).as("one node under two names").isEqualTo(B);
    assertThatThrownBy(() -> io.link(FILE, other)).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void withoutHardLinks_linkUnsupported() throws IOException {
    CrashSimulatingFileIo noLinks = new CrashSimulatingFileIo(false);
    noLinks.writeDurably(FILE, A);

    assertThatThrownBy(() -> noLinks.link(FILE, DIR.resolve("g")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void stepBudget_spent_refusesEveryOperationAfterwards() throws IOException {
    io.writeDurably(FILE, A);
    io.crashAfterSteps(1);
    FileChannel ch = io.open(FILE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    write(ch, B, 0); // the one allowed step

    assertThatThrownBy(() -> ch.force(true))
        .isInstanceOf(SimulatedCrashException.class)
        .hasMessage("simulated crash");
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), 0))
        .isInstanceOf(SimulatedCrashException.class);
    assertThatThrownBy(() -> io.list(DIR)).isInstanceOf(SimulatedCrashException.class);
    assertThatThrownBy(() -> io.exists(FILE)).isInstanceOf(UncheckedIOException.class);
    assertThat(io.hasCrashed()).isTrue();
    assertThat(io.crash().readAllBytes(FILE)).as("the refused force did nothing").isEqualTo(A);
  }

  @Test
  void stepBudget_nonMutatingOperations_areNotSteps() throws IOException {
    io.writeDurably(FILE, A);
    io.crashAfterSteps(0);

    assertThat(io.exists(FILE)).isTrue();
    assertThat(io.list(DIR)).containsExactly("f");
    assertThat(io.delete(DIR.resolve("missing"))).isFalse();
    try (FileChannel ch = io.open(FILE, StandardOpenOption.READ)) {
      assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(A.length);
    }
    assertThat(io.hasCrashed()).isFalse();
    assertThatThrownBy(() -> io.delete(FILE)).isInstanceOf(SimulatedCrashException.class);
  }

  @Test
  void channel_modesAndLimits() throws IOException {
    io.writeDurably(FILE, A);
    try (FileChannel ro = io.open(FILE, StandardOpenOption.READ)) {
      assertThatThrownBy(() -> ro.write(ByteBuffer.wrap(B)))
          .isInstanceOf(NonWritableChannelException.class);
      assertThatThrownBy(() -> ro.map(FileChannel.MapMode.READ_ONLY, 0, 1))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> ro.lock()).isInstanceOf(UnsupportedOperationException.class);
      assertThat(ro.read(ByteBuffer.allocate(1), A.length)).isEqualTo(-1);
    }
    try (FileChannel ap = io.open(FILE, StandardOpenOption.APPEND)) {
      ap.write(ByteBuffer.wrap(B));
    }
    assertThat(io.size(FILE)).isEqualTo(A.length + B.length);
    assertThatThrownBy(() -> io.open(DIR.resolve("nope"), StandardOpenOption.READ))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> create(FILE)).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void channel_transferBetweenSimulatedFiles() throws IOException {
    byte[] big = new byte[200_000];
    new Random(7).nextBytes(big);
    io.writeDurably(FILE, big);
    Path copy = DIR.resolve("copy");
    try (FileChannel src = io.open(FILE, StandardOpenOption.READ);
        FileChannel src2 = io.open(FILE, StandardOpenOption.READ);
        FileChannel dst = create(copy)) {
      assertThat(src.transferTo(0, big.length, dst)).isEqualTo(big.length);
      assertThat(dst.transferFrom(src2, 10, 5)).isEqualTo(5);
    }
    byte[] expected = big.clone();
    System.arraycopy(big, 0, expected, 10, 5);
    assertThat(io.readAllBytes(copy)).isEqualTo(expected);
  }

  /** Random writes, truncates, reads and positions on a simulated and a real channel agree. */
  @Test
  void channel_randomOperations_matchRealFileChannel(@TempDir Path tmp) throws IOException {
    // Replay a failure with -Dwalden.fs.seed=<seed from the message>.
    long seed = Long.getLong("walden.fs.seed", new Random().nextLong());
    Random r = new Random(seed);
    String why = "seed " + seed;
    io.createDirectories(DIR);
    try (FileChannel sim =
            io.open(
                FILE,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileChannel real =
            FileChannel.open(
                tmp.resolve("f"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
      for (int i = 0; i < 2000; i++) {
        int op = r.nextInt(6);
        long pos = r.nextInt(5000);
        byte[] b = new byte[r.nextInt(300)];
        r.nextBytes(b);
        switch (op) {
          case 0 ->
              assertThat(sim.write(ByteBuffer.wrap(b)))
                  .as(why)
                  .isEqualTo(real.write(ByteBuffer.wrap(b)));
          case 1 ->
              assertThat(sim.write(ByteBuffer.wrap(b), pos))
                  .as(why)
                  .isEqualTo(real.write(ByteBuffer.wrap(b), pos));
          case 2 -> {
            sim.truncate(pos);
            real.truncate(pos);
          }
          case 3 -> {
            sim.position(pos);
            real.position(pos);
          }
          case 4 -> {
            ByteBuffer x = ByteBuffer.allocate(b.length);
            ByteBuffer y = ByteBuffer.allocate(b.length);
            assertThat(sim.read(x, pos)).as(why).isEqualTo(real.read(y, pos));
            assertThat(x.array()).as(why).isEqualTo(y.array());
          }
          default -> {
            ByteBuffer x = ByteBuffer.allocate(b.length);
            ByteBuffer y = ByteBuffer.allocate(b.length);
            assertThat(sim.read(x)).as(why).isEqualTo(real.read(y));
            assertThat(x.array()).as(why).isEqualTo(y.array());
          }
        }
        assertThat(sim.position()).as(why + " op " + op).isEqualTo(real.position());
        assertThat(sim.size()).as(why + " op " + op).isEqualTo(real.size());
      }
      byte[] all = new byte[(int) real.size()];
      DurableFiles.readFully(real, ByteBuffer.wrap(all), 0);
      assertThat(Arrays.equals(io.readAllBytes(FILE), all)).as(why).isTrue();
    }
  }
}
