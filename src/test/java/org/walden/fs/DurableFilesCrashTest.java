package org.walden.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.walden.fs.CrashSimulatingFileIo.CrashMode;
import org.walden.fs.CrashSimulatingFileIo.SimulatedCrashException;

/**
 * Crashes every {@link DurableFiles} operation between every two of its steps, in every {@link
 * CrashMode}, and checks what recovery would find. The sweep runs the operation with step budgets
 * 0, 1, 2, … on a fresh {@link CrashSimulatingFileIo} until one run completes; the completed run is
 * crashed too, and must show the new state. Two negative controls run the same sweep over code that
 * is known to be wrong and show that the checks do fail there.
 */
class DurableFilesCrashTest {

  static final Path DIR = Path.of("/data");
  static final Path TARGET = DIR.resolve("control");
  static final Path SOURCE = DIR.resolve("incoming");
  static final byte[] OLD = "old content, version 1".getBytes(UTF_8);
  static final byte[] NEW = "new content, version two, longer than the old one".getBytes(UTF_8);
  static final byte[] EMPTY = new byte[0];

  /** Far more steps than any operation here takes; reaching it means the sweep never ends. */
  static final int MAX_STEPS = 100;

  interface Setup {
    void prepare(CrashSimulatingFileIo io) throws IOException;
  }

  interface Op {
    void run(DurableFiles files) throws IOException;
  }

  /** One crashed run: the budget it had, whether the operation completed, what survived. */
  record Observation(long budget, CrashMode mode, boolean completed, CrashSimulatingFileIo after) {
    String where() {
      return "crash after "
          + budget
          + " steps"
          + (completed ? " (operation completed)" : "")
          + ", mode "
          + mode;
    }
  }

  static List<Observation> sweep(boolean hardLinks, Setup setup, Op op) throws IOException {
    List<Observation> out = new ArrayList<>();
    for (int budget = 0; budget <= MAX_STEPS; budget++) {
      CrashSimulatingFileIo io = new CrashSimulatingFileIo(hardLinks);
      setup.prepare(io);
      long before = io.steps();
      io.crashAfterSteps(budget);
      boolean completed;
      try {
        op.run(new DurableFiles(io));
        completed = true;
      } catch (SimulatedCrashException e) {
        completed = false;
      }
      assertThat(io.hasCrashed()).as("budget %d", budget).isEqualTo(!completed);
      if (!completed) {
        assertThat(io.steps() - before).as("steps taken before the crash").isEqualTo(budget);
      }
      for (CrashMode mode : CrashMode.values()) {
        out.add(new Observation(budget, mode, completed, io.crash(mode)));
      }
      if (completed) {
        return out;
      }
    }
    return fail("operation did not complete within %d steps", MAX_STEPS);
  }

  static List<Observation> sweep(Setup setup, Op op) throws IOException {
    return sweep(true, setup, op);
  }

  /**
   * Names what {@code path} holds after the crash: "absent", "directory", the key of the matching
   * entry of {@code known}, or "unexpected" with the bytes.
   */
  static String state(CrashSimulatingFileIo io, Path path, Map<String, byte[]> known)
      throws IOException {
    if (!io.exists(path)) {
      return "absent";
    }
    if (io.isDirectory(path)) {
      return "directory";
    }
    byte[] got = io.readAllBytes(path);
    for (Map.Entry<String, byte[]> e : known.entrySet()) {
      if (java.util.Arrays.equals(got, e.getValue())) {
        return e.getKey();
      }
    }
    return "unexpected " + got.length + " bytes: " + HexFormat.of().formatHex(got);
  }

  static final Map<String, byte[]> OLD_NEW = Map.of("OLD", OLD, "NEW", NEW);

  static void assertInterruptedRunsSeen(List<Observation> obs, String stateBefore, Path path)
      throws IOException {
    // The sweep must actually have stopped the operation early and seen the state before it;
    // otherwise the test would pass on an operation that does nothing.
    boolean seen = false;
    for (Observation o : obs) {
      if (!o.completed() && o.mode() == CrashMode.DURABLE_ONLY) {
        seen |= state(o.after(), path, OLD_NEW).equals(stateBefore);
      }
    }
    assertThat(seen).as("some interrupted run left " + stateBefore).isTrue();
  }

  // ---- atomicReplace ----

  @Test
  void atomicReplace_crashAtEveryStep_targetIsOldOrNew() throws IOException {
    List<Observation> obs =
        sweep(io -> io.writeDurably(TARGET, OLD), f -> f.atomicReplace(TARGET, NEW));
    for (Observation o : obs) {
      String s = state(o.after(), TARGET, OLD_NEW);
      assertThat(s).as(o.where()).isIn("OLD", "NEW");
      if (o.completed()) {
        assertThat(s).as(o.where()).isEqualTo("NEW");
      }
    }
    assertInterruptedRunsSeen(obs, "OLD", TARGET);
  }

