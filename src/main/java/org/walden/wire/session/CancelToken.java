package org.walden.wire.session;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
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
 * <p><b>Terminate</b> (PostgreSQL's {@code ProcDiePending}: pg_terminate_backend, fast shutdown):
 * {@link #terminate} sets a sticky flag and, unless the session is parked in an interruptible wait
 * (a synchronous replication wait, {@link #parkHere}), runs the close action the wire session
 * installed (closing the socket ends the session at its next read or write). A parked session is
 * unparked instead, so it can send its warning before it closes the connection itself.
 *
 * <p>Thread-safe: set by a cancelling connection's thread, read and cleared by the session thread.
 */
public final class CancelToken {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition cancelled = lock.newCondition();
  private volatile boolean requested; // written under lock, read without
  private volatile boolean terminating; // sticky once set
  private volatile Thread parked; // the session thread while in an interruptible wait, else null
  private volatile Runnable closer = () -> {}; // set once by the wire session

  /** Installs what {@link #terminate} runs when the session is not parked (close the socket). */
  void onTerminate(Runnable close) {
    this.closer = close;
  }

  /** Whether the session was asked to end (pg_terminate_backend, shutdown). */
  public boolean isTerminating() {
    return terminating;
  }

  /**
   * Marks {@code t} (the session thread) as parked in an interruptible wait, or clears the mark
   * (null): a cancel or terminate then unparks it. Check the flags after setting the mark.
   */
  public void parkHere(Thread t) {
    parked = t;
  }

  /** Asks the session to end: unparks it if it waits interruptibly, else closes its connection. */
  public void terminate() {
    terminating = true;
    lock.lock();
    try {
      cancelled.signalAll();
    } finally {
      lock.unlock();
    }
    Thread p = parked;
    if (p != null) {
      LockSupport.unpark(p);
    } else {
      closer.run();
    }
  }

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
    Thread p = parked;
    if (p != null) {
      LockSupport.unpark(p);
    }
  }

  /** Clears a pending cancel (the session starts a command, or has consumed the cancel). */
  public void reset() {
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
