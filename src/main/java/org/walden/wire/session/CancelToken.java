package org.walden.wire.session;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.SqlState;

/**
 * A session's query-cancel flag (PostgreSQL's {@code QueryCancelPending}). A CancelRequest on
 * another connection sets it; the session clears it when it starts each command, so a cancel that
 * arrives while the session is idle does not hit the next query (PostgreSQL ignores it then too).
 *
 * <p>The SQL layer polls {@link #throwIfCancelled} at safe points of long work, or waits with
 * {@link #awaitCancel} where it would otherwise block.
 *
 * <p>Thread-safe: set by a cancelling connection's thread, read and cleared by the session thread.
 */
public final class CancelToken {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition cancelled = lock.newCondition();
  private volatile boolean requested; // written under lock, read without

  /** The error a cancelled statement ends with. */
  public static PgError canceledError() {
    return PgError.error(SqlState.QUERY_CANCELED, "canceling statement due to user request");
  }

  public boolean isCancelled() {
    return requested;
  }

  /**
   * @throws PgException 57014 "canceling statement due to user request" if a cancel is pending (and
   *     clears it, so the error is raised once)
   */
  public void throwIfCancelled() {
    if (requested) {
      reset();
      throw canceledError().toException();
    }
  }

  /**
   * Waits until a cancel arrives or the timeout passes.
   *
   * @return true if cancelled
   */
  public boolean awaitCancel(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (!requested) {
        if (nanos <= 0) {
          return false;
        }
        nanos = cancelled.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  void cancel() {
    lock.lock();
    try {
      requested = true;
      cancelled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void reset() {
    if (requested) {
      lock.lock();
      try {
        requested = false;
      } finally {
        lock.unlock();
      }
    }
  }
}