  @Test
  void atomicReplace_noPreviousTarget_targetIsAbsentOrNew() throws IOException {
    List<Observation> obs =
        sweep(
            io -> {
              io.createDirectories(DIR);
              io.syncAll();
            },
            f -> f.atomicReplace(TARGET, NEW));
    for (Observation o : obs) {
      String s = state(o.after(), TARGET, OLD_NEW);
      assertThat(s).as(o.where()).isIn("absent", "NEW");
      if (o.completed()) {
        assertThat(s).as(o.where()).isEqualTo("NEW");
      }
    }
  }

  @Test
  void atomicReplace_staleTempFileFromEarlierFailure_targetIsOldOrNew() throws IOException {
    Path tmp = DIR.resolve("control.tmp");
    List<Observation> obs =
        sweep(
            io -> {
              io.writeDurably(TARGET, OLD);
              io.writeDurably(tmp, "half-written garbage".getBytes(UTF_8));
            },
            f -> f.atomicReplace(TARGET, NEW));
    for (Observation o : obs) {
      String s = state(o.after(), TARGET, OLD_NEW);
      assertThat(s).as(o.where()).isIn("OLD", "NEW");
      if (o.completed()) {
        assertThat(s).as(o.where()).isEqualTo("NEW");
        assertThat(o.after().exists(tmp)).as(o.where()).isFalse();
      }
    }
  }

  // ---- durableRename ----

  @Test
  void durableRename_crashAtEveryStep_targetOldOrNewAndNewNeverLost() throws IOException {
    List<Observation> obs =
        sweep(
            io -> {
              io.writeDurably(TARGET, OLD);
              io.writeDurably(SOURCE, NEW);
            },
            f -> f.durableRename(SOURCE, TARGET));
    assertRenamed(obs, SOURCE, TARGET, true);
    assertInterruptedRunsSeen(obs, "OLD", TARGET);
  }

  @Test
  void durableRename_acrossDirectories_newContentUnderOneNameAndSourceGoneAfterwards()
      throws IOException {
    Path from = Path.of("/data/staging/incoming");
    Path to = Path.of("/data/live/control");
    List<Observation> obs =
        sweep(
            io -> {
              io.writeDurably(to, OLD);
              io.writeDurably(from, NEW);
            },
            f -> f.durableRename(from, to));
    assertRenamed(obs, from, to, true);
  }

  /** {@code to} holds its old state or NEW; NEW is under one of the names; at the end, moved. */
  static void assertRenamed(List<Observation> obs, Path from, Path to, boolean targetExisted)
      throws IOException {
    for (Observation o : obs) {
      String t = state(o.after(), to, OLD_NEW);
      String f = state(o.after(), from, OLD_NEW);
      assertThat(t).as(o.where() + ": target").isIn(targetExisted ? "OLD" : "absent", "NEW");
      assertThat(f).as(o.where() + ": source").isIn("NEW", "absent");
      assertThat(t.equals("NEW") || f.equals("NEW"))
          .as(o.where() + ": new content under some name (target %s, source %s)", t, f)
          .isTrue();
      if (o.completed()) {
        assertThat(t).as(o.where() + ": target").isEqualTo("NEW");
        assertThat(f).as(o.where() + ": source").isEqualTo("absent");
      }
    }
  }

  // ---- durableLinkOrRename ----

  @ParameterizedTest(name = "hardLinks={0}")
  @ValueSource(booleans = {true, false})
  void durableLinkOrRename_crashAtEveryStep_newContentNeverLost(boolean hardLinks)
      throws IOException {
    List<Observation> obs =
        sweep(
            hardLinks,
            io -> io.writeDurably(SOURCE, NEW),
            f -> f.durableLinkOrRename(SOURCE, TARGET));
    assertRenamed(obs, SOURCE, TARGET, false);
  }

  @ParameterizedTest(name = "hardLinks={0}")
  @ValueSource(booleans = {true, false})
  void durableLinkOrRename_targetExists_throwsAndChangesNothing(boolean hardLinks)
      throws IOException {
    CrashSimulatingFileIo io = new CrashSimulatingFileIo(hardLinks);
    io.writeDurably(TARGET, OLD);
    io.writeDurably(SOURCE, NEW);

    assertThatThrownBy(() -> new DurableFiles(io).durableLinkOrRename(SOURCE, TARGET))
        .isInstanceOf(FileAlreadyExistsException.class);

    assertThat(io.readAllBytes(TARGET)).isEqualTo(OLD);
    assertThat(io.readAllBytes(SOURCE)).isEqualTo(NEW);
  }

  // ---- durableCreate, durableDelete, durableMkdirs ----

