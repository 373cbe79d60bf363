package org.walden.server;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.walden.config.Config;
import org.walden.config.ConfigException;
import org.walden.config.Settings;
import org.walden.replication.WalSenderServices;
import org.walden.sql.exec.ServerStatus;
import org.walden.storage.txn.TransactionManager;
import org.walden.wire.PgError;
import org.walden.wire.Severity;
import org.walden.wire.session.BackendFactory;
import org.walden.wire.session.QueryHandler;
import org.walden.wire.session.ReplicationHandler;
import org.walden.wire.session.SessionContext;

/**
 * Opens a {@link Session} for each authenticated normal connection, and counts the open ones so a
 * smart shutdown can wait for clients to leave; opens a {@link ReplicationSession} (a walsender)
 * for each replication connection when the node gave it {@link WalSenderServices}. Walsenders are
 * not counted here: like PostgreSQL's they have their own slots ({@code max_wal_senders}).
 *
 * <p><b>Threads.</b> {@link #openSession} runs on each connecting session's thread; the count is
 * decremented on that thread when the session closes. {@link #refuseNewSessions} and {@link
 * #awaitNoSessions} are called by the node's shutdown thread.
 *
 * <p><b>Shared state.</b> {@code open} and {@code refusing}, guarded by {@code lock}.
 */
public final class WaldenBackendFactory implements BackendFactory {
  private final TransactionManager store;
  private final Supplier<Config> config;
  private final SqlEngine engine;
  private final WireValues values;
  private final WalSenderServices walSenders; // null: replication connections are refused
  private final ServerStatus status;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int open; // guarded by lock
  private boolean refusing; // guarded by lock

  public WaldenBackendFactory(
      TransactionManager store, Supplier<Config> config, SqlEngine engine, WireValues values) {
    this(store, config, engine, values, ServerStatus.NONE, null);
  }

  /**
   * @param status the server's replication status and controls, shared by every session (the
   *     monitoring functions and views, {@code ALTER SYSTEM}); {@link ServerStatus#NONE} knows
   *     nothing
   * @param walSenders what walsenders need; null refuses replication connections
   */
  public WaldenBackendFactory(
      TransactionManager store,
      Supplier<Config> config,
      SqlEngine engine,
      WireValues values,
      ServerStatus status,
      WalSenderServices walSenders) {
    this.walSenders = walSenders;
    this.store = store;
    this.config = config;
    this.engine = engine;
    this.values = values;
    this.status = status;
  }

  @Override
  public QueryHandler openSession(SessionContext context) {
    if (store.isInRecovery() && !config.get().get(Settings.HOT_STANDBY)) {
      // a standby with hot_standby = off serves walsenders only, as PostgreSQL's
      throw PgError.fatal("57P03", "the database system is not accepting connections")
          .withDetail("Hot standby mode is disabled.")
          .toException();
    }
    lock.lock();
    try {
      if (refusing) {
        throw PgError.fatal("57P03", "the database system is shutting down").toException();
      }
      open++;
    } finally {
      lock.unlock();
    }
    try {
      return new Session(
          context,
          store,
          engine,
          values,
          config,
          status,
          walSenders == null ? null : walSenders.table().syncRep(),
          this::sessionEnded);
    } catch (ConfigException e) {
      sessionEnded();
      throw Errors.toPgError(e).withSeverity(Severity.FATAL).toException();
    } catch (RuntimeException e) {
      sessionEnded();
      throw e;
    }
  }

  @Override
  public ReplicationHandler openReplication(SessionContext context) {
    if (walSenders == null) {
      return BackendFactory.super.openReplication(context);
    }
    lock.lock();
    try {
      if (refusing) {
        throw PgError.fatal("57P03", "the database system is shutting down").toException();
      }
    } finally {
      lock.unlock();
    }
    return new ReplicationSession(context, walSenders);
  }

  private void sessionEnded() {
    lock.lock();
    try {
      open--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Sessions opened and not yet closed. */
  public int openSessions() {
    lock.lock();
    try {
      return open;
    } finally {
      lock.unlock();
    }
  }

  /** From now on logins fail with FATAL 57P03 (smart shutdown). */
  public void refuseNewSessions() {
    lock.lock();
    try {
      refusing = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every session has closed, or the timeout passes.
   *
   * @return true if none is open
   */
  public boolean awaitNoSessions(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (open > 0) {
        if (nanos <= 0) {
          return false;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
