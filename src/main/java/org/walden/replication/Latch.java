package org.walden.replication;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * PostgreSQL's latch for one walsender: any thread may {@link #set} it (new WAL flushed, a client
 * message queued, a stop request); the walsender sleeps in {@link #await} until it is set or a
 * timeout passes, and the wait clears it. A set that happens while the walsender is busy is not
 * lost: the next wait returns at once. Thread-safe.
 */
final class Latch {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
  private boolean set; // guarded by lock

  void set() {
    lock.lock();
    try {
      set = true;
      signalled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until set or {@code timeout} passes; clears the latch. Returns whether it was set. */
  boolean await(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (!set && nanos > 0) {
        nanos = signalled.awaitNanos(nanos);
      }
      boolean was = set;
      set = false;
      return was;
    } finally {
      lock.unlock();
    }
  }
}
