package org.walden.replication.receiver;

import java.time.Instant;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * A snapshot of the walreceiver for {@code pg_stat_wal_receiver} (one row while {@link #state} is
 * not {@link State#STOPPED}), plus why the last run ended. Positions are {@link Lsn#INVALID} and
 * optionals empty where PostgreSQL shows NULL. {@code conninfo} has its password masked.
 */
public record WalReceiverStatus(
    int pid,
    State state,
    Lsn receiveStartLsn,
    Optional<TimelineId> receiveStartTli,
    Lsn writtenLsn,
    Lsn flushedLsn,
    Optional<TimelineId> receivedTli,
    Optional<Instant> lastMsgSendTime,
    Optional<Instant> lastMsgReceiptTime,
    Lsn latestEndLsn,
    Optional<Instant> latestEndTime,
    Optional<String> slotName,
    Optional<String> senderHost,
    Optional<Integer> senderPort,
    Optional<String> conninfo,
    Optional<EndReason> endReason) {

  /** PostgreSQL's {@code WalRcvState} names, as the view's {@code status} column shows them. */
  public enum State {
    STOPPED,
    STARTING,
    STREAMING,
    WAITING,
    RESTARTING,
    STOPPING;

    /** The view's spelling: {@code streaming}. */
    public String viewName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why a streaming run ended; recovery falls back to the archive and decides when to retry. */
  public record EndReason(Kind kind, String message) {
    public enum Kind {
      /** Could not connect, authenticate, identify, or start replication. */
      CONNECT_FAILED,
      /** The primary ended the stream (CopyDone at the end of a timeline, or command end). */
      TERMINATED_BY_PRIMARY,
      /** The primary sent an error during streaming. */
      ERROR_FROM_PRIMARY,
      /** The connection broke. */
      CONNECTION_LOST,
      /** Nothing from the primary for {@code wal_receiver_timeout}. */
      TIMEOUT,
      /** Writing, forcing or the segment callback failed locally. */
      LOCAL_FAILURE,
      /** {@link WalReceiver#stop} was called. */
      STOP_REQUESTED
    }
  }
}