  @Test
  void durableCreate_crashAtEveryStep_fileAbsentOrEmptyThenPresent() throws IOException {
    Map<String, byte[]> empty = Map.of("EMPTY", EMPTY);
    List<Observation> obs =
        sweep(
            io -> {
              io.createDirectories(DIR);
              io.syncAll();
            },
            f -> f.durableCreate(TARGET));
    for (Observation o : obs) {
      String s = state(o.after(), TARGET, empty);
      assertThat(s).as(o.where()).isIn("absent", "EMPTY");
      if (o.completed()) {
        assertThat(s).as(o.where()).isEqualTo("EMPTY");
      }
    }
  }

  @Test
  void durableDelete_crashAtEveryStep_fileOldOrAbsentThenAbsent() throws IOException {
    List<Observation> obs =
        sweep(
            io -> io.writeDurably(TARGET, OLD),
            f -> assertThat(f.durableDelete(TARGET)).as("existed").isTrue());
    for (Observation o : obs) {
      String s = state(o.after(), TARGET, OLD_NEW);
      assertThat(s).as(o.where()).isIn("OLD", "absent");
      if (o.completed()) {
        assertThat(s).as(o.where()).isEqualTo("absent");
      }
    }
    assertInterruptedRunsSeen(obs, "OLD", TARGET);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/data/pg_wal", "/data/pg_wal/archive_status/deep/er"})
  void durableMkdirs_crashAtEveryStep_directoryAbsentOrPresentThenPresent(String dir)
      throws IOException {
    Path path = Path.of(dir);
    List<Observation> obs =
        sweep(
            io -> {
              io.createDirectories(DIR);
              io.syncAll();
            },
            f -> f.durableMkdirs(path));
    for (Observation o : obs) {
      String s = state(o.after(), path, Map.of());
      assertThat(s).as(o.where()).isIn("absent", "directory");
      if (o.completed()) {
        assertThat(s).as(o.where()).isEqualTo("directory");
      }
    }
  }

  // ---- negative controls: the simulator is not trivially permissive ----

  @Test
  void naiveWriteInPlace_crash_losesOrTearsContent() throws IOException {
    List<Observation> obs =
        sweep(
            io -> io.writeDurably(TARGET, OLD),
            f -> {
              try (FileChannel ch =
                  f.io()
                      .open(
                          TARGET, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                DurableFiles.writeFully(ch, ByteBuffer.wrap(NEW), 0);
              }
            });
    // The very checks the tests above make must fail here, both of them.
    List<String> torn = new ArrayList<>();
    for (Observation o : obs) {
      String s = state(o.after(), TARGET, OLD_NEW);
      if (!s.equals("OLD") && !s.equals("NEW")) {
        torn.add(o.where() + ": " + s);
      }
      if (o.completed() && o.mode() == CrashMode.DURABLE_ONLY) {
        assertThat(s).as("completed unforced write is lost on power loss").isEqualTo("OLD");
      }
    }
    assertThat(torn).as("crash points that leave neither old nor new content").isNotEmpty();
    assertThat(torn)
        .anySatisfy(t -> assertThat(t).contains("METADATA_WRITTEN_BACK").contains("0 bytes"));
  }

  @Test
  void renameOfUnforcedTempFile_crashAfterCompletion_targetEmpty() throws IOException {
    Path tmp = DIR.resolve("control.tmp");
    List<Observation> obs =
        sweep(
            io -> io.writeDurably(TARGET, OLD),
            f -> {
              try (FileChannel ch =
                  f.io().open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                DurableFiles.writeFully(ch, ByteBuffer.wrap(NEW), 0);
              }
              f.io().rename(tmp, TARGET);
              f.fsyncDirectory(DIR);
            });
    Observation last = obs.stream().filter(o -> o.completed()).findFirst().orElseThrow();
    assertThat(last.mode()).isEqualTo(CrashMode.DURABLE_ONLY);
    assertThat(state(last.after(), TARGET, OLD_NEW))
        .as("the new name is durable but the data never was")
        .isEqualTo("unexpected 0 bytes: ");
  }

  @Test
  void plainRename_withoutDirectorySync_oldNameComesBack() throws IOException {
    CrashSimulatingFileIo io = new CrashSimulatingFileIo();
    io.writeDurably(SOURCE, NEW);

    io.rename(SOURCE, TARGET);

    assertThat(io.exists(TARGET)).isTrue();
    CrashSimulatingFileIo powerLoss = io.crash();
    assertThat(powerLoss.exists(TARGET)).isFalse();
    assertThat(powerLoss.readAllBytes(SOURCE)).isEqualTo(NEW);
    CrashSimulatingFileIo processExit = io.crash(CrashMode.PROCESS_EXIT);
    assertThat(processExit.exists(SOURCE)).isFalse();
    assertThat(processExit.readAllBytes(TARGET)).isEqualTo(NEW);
  }
}
