package org.walden.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.walden.fs.FaultyFileIo.Times;

/** {@link DurableFiles} on a real file system under a full disk and a failing fsync. */
class DurableFilesFaultTest {

  @TempDir Path dir;

  Path target;
  FaultyFileIo io;
  DurableFiles files;
  final byte[] old = "the old control file".getBytes(UTF_8);

  @BeforeEach
  void setUp() throws IOException {
    target = dir.resolve("control");
    io = new FaultyFileIo(FileIo.nio());
    files = new DurableFiles(io);
    files.atomicReplace(target, old);
    io.clearForceLog();
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b); // content is irrelevant; a fixed seed keeps runs identical
    return b;
  }

  @ParameterizedTest(name = "space for {0} bytes")
  @ValueSource(ints = {0, 1, 4095, 9999})
  void atomicReplace_diskFull_throwsAndKeepsOldTarget(int space) throws IOException {
    io.failWritesAfter("**/control.tmp", space, Times.ALWAYS);

    assertThatThrownBy(() -> files.atomicReplace(target, bytes(10_000)))
        .isInstanceOf(IOException.class)
        .hasMessage("No space left on device");

    assertThat(Files.readAllBytes(target)).isEqualTo(old);
    assertThat(io.list(dir)).isSubsetOf("control", "control.tmp").contains("control");
    assertThat(io.forceCount("**/control*")).as("nothing forced after the failed write").isZero();
  }

  @Test
  void atomicReplace_diskFullOnceThenFreed_nextReplaceSucceedsOverLeftover() throws IOException {
    io.failWritesAfter("**/control.tmp", 100, Times.ONCE);
    byte[] content = bytes(1000);
    assertThatThrownBy(() -> files.atomicReplace(target, content))
        .hasMessage("No space left on device");

    files.atomicReplace(target, content);

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(io.list(dir)).containsExactly("control");
  }

  @Test
  void atomicReplace_writesToOtherFiles_notAffectedByFault() throws IOException {
    io.failWritesAfter("**/elsewhere*", 0, Times.ALWAYS);
    byte[] content = bytes(5000);

    files.atomicReplace(target, content);

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
  }

  @Test
  void atomicReplace_tempFileForceFails_propagatesWithoutRetry() throws IOException {
    // ONCE: a retry would succeed and the replace would complete, hiding the failure.
    io.failForce("**/control.tmp", Times.ONCE);

    assertThatThrownBy(() -> files.atomicReplace(target, bytes(100)))
        .isInstanceOf(IOException.class)
        .hasMessage("Input/output error");

    assertThat(io.forceCount("**/control.tmp")).isEqualTo(1);
    assertThat(io.forceLog()).as("nothing forced after the failure").hasSize(1);
    assertThat(Files.readAllBytes(target)).isEqualTo(old);
  }

  @Test
  void atomicReplace_targetForceFailsAfterRename_propagatesWithoutRetryOrDirectorySync()
      throws IOException {
    io.failForce("**/control", Times.ONCE);

    assertThatThrownBy(() -> files.atomicReplace(target, bytes(100)))
        .hasMessage("Input/output error");

    assertThat(io.forceCount("**/control")).isEqualTo(1);
    assertThat(io.forceCount(p -> p.equals(dir.toAbsolutePath().normalize())))
        .as("the directory is not forced after a failed file force")
        .isZero();
  }

  @Test
  void durableRename_directorySyncFails_propagatesWithoutRetry() throws IOException {
    Path from = dir.resolve("incoming");
    Files.write(from, bytes(10));
    Path normalizedDir = dir.toAbsolutePath().normalize();
    io.failForce(p -> p.equals(normalizedDir), Times.ONCE);

    assertThatThrownBy(() -> files.durableRename(from, target)).hasMessage("Input/output error");

    assertThat(io.forceCount(p -> p.equals(normalizedDir))).isEqualTo(1);
  }

  @Test
  void faultyFileIo_diskFullAfterK_shortWriteThenFailure() throws IOException {
    Path p = dir.resolve("data");
    io.failWritesAfter("**/data", 3, Times.ALWAYS);
    try (var ch =
        io.open(
            p, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes(10));

      assertThat(ch.write(buf)).as("short write up to the limit").isEqualTo(3);
      assertThat(buf.position()).isEqualTo(3);
      assertThatThrownBy(() -> ch.write(buf)).hasMessage("No space left on device");
      assertThatThrownBy(() -> ch.write(buf))
          .as("ALWAYS keeps failing")
          .isInstanceOf(IOException.class);
    }
    assertThat(Files.size(p)).isEqualTo(3);
  }
}
