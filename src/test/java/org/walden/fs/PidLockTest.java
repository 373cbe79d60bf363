package org.walden.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PidLockTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T03:18:54Z"), ZoneOffset.UTC);

  @TempDir Path dataDir;
  private Process child;

  @AfterEach
  void stopChild() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Starts a child JVM holding the lock and waits until it reports that it does. */
  private Process startHolder() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    PidLockHolder.class.getName(),
                    dataDir.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    return child;
  }

  @Test
  void acquire_secondInSameProcessFailsWithPostgresMessage() throws IOException {
    try (PidLock first = PidLock.acquire(FileIo.nio(), dataDir, 5432, "localhost", CLOCK)) {
      DataDirectoryLockedException e =
          catchThrowableOfType(
              DataDirectoryLockedException.class,
              () -> PidLock.acquire(FileIo.nio(), dataDir, 5433, "localhost", CLOCK));
      long me = ProcessHandle.current().pid();
      assertThat(e).hasMessage("lock file \"postmaster.pid\" already exists");
      assertThat(e.hint())
          .isEqualTo(
              "Is another walden server (PID "
                  + me
                  + ") running in data directory \""
                  + dataDir.toRealPath()
                  + "\"?");
      assertThat(e.pid()).hasValue(me);
      assertThat(first.content().port()).isEqualTo(5432);
    }
    // released: it can be taken again
    try (PidLock again = PidLock.acquire(FileIo.nio(), dataDir, 5432, "localhost", CLOCK)) {
      assertThat(again.replacedStaleFile()).isFalse();
    }
  }

  @Test
  @Timeout(120)
  void acquire_failsWhileAnotherProcessHoldsTheLock() throws Exception {
    Process holder = startHolder();

    DataDirectoryLockedException e =
        catchThrowableOfType(
            DataDirectoryLockedException.class,
            () -> PidLock.acquire(FileIo.nio(), dataDir, 5432, "localhost", CLOCK));
    assertThat(e).hasMessage("lock file \"postmaster.pid\" already exists");
    assertThat(e.hint()).contains("(PID " + holder.pid() + ")");
    assertThat(e.pid()).hasValue(holder.pid());

    // status/stop learn the server from the file
    PidLock.Content c = PidLock.read(FileIo.nio(), dataDir).orElseThrow();
    assertThat(c.pid()).isEqualTo(holder.pid());
    assertThat(c.port()).isEqualTo(6543);
    assertThat(c.listenAddress()).isEqualTo("*");
    assertThat(c.status()).isEqualTo(PidLock.Status.READY);
    assertThat(c.dataDirectory()).isEqualTo(dataDir.toRealPath());
    assertThat(c.processAlive()).isTrue();

    // a clean shutdown empties the file and frees the directory
    holder.getOutputStream().close();
    assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(PidLock.read(FileIo.nio(), dataDir)).isEmpty();
    try (PidLock mine = PidLock.acquire(FileIo.nio(), dataDir, 5432, "localhost", CLOCK)) {
      assertThat(mine.replacedStaleFile()).isFalse();
    }
  }

  @Test
  @Timeout(120)
  void acquire_replacesFileLeftByCrashedServer() throws Exception {
    Process holder = startHolder();
    holder.destroyForcibly();
    assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(PidLock.read(FileIo.nio(), dataDir).orElseThrow().pid()).isEqualTo(holder.pid());

    try (PidLock mine = PidLock.acquire(FileIo.nio(), dataDir, 5432, "localhost", CLOCK)) {
      assertThat(mine.replacedStaleFile()).isTrue();
      assertThat(mine.content().pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(mine.content().status()).isEqualTo(PidLock.Status.STARTING);
    }
  }

  @Test
  void acquire_replacesStaleFileWrittenByHand() throws IOException {
    Files.writeString(
        dataDir.resolve(PidLock.FILE_NAME),
        "999999\n/some/where\n1700000000\n5432\n\nlocalhost\n\nready   \n");
    assertThat(PidLock.read(FileIo.nio(), dataDir).orElseThrow().pid()).isEqualTo(999999);
    try (PidLock mine = PidLock.acquire(FileIo.nio(), dataDir, 7000, "*", CLOCK)) {
      assertThat(mine.replacedStaleFile()).isTrue();
      assertThat(PidLock.read(FileIo.nio(), dataDir).orElseThrow().port()).isEqualTo(7000);
    }
  }

  @Test
  void setStatus_updatesContentAndRoundTrips() throws IOException {
    try (PidLock lock = PidLock.acquire(FileIo.nio(), dataDir, 5432, "localhost", CLOCK)) {
      lock.setStatus(PidLock.Status.STANDBY);
      PidLock.Content c = lock.content();
      assertThat(c.status()).isEqualTo(PidLock.Status.STANDBY);
      assertThat(c.startTime()).isEqualTo(Instant.parse("2026-11-22T03:18:54Z"));
      assertThat(PidLock.Content.parse(c.render())).contains(c);
      assertThat(c.render().lines().toList())
          .containsExactly(
              Long.toString(c.pid()),
              dataDir.toRealPath().toString(),
              "1795317534",
              "5432",
              "",
              "localhost",
              "",
              "standby ");
    }
  }

  @Test
  void read_toleratesMissingEmptyAndTornFiles() throws IOException {
    assertThat(PidLock.read(FileIo.nio(), dataDir)).isEmpty();
    Files.writeString(dataDir.resolve(PidLock.FILE_NAME), "");
    assertThat(PidLock.read(FileIo.nio(), dataDir)).isEmpty();
    Files.writeString(dataDir.resolve(PidLock.FILE_NAME), "123\n/x\n17");
    assertThat(PidLock.read(FileIo.nio(), dataDir)).isEmpty();
    assertThat(PidLock.read(FileIo.nio(), dataDir.resolve("nope"))).isEmpty();
  }
}
