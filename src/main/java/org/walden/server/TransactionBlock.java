package org.walden.server;

import java.io.IOException;
import org.walden.config.Settings;
import org.walden.config.TransactionIsolation;
import org.walden.sql.parse.ast.TransactionStmt;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;
import org.walden.wal.Lsn;
import org.walden.wire.PgError;
import org.walden.wire.Severity;
import org.walden.wire.session.QueryOutput;
import org.walden.wire.session.TransactionStatus;

/**
 * A session's transaction state (PostgreSQL's {@code TBlockState}, reduced to the states a client
 * can tell apart) and the store transaction behind it.
 *
 * <p><b>States.</b> {@code IDLE}: nothing open. {@code IMPLICIT}: a transaction the session opened
 * for one simple-query string or one extended-protocol batch; it commits when the string ends or at
 * Sync. {@code IN_BLOCK}: after BEGIN (an implicit transaction turns into the block, as in
 * PostgreSQL, so earlier statements of the same string commit with it). {@code FAILED}: a statement
 * failed inside the block; the store transaction is already rolled back (its locks released) and
 * everything but COMMIT/ROLLBACK fails with 25P02 until the block ends.
 *
 * <p><b>Store transaction.</b> Begun lazily at the first statement that asks for it ({@link
 * #transaction}), so BEGIN ISOLATION LEVEL and SET TRANSACTION can still choose its isolation, and
 * so a transaction that only ran SET or SHOW costs nothing. In READ COMMITTED every statement after
 * the first takes a new snapshot ({@link #statementStarting}). Commit waits as the session's {@code
 * synchronous_commit} says.
 *
 * <p>Session thread only.
 */
final class TransactionBlock {

  enum State {
    IDLE,
    IMPLICIT,
    IN_BLOCK,
    FAILED
  }

  private final TransactionManager store;
  private final int backendPid;
  private final SessionSettings settings;
  private final Runnable onEnd;
  private final SyncRepWait syncRepWait;

  private State state = State.IDLE;
  private Transaction txn; // null until a statement needs it
  private TransactionIsolation isolation = TransactionIsolation.READ_COMMITTED;
  private boolean readOnly;
  private boolean snapshotStale;

  /**
   * @param onEnd runs whenever a transaction ends, committed or not (the session drops portals)
   */
  TransactionBlock(
      TransactionManager store,
      int backendPid,
      SessionSettings settings,
      Runnable onEnd,
      SyncRepWait syncRepWait) {
    this.syncRepWait = syncRepWait;
    this.store = store;
    this.backendPid = backendPid;
    this.settings = settings;
    this.onEnd = onEnd;
  }

  State state() {
    return state;
  }

  TransactionStatus status() {
    return switch (state) {
      case IDLE, IMPLICIT -> TransactionStatus.IDLE;
      case IN_BLOCK -> TransactionStatus.IN_BLOCK;
      case FAILED -> TransactionStatus.FAILED;
    };
  }

  boolean readOnly() {
    return state == State.IDLE
        ? (Boolean) settings.value(Settings.DEFAULT_TRANSACTION_READ_ONLY)
        : readOnly;
  }

  TransactionIsolation isolation() {
    return state == State.IDLE
        ? (TransactionIsolation) settings.value(Settings.DEFAULT_TRANSACTION_ISOLATION)
        : isolation;
  }

  /** Opens the implicit transaction a statement runs in when no block is open. */
  void startImplicitIfIdle() {
    if (state == State.IDLE) {
      state = State.IMPLICIT;
      isolation = (TransactionIsolation) settings.value(Settings.DEFAULT_TRANSACTION_ISOLATION);
      readOnly = (Boolean) settings.value(Settings.DEFAULT_TRANSACTION_READ_ONLY);
    }
  }

  /** A statement begins: READ COMMITTED wants a fresh snapshot for it. */
  void statementStarting() {
    snapshotStale = true;
  }

  /** The store transaction, begun on first use. */
  Transaction transaction() {
    if (state == State.IDLE || state == State.FAILED) {
      throw new IllegalStateException("no usable transaction in state " + state);
    }
    if (txn == null) {
      IsolationLevel level =
          isolation == TransactionIsolation.REPEATABLE_READ
                  || isolation == TransactionIsolation.SERIALIZABLE
              ? IsolationLevel.REPEATABLE_READ
              : IsolationLevel.READ_COMMITTED;
      txn = store.begin(level, backendPid);
      txn.setLockTimeoutMillis((Integer) settings.value(Settings.LOCK_TIMEOUT));
      snapshotStale = false;
    } else if (snapshotStale) {
      txn.newStatementSnapshot();
      snapshotStale = false;
    }
    return txn;
  }

  /** BEGIN / START TRANSACTION. */
  void begin(TransactionStmt s, QueryOutput out) throws IOException {
    switch (state) {
      case IN_BLOCK ->
          out.notice(
              warning(Errors.ACTIVE_SQL_TRANSACTION, "there is already a transaction in progress"));
      case IDLE, IMPLICIT -> {
        startImplicitIfIdle();
        state = State.IN_BLOCK;
        applyModes(s);
      }
      case FAILED -> throw new IllegalStateException("BEGIN reached a failed block");
    }
  }

