package org.walden.replication.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellCommandTest {

  @TempDir Path tmp;

  static final Map<Character, String> VALUES =
      Map.of('p', "pg_wal/000000010000000000000003", 'f', "000000010000000000000003");

  @Test
  void substitute_replacesPlaceholdersAndPercentPercent() {
    assertThat(ShellCommand.substitute("cp %p /arch/%f", VALUES))
        .isEqualTo("cp pg_wal/000000010000000000000003 /arch/000000010000000000000003");
    assertThat(ShellCommand.substitute("echo 100%% %f", VALUES))
        .isEqualTo("echo 100% 000000010000000000000003");
    assertThat(ShellCommand.substitute("%%p is %p", VALUES))
        .isEqualTo("%p is pg_wal/000000010000000000000003");
  }

  @Test
  void substitute_leavesUnknownAndTrailingPercentAlone() {
    // %r is not defined for archive_command: PostgreSQL leaves it as it is
    assertThat(ShellCommand.substitute("x %r %z 5%", VALUES)).isEqualTo("x %r %z 5%");
    assertThat(ShellCommand.substitute("", VALUES)).isEmpty();
  }

  @Test
  void run_usesShInTheWorkingDirectory() throws Exception {
    ShellCommand.Outcome o = ShellCommand.run("pwd > out && exit 0", tmp, Duration.ofSeconds(30));
    assertThat(o.succeeded()).isTrue();
    assertThat(Files.readString(tmp.resolve("out")).trim()).isEqualTo(tmp.toRealPath().toString());
  }

  @Test
  void run_reportsExitCodesAndSignals() throws Exception {
    ShellCommand.Outcome fail = ShellCommand.run("exit 3", tmp, Duration.ofSeconds(30));
    assertThat(fail.exitCode()).isEqualTo(3);
    assertThat(fail.isSignalOrHardFailure()).isFalse();
    assertThat(fail.describe()).isEqualTo("child process exited with exit code 3");

    ShellCommand.Outcome killed = ShellCommand.run("kill -9 $$", tmp, Duration.ofSeconds(30));
    assertThat(killed.signal()).isEqualTo(9);
    assertThat(killed.isSignalOrHardFailure()).isTrue();
    assertThat(killed.describe()).isEqualTo("child process was terminated by signal 9: Killed");

    ShellCommand.Outcome missing =
        ShellCommand.run("no-such-command-walden", tmp, Duration.ofSeconds(30));
    assertThat(missing.exitCode()).isEqualTo(127);
    assertThat(missing.isSignalOrHardFailure()).isTrue();
  }

  @Test
  void run_killsACommandThatOutlivesItsLimit() throws Exception {
    long t0 = System.nanoTime();
    ShellCommand.Outcome o = ShellCommand.run("sleep 30", tmp, Duration.ofMillis(200));
    assertThat(o.timedOut()).isTrue();
    assertThat(o.succeeded()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }
}
