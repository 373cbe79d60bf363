package org.walden.recovery;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pausing WAL replay ({@code pg_wal_replay_pause()} / {@code pg_wal_replay_resume()}, PostgreSQL's
 * {@code recoveryPauseState}): a session asks for a pause, the recovery thread notices it between
 * two records, reports "paused" and waits on a condition until a resume or a stop. Only replay
 * waits; the walreceiver goes on receiving and flushing WAL.
 *
 * <p>Shared between sessions (request, resume, read the state) and the recovery thread (waits);
 * {@code state} is guarded by {@code lock}, and {@code changed} is signalled on every change.
 */
public final class RecoveryPause {

  private static final Logger log = LoggerFactory.getLogger(RecoveryPause.class);

  /** {@code pg_get_wal_replay_pause_state()}'s three answers. */
  public enum State {
    NOT_PAUSED("not paused"),
    PAUSE_REQUESTED("pause requested"),
    PAUSED("paused");

    private final String text;

    State(String text) {
      this.text = text;
    }

    /** As PostgreSQL prints it. */
    public String text() {
      return text;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  /** Guarded by {@code lock}. */
  private State state = State.NOT_PAUSED;

  public State state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  /** {@code pg_wal_replay_pause()}: replay stops before its next record. */
  public void requestPause() {
    lock.lock();
    try {
      if (state == State.NOT_PAUSED) {
        state = State.PAUSE_REQUESTED;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** {@code pg_wal_replay_resume()}: replay goes on. */
  public void resume() {
    lock.lock();
    try {
      state = State.NOT_PAUSED;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes a paused recovery thread so that it sees its stop flag. */
  public void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * On the recovery thread, between records: if a pause was requested, becomes "paused" and waits
   * until a resume or until {@code stopping} is true (checked at each wake-up).
   */
  public void awaitIfPauseRequested(BooleanSupplier stopping) throws InterruptedException {
    lock.lock();
    try {
      if (state == State.NOT_PAUSED) {
        return;
      }
      state = State.PAUSED;
      changed.signalAll();
      log.info("recovery has paused; HINT: Execute pg_wal_replay_resume() to continue.");
      while (state != State.NOT_PAUSED && !stopping.getAsBoolean()) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
  }
}
