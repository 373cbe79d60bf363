package org.walden.replication.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.config.ArchiveMode;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.testing.LogCapture;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentSize;

class RestoreCommandTest {

  static final WalSegmentSize SEG = new WalSegmentSize(1 << 20);
  static final String SEGMENT = "000000010000000000000005";
  static final String RESTART = "000000010000000000000002";

  @TempDir Path tmp;
  Path data;
  Path archive;
  WalSegmentFiles segments;
  ArchiveStatusDir status;

  @BeforeEach
  void setUp() throws Exception {
    data = tmp.resolve("data");
    archive = tmp.resolve("archive");
    Files.createDirectories(data.resolve("pg_wal"));
    Files.createDirectories(archive);
    segments = new WalSegmentFiles(data.resolve("pg_wal"), SEG, new DurableFiles(FileIo.nio()));
    status = ArchiveStatusDir.open(segments);
  }

  RestoreCommand restore(String command, ArchiveMode mode) {
    return new RestoreCommand(
        data, segments, status, () -> command, () -> mode, Duration.ofSeconds(30));
  }

  RestoreCommand restore(String command) {
    return restore(command, ArchiveMode.OFF);
  }

  byte[] archived(String name, int size) throws Exception {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    Files.write(archive.resolve(name), b);
    return b;
  }

  String cp() {
    return "cp " + archive + "/%f %p";
  }

  @Test
  void found_segmentIsInstalledUnderItsNameAndMarkedDone() throws Exception {
    byte[] content = archived(SEGMENT, SEG.bytes());
    try (LogCapture logs = new LogCapture(RestoreCommand.class)) {
      RestoreResult r = restore(cp()).restore(SEGMENT, RESTART);

      assertThat(r).isEqualTo(new RestoreResult.Restored(data.resolve("pg_wal").resolve(SEGMENT)));
      assertThat(logs.lines()).contains("INFO restored log file \"" + SEGMENT + "\" from archive");
    }
    assertThat(Files.readAllBytes(data.resolve("pg_wal").resolve(SEGMENT))).isEqualTo(content);
    assertThat(data.resolve("pg_wal/RECOVERYXLOG")).doesNotExist();
    assertThat(status.isDone(SEGMENT)).isTrue();
    assertThat(status.isReady(SEGMENT)).isFalse();
  }

  @Test
  void found_replacesAnExistingFile_andArchiveModeAlwaysMarksReady() throws Exception {
    byte[] content = archived(SEGMENT, SEG.bytes());
    Files.write(data.resolve("pg_wal").resolve(SEGMENT), new byte[SEG.bytes()]);
    AtomicInteger noted = new AtomicInteger();
    RestoreCommand rc = restore(cp(), ArchiveMode.ALWAYS);
    rc.beforeReady(name -> {
      assertThat(name).isEqualTo(SEGMENT);
      assertThat(status.isReady(SEGMENT)).as("told before .ready exists").isFalse();
      noted.incrementAndGet();
    });

    assertThat(rc.restore(SEGMENT, RESTART)).isInstanceOf(RestoreResult.Restored.class);

    assertThat(Files.readAllBytes(data.resolve("pg_wal").resolve(SEGMENT))).isEqualTo(content);
    assertThat(status.ready()).containsExactly(SEGMENT);
    assertThat(noted).hasValue(1);
  }

  @Test
  void placeholders_pIsRelativeToTheDataDirectory_rIsTheRestartPointFile() throws Exception {
    archived(SEGMENT, SEG.bytes());
    Path seen = tmp.resolve("seen");
    String command = "echo '%f %p %r 100%%' > " + seen + " && " + cp();

    assertThat(restore(command).restore(SEGMENT, RESTART))
        .isInstanceOf(RestoreResult.Restored.class);

    assertThat(Files.readString(seen).trim())
        .isEqualTo(SEGMENT + " pg_wal/RECOVERYXLOG " + RESTART + " 100%");
  }