  /** SET TRANSACTION: only before the transaction's first query. */
  void setTransaction(TransactionStmt s, QueryOutput out) throws IOException {
    if (state != State.IN_BLOCK) {
      out.notice(
          warning(
              Errors.NO_ACTIVE_SQL_TRANSACTION,
              "SET TRANSACTION can only be used in transaction blocks"));
      return;
    }
    if (txn != null && s.isolation() != null) {
      throw Errors.error(
          Errors.ACTIVE_SQL_TRANSACTION,
          "SET TRANSACTION ISOLATION LEVEL must be called before any query");
    }
    applyModes(s);
  }

  private void applyModes(TransactionStmt s) {
    if (s.isolation() != null) {
      isolation = TransactionIsolation.valueOf(s.isolation().name());
    }
    switch (s.access()) {
      case READ_ONLY -> readOnly = true;
      case READ_WRITE -> readOnly = false;
      case DEFAULT -> {}
    }
  }

  /**
   * COMMIT / END.
   *
   * @param warnIfNone whether COMMIT outside a block warns (not inside a multi-statement string)
   * @return the tag: COMMIT, or ROLLBACK when the block had failed
   */
  String commit(QueryOutput out, boolean warnIfNone) throws IOException {
    switch (state) {
      case FAILED -> {
        end(false);
        return "ROLLBACK";
      }
      case IDLE, IMPLICIT -> {
        if (warnIfNone) {
          out.notice(
              warning(Errors.NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress"));
        }
        awaitStandbys(end(true), out);
        return "COMMIT";
      }
      case IN_BLOCK -> {
        awaitStandbys(end(true), out);
        return "COMMIT";
      }
    }
    throw new IllegalStateException(state.toString());
  }

  /** ROLLBACK / ABORT. */
  String rollback(QueryOutput out) throws IOException {
    if (state == State.IDLE || state == State.IMPLICIT) {
      out.notice(warning(Errors.NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress"));
    }
    end(false);
    return "ROLLBACK";
  }

  /** Commits an open implicit transaction (end of a query string, Sync). */
  void commitImplicit(QueryOutput out) throws IOException {
    if (state == State.IMPLICIT) {
      awaitStandbys(end(true), out);
    }
  }

  /** What a commit must still wait for once the block's state is settled; null: nothing. */
  private record Committed(Lsn commitEnd, SynchronousCommit level, int timeoutMillis) {}

  /**
   * After the local commit, the synchronous standbys (the transaction is visible already, its locks
   * released, the block IDLE): so a cancelled or terminated wait leaves a consistent session.
   */
  private void awaitStandbys(Committed c, QueryOutput out) throws IOException {
    if (c != null && c.level().waitsForStandbys()) {
      syncRepWait.afterCommit(c.commitEnd(), c.level(), c.timeoutMillis(), out);
    }
  }

  /**
   * A statement failed: inside a block the block fails (locks are released now, the client still
   * has to say ROLLBACK); an implicit transaction is simply rolled back.
   */
  void abort() {
    if (state == State.IN_BLOCK || state == State.FAILED) {
      rollbackStore();
      settings.transactionEnded(false);
      onEnd.run();
      state = State.FAILED;
    } else if (state == State.IMPLICIT) {
      end(false);
    }
  }

  /** Session end: whatever is open is rolled back. */
  void close() {
    if (state != State.IDLE) {
      end(false);
    }
  }

  /**
   * Ends the transaction; for a commit that wrote WAL returns what its standby wait needs (the
   * level and timeout as they were inside the transaction, before SET LOCAL values are undone).
   */
  private Committed end(boolean commit) {
    Transaction t = txn;
    txn = null;
    boolean wanted = commit && state != State.FAILED;
    state = State.IDLE;
    boolean committed = false;
    Committed result = null;
    try {
      if (t == null) {
        committed = wanted;
      } else if (wanted) {
        SynchronousCommit level =
            SynchronousCommit.valueOf(settings.value(Settings.SYNCHRONOUS_COMMIT).toString());
        int timeout = (Integer) settings.value(Settings.SYNCHRONOUS_COMMIT_TIMEOUT);
        try {
          t.commit(level);
          committed = true;
        } catch (RuntimeException e) {
          t.rollback();
          throw e;
        }
        if (t.commitLsn().isValid()) {
          result = new Committed(t.commitLsn(), level, timeout);
        }
      } else {
        t.rollback();
      }
    } finally {
      settings.transactionEnded(committed);
      onEnd.run();
    }
    return result;
  }

  private void rollbackStore() {
    Transaction t = txn;
    txn = null;
    if (t != null) {
      t.rollback();
    }
  }

  private static PgError warning(String sqlState, String message) {
    return new PgError(Severity.WARNING, sqlState, message, null, null, 0);
  }
}
