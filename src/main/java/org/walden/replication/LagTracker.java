package org.walden.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;

/**
 * PostgreSQL's walsender lag tracking ({@code LagTrackerWrite}/{@code LagTrackerRead} in
 * walsender.c): when WAL up to an LSN is sent, a sample (LSN, time) goes into a ring; when the
 * standby reports a write, flush or apply position, the samples it has passed are consumed and the
 * lag is "now minus the time the newest passed sample was taken".
 *
 * <p>PostgreSQL's rules, kept: a sample is taken only when the LSN moved; a full ring overwrites
 * its newest sample (so the sampling rate drops instead of the oldest data); with no sample passed
 * the lag is interpolated between the last passed sample and the next one, or, if nothing was
 * passed since the ring ran empty, it is the age of the next sample (so a stuck standby shows a
 * growing lag); a ring the reader has fully consumed forgets its last sample (no stale
 * interpolation after idleness); a clock going backwards gives "unknown".
 *
 * <p>Confined to the walsender thread (not thread-safe). The clock is injected for tests.
 */
public final class LagTracker {

  /** The three reported positions, each with its own read head. */
  public enum Mode {
    WRITE,
    FLUSH,
    APPLY
  }

  static final int BUFFER_SIZE = 8192;

  private final Clock clock;
  private final long[] lsns;
  private final long[] times;
  private final int[] readHeads = new int[Mode.values().length];
  private final long[] lastReadLsn = new long[Mode.values().length];
  private final long[] lastReadTime = new long[Mode.values().length];
  private int writeHead;
  private long lastLsn;

  public LagTracker(Clock clock) {
    this(clock, BUFFER_SIZE);
  }

  LagTracker(Clock clock, int bufferSize) {
    this.clock = clock;
    this.lsns = new long[bufferSize];
    this.times = new long[bufferSize];
  }

  /** Records that WAL up to {@code lsn} was sent (or flushed locally) now. */
  public void write(Lsn lsn) {
    write(lsn, clock.instant());
  }

  void write(Lsn lsn, Instant at) {
    if (lsn.value() == lastLsn) {
      return;
    }
    lastLsn = lsn.value();
    int n = lsns.length;
    int newHead = (writeHead + 1) % n;
    boolean full = false;
    for (int h : readHeads) {
      if (newHead == h) {
        full = true;
      }
    }
    if (full) {
      // rewind by one and overwrite the newest sample: a lower sampling rate, as PostgreSQL does
      newHead = writeHead;
      writeHead = writeHead > 0 ? writeHead - 1 : n - 1;
    }
    lsns[writeHead] = lsn.value();
    times[writeHead] = micros(at);
    writeHead = newHead;
  }

  /**
   * The lag of a standby position reported now: empty when unknown (PostgreSQL's -1, a NULL in
   * {@code pg_stat_replication}).
   */
  public Optional<Duration> read(Mode mode, Lsn lsn) {
    return read(mode, lsn, clock.instant());
  }

  Optional<Duration> read(Mode mode, Lsn lsn, Instant nowInstant) {
    int m = mode.ordinal();
    long now = micros(nowInstant);
    long time = 0;
    int n = lsns.length;
    while (readHeads[m] != writeHead
        && Long.compareUnsigned(lsns[readHeads[m]], lsn.value()) <= 0) {
      time = times[readHeads[m]];
      lastReadLsn[m] = lsns[readHeads[m]];
      lastReadTime[m] = times[readHeads[m]];
      readHeads[m] = (readHeads[m] + 1) % n;
    }
    if (readHeads[m] == writeHead) {
      lastReadTime[m] = 0; // consumed everything: forget it, no stale interpolation later
    }
    if (time > now) {
      return Optional.empty(); // the clock went backwards
    }
    if (time == 0) {
      if (readHeads[m] == writeHead) {
        return Optional.empty(); // no future sample to interpolate towards
      }
      long nextLsn = lsns[readHeads[m]];
      long nextTime = times[readHeads[m]];
      if (lastReadTime[m] != 0) {
        long prevLsn = lastReadLsn[m];
        long prevTime = lastReadTime[m];
        if (Long.compareUnsigned(lsn.value(), prevLsn) < 0 || prevTime > nextTime) {
          return Optional.empty(); // went backwards (timeline change) or clock did
        }
        double fraction = (double) (lsn.value() - prevLsn) / (double) (nextLsn - prevLsn);
        time = (long) (prevTime + (nextTime - prevTime) * fraction);
      } else {
        time = nextTime; // only a future sample: the lag if it were reached now
      }
    }
    return Optional.of(Duration.ofNanos((now - time) * 1_000L));
  }

  private static long micros(Instant t) {
    return PgTimestamp.of(t).micros();
  }
}