  @Test
  void historyFile_isRestoredWithoutASizeCheck() throws Exception {
    Files.writeString(archive.resolve("00000002.history"), "1\t0/3000000\tno recovery target\n");

    RestoreResult r = restore(cp()).restore("00000002.history", RESTART);

    assertThat(r).isInstanceOf(RestoreResult.Restored.class);
    assertThat(Files.readString(data.resolve("pg_wal/00000002.history")))
        .startsWith("1\t0/3000000");
    assertThat(status.isDone("00000002.history")).isTrue();
  }

  @Test
  void notInArchive_isNotFound() throws Exception {
    RestoreResult r = restore("test -f " + archive + "/%f && " + cp()).restore(SEGMENT, RESTART);

    assertThat(r).isInstanceOf(RestoreResult.NotFound.class);
    assertThat(((RestoreResult.NotFound) r).detail())
        .isEqualTo(
            "could not restore file \""
                + SEGMENT
                + "\" from archive: child process exited with exit code 1");
    assertThat(data.resolve("pg_wal").resolve(SEGMENT)).doesNotExist();
    assertThat(status.hasStatus(SEGMENT)).isFalse();
  }

  @Test
  void exitZeroWithoutAFile_isNotFound() throws Exception {
    assertThat(restore("true").restore(SEGMENT, RESTART))
        .isInstanceOf(RestoreResult.NotFound.class);
  }

  @Test
  void emptyRestoreCommand_isNotFoundWithoutRunningAnything() throws Exception {
    assertThat(restore("").restore(SEGMENT, RESTART))
        .isEqualTo(new RestoreResult.NotFound("restore_command is not set"));
  }

  @Test
  void wrongSize_isFatalNamingTheFile_andLeavesNothingBehind() throws Exception {
    archived(SEGMENT, 4096);

    RestoreResult r = restore(cp()).restore(SEGMENT, RESTART);

    assertThat(r)
        .isEqualTo(
            new RestoreResult.Fatal(
                "archive file \"" + SEGMENT + "\" has wrong size: 4096 instead of 1048576"));
    assertThat(data.resolve("pg_wal/RECOVERYXLOG")).doesNotExist();
    assertThat(data.resolve("pg_wal").resolve(SEGMENT)).doesNotExist();
  }

  @Test
  void shortSegmentInStandbyMode_isNotFoundYet() throws Exception {
    archived(SEGMENT, 4096); // still being copied into the archive, as far as we can tell

    RestoreResult r = restore(cp()).restore(SEGMENT, RESTART, true);

    assertThat(r).isInstanceOf(RestoreResult.NotFound.class);
    assertThat(((RestoreResult.NotFound) r).detail()).contains("has wrong size");
  }

  @Test
  void killedBySignal_isFatal() throws Exception {
    archived(SEGMENT, SEG.bytes());

    RestoreResult r = restore(cp() + " && kill -9 $$").restore(SEGMENT, RESTART);

    assertThat(r)
        .isEqualTo(
            new RestoreResult.Fatal(
                "could not restore file \""
                    + SEGMENT
                    + "\" from archive: child process was terminated by signal 9: Killed"));
    assertThat(data.resolve("pg_wal").resolve(SEGMENT)).doesNotExist();
    assertThat(data.resolve("pg_wal/RECOVERYXLOG")).doesNotExist();
  }

  @Test
  void commandNotFound_isFatal() throws Exception {
    RestoreResult r = restore("walden-no-such-command %f %p").restore(SEGMENT, RESTART);

    assertThat(r).isInstanceOf(RestoreResult.Fatal.class);
    assertThat(((RestoreResult.Fatal) r).message()).endsWith("command not found");
  }

  @Test
  void staleTempFile_isNotMistakenForARestore() throws Exception {
    Files.write(data.resolve("pg_wal/RECOVERYXLOG"), new byte[SEG.bytes()]);

    assertThat(restore("true").restore(SEGMENT, RESTART))
        .isInstanceOf(RestoreResult.NotFound.class);
    assertThat(data.resolve("pg_wal").resolve(SEGMENT)).doesNotExist();
  }

  @Test
  void aPathInsteadOfAFileName_isRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> restore(cp()).restore("../global/control", RESTART))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
