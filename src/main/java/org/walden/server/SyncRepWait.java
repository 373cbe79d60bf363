package org.walden.server;

import java.io.IOException;
import java.time.Duration;
import org.walden.replication.syncrep.SyncRep;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.wal.Lsn;
import org.walden.wire.PgError;
import org.walden.wire.Severity;
import org.walden.wire.session.CancelToken;
import org.walden.wire.session.ConnectionTerminated;
import org.walden.wire.session.QueryOutput;

/**
 * A session's wait for its synchronous standbys after a local commit (PostgreSQL's {@code
 * SyncRepWaitForLSN} as called from {@code RecordTransactionCommit}), and the messages that end it:
 * PostgreSQL's cancel and terminate warnings, and Walden's timeout warning.
 *
 * <p>Session thread only. The session's {@link CancelToken} unparks it on a cancel or terminate
 * ({@link CancelToken#parkHere}).
 */
final class SyncRepWait {

  /** SQLSTATE of the timeout warning: class 01 (warning), a subclass PostgreSQL does not use. */
  static final String SYNCREP_TIMEOUT = "01W01";

  static final String NOT_REPLICATED_DETAIL =
      "The transaction has already committed locally, but might not have been replicated to the"
          + " standby.";

  private final SyncRep syncRep; // null: this server has no walsenders
  private final CancelToken token;

  SyncRepWait(SyncRep syncRep, CancelToken token) {
    this.syncRep = syncRep;
    this.token = token;
  }

  /**
   * Waits as {@code level} demands for {@code commitEnd} (invalid: the transaction wrote no WAL, no
   * wait) and tells the client how the wait ended.
   *
   * @throws ConnectionTerminated after the terminate warning: close without another message
   */
  void afterCommit(Lsn commitEnd, SynchronousCommit level, int timeoutMillis, QueryOutput out)
      throws IOException {
    if (syncRep == null || !commitEnd.isValid() || !syncRep.isDefined()) {
      return;
    }
    SyncRep.WaitMode mode =
        switch (level) {
          case REMOTE_WRITE -> SyncRep.WaitMode.WRITE;
          case ON -> SyncRep.WaitMode.FLUSH;
          case REMOTE_APPLY -> SyncRep.WaitMode.APPLY;
          case OFF, LOCAL -> null;
        };
    if (mode == null) {
      return;
    }
    SyncRep.Outcome o;
    token.parkHere(Thread.currentThread());
    try {
      o =
          syncRep.await(
              commitEnd,
              mode,
              Duration.ofMillis(timeoutMillis),
              new SyncRep.Interrupts() {
                @Override
                public boolean cancelRequested() {
                  return token.isCancelled();
                }

                @Override
                public boolean terminateRequested() {
                  return token.isTerminating();
                }
              });
    } finally {
      token.parkHere(null);
    }
    switch (o) {
      case RELEASED -> {
        if (token.isTerminating()) {
          // terminated as the release came: it unparked us instead of closing the connection
          throw new ConnectionTerminated("terminated after synchronous replication wait");
        }
      }
      case CANCELED -> {
        token.reset();
        out.notice(
            warning(
                "01000",
                "canceling wait for synchronous replication due to user request",
                NOT_REPLICATED_DETAIL));
      }
      case TERMINATED -> {
        out.notice(
            warning(
                "57P01",
                "canceling the wait for synchronous replication and terminating connection due to"
                    + " administrator command",
                NOT_REPLICATED_DETAIL));
        out.flush();
        throw new ConnectionTerminated("terminated while waiting for synchronous replication");
      }
      case TIMED_OUT ->
          out.notice(
              warning(
                  SYNCREP_TIMEOUT,
                  "synchronous replication timed out after "
                      + timeoutMillis
                      + " ms; the transaction is durable locally but not confirmed by the"
                      + " synchronous standbys",
                  "The commit record ends at "
                      + commitEnd
                      + "; synchronous_commit = "
                      + level.name().toLowerCase(java.util.Locale.ROOT)
                      + " waited for the standbys' "
                      + mode.name().toLowerCase(java.util.Locale.ROOT)
                      + " position."));
    }
  }

  private static PgError warning(String sqlState, String message, String detail) {
    return new PgError(Severity.WARNING, sqlState, message, detail, null, 0);
  }
}
