package org.walden.wal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A WAL position that only moves forward, with waiting: "wake me when it has passed X". The shared
 * state between a producer of WAL positions (the WAL writer's {@code flushedUpto}, a walreceiver's
 * {@code flushedUpto}, recovery's {@code replayedUpto}) and the threads that wait on them
 * (walsenders, recovery, synchronous-replication waiters). No polling: waiters sleep on a condition
 * signalled by {@link #advance}.
 *
 * <p>Thread-safe. {@link #get} is a volatile read and takes no lock. {@link #close} wakes every
 * waiter for good (shutdown), after which waits return at once.
 */
public final class LsnWatermark {

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition moved = lock.newCondition();

  /** Written under {@code lock}, read without it. */
  private volatile Lsn position;

  /** Set once under {@code lock}. */
  private volatile boolean closed;

  /** Counts {@link #wakeWaiters} calls; guarded by {@code lock}. */
  private long wakeups;

  public LsnWatermark(String name, Lsn initial) {
    this.name = name;
    this.position = initial;
  }

  public Lsn get() {
    return position;
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Moves the position to {@code to} and wakes the waiters; a position equal to the current one is
   * a no-op.
   *
   * @throws IllegalArgumentException if {@code to} is before the current position
   */
  public void advance(Lsn to) {
    lock.lock();
    try {
      if (to.isBefore(position)) {
        throw new IllegalArgumentException(
            name + " cannot move backward from " + position + " to " + to);
      }
      if (to.equals(position)) {
        return;
      }
      position = to;
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** As {@link #advance}, ignoring a {@code to} that is not ahead. */
  public void advanceIfAhead(Lsn to) {
    lock.lock();
    try {
      if (to.isAfter(position)) {
        position = to;
        moved.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiter and makes future waits return at once. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the current waiters return now, unchanged (a promotion request must not wait for a stream
   * wait's timeout); later waits are not affected.
   */
  public void wakeWaiters() {
    lock.lock();
    try {
      wakeups++;
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the position is at or after {@code target}, the timeout passes, the watermark is
   * closed, or {@link #wakeWaiters} is called; returns the position then (compare it with {@code
   * target} to tell which).
   */
  public Lsn awaitAtLeast(Lsn target, Duration timeout) throws InterruptedException {
    Lsn now = position;
    if (now.isAtOrAfter(target) || closed) {
      return now;
    }
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      long w = wakeups;
      while (!position.isAtOrAfter(target) && !closed && nanos > 0 && wakeups == w) {
        nanos = moved.awaitNanos(nanos);
      }
      return position;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the position is after {@code than}; see {@link #awaitAtLeast}. */
  public Lsn awaitBeyond(Lsn than, Duration timeout) throws InterruptedException {
    return awaitAtLeast(than.plus(1), timeout);
  }

  @Override
  public String toString() {
    return name + "=" + position;
  }
}
