package org.walden.fs;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Test helper run in a child JVM by {@link PidLockTest}: locks the data directory given as the
 * first argument, prints {@code locked}, and holds the lock until its standard input closes, then
 * releases it normally. Killing the process instead simulates a crash.
 */
public final class PidLockHolder {

  private PidLockHolder() {}

  public static void main(String[] args) throws Exception {
    try (PidLock lock =
        PidLock.acquire(FileIo.nio(), Path.of(args[0]), 6543, "*", Clock.systemUTC())) {
      lock.setStatus(PidLock.Status.READY);
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold until the parent closes our stdin
      }
    }
  }
}
