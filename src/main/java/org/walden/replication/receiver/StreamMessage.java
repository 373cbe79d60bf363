package org.walden.replication.receiver;

import java.util.Objects;
import java.util.Optional;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * The messages of the streaming-replication CopyBoth sub-protocol, named as the protocol names
 * them. {@link FromPrimary} are what {@link WalReceiverTransport#receive} returns; {@link
 * ToPrimary} are what {@link WalReceiverTransport#send} takes. Times are PostgreSQL replication
 * timestamps: microseconds since 2000-01-01 00:00 UTC ({@link PgTimestamp}).
 */
public sealed interface StreamMessage {

  /** Something the primary sent, or the end of its stream. */
  sealed interface FromPrimary extends StreamMessage {}

  /** Something the standby sends to the primary. */
  sealed interface ToPrimary extends StreamMessage {}

  /**
   * XLogData ({@code w}): WAL bytes starting at {@code dataStart}; {@code walEnd} is the end of WAL
   * on the primary when it sent them.
   */
  record XLogData(Lsn dataStart, Lsn walEnd, long sendTime, byte[] data) implements FromPrimary {
    public XLogData {
      Objects.requireNonNull(dataStart);
      Objects.requireNonNull(walEnd);
      Objects.requireNonNull(data);
    }

    /** The position just past the last byte of this message. */
    public Lsn dataEnd() {
      return dataStart.plus(data.length);
    }

    @Override
    public String toString() {
      return "XLogData[" + dataStart + ".." + dataEnd() + ", walEnd=" + walEnd + "]";
    }
  }

  /** Primary keepalive ({@code k}); {@code replyRequested} asks for a status update at once. */
  record PrimaryKeepalive(Lsn walEnd, long sendTime, boolean replyRequested)
      implements FromPrimary {}

  /**
   * The end of the stream: the primary ended COPY ({@link Reason#COPY_DONE}, at the end of a
   * timeline, with the next timeline when the primary said so), the primary ended the command
   * without CopyDone ({@link Reason#COMMAND_COMPLETE}, a primary shutting down), the primary sent
   * an ErrorResponse ({@link Reason#ERROR}), or the connection broke ({@link
   * Reason#CONNECTION_LOST}). No further {@code receive} may be called after it.
   */
  record EndOfStream(Reason reason, String detail, Optional<TimelineId> nextTimeline)
      implements FromPrimary {
    public enum Reason {
      COPY_DONE,
      COMMAND_COMPLETE,
      ERROR,
      CONNECTION_LOST
    }

    public static EndOfStream of(Reason reason, String detail) {
      return new EndOfStream(reason, detail, Optional.empty());
    }
  }

  /**
   * Standby status update ({@code r}): last byte + 1 written, flushed and applied (0/0 = unknown),
   * the standby's clock, and whether the primary should answer at once.
   */
  record StandbyStatusUpdate(
      Lsn write, Lsn flush, Lsn apply, long clientTime, boolean replyRequested)
      implements ToPrimary {}

  /**
   * Hot standby feedback ({@code h}): the oldest transaction the standby's queries still need
   * ({@code xmin}, with its epoch), and the same for catalogs. All zero switches feedback off.
   */
  record HotStandbyFeedback(
      long clientTime, int xmin, int xminEpoch, int catalogXmin, int catalogXminEpoch)
      implements ToPrimary {}
}
