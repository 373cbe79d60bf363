package org.walden.replication.receiver;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.walden.replication.receiver.StreamMessage.FromPrimary;
import org.walden.replication.receiver.StreamMessage.ToPrimary;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * The transport-specific part of the walreceiver: PostgreSQL's four {@code walrcv_*} functions
 * (replication README, "Walreceiver - libpqwalreceiver API") as an interface, so the walreceiver
 * never sees sockets or the wire protocol and tests can substitute a scripted primary.
 *
 * <p>Protocol of use, by one thread (the walreceiver's): {@link #connect} once; then any number of
 * {@link #receive} and {@link #send} calls until {@code receive} returns an {@link
 * StreamMessage.EndOfStream} or the caller gives up; then {@link #disconnect}. {@code disconnect}
 * alone may also be called from another thread to break a blocked call (stop). {@link #send} may
 * also come from recovery's thread (the walreceiver's apply feedback, one sender at a time) while
 * the walreceiver's thread is in {@link #receive}: an implementation keeps a message's bytes
 * together and drops a send that comes after the end of the copy.
 */
public interface WalReceiverTransport {

  /**
   * What the primary said about itself in IDENTIFY_SYSTEM, and where the connection went.
   *
   * @param systemId the primary's system identifier (equal to ours, or connect would have failed)
   * @param timeline the primary's current timeline
   * @param xlogpos the primary's current flush position
   */
  record PrimaryInfo(
      long systemId, TimelineId timeline, Lsn xlogpos, String senderHost, int senderPort) {}

  /**
   * Connects to the primary, authenticates, checks with IDENTIFY_SYSTEM that it is the same system
   * as ours and that its timeline is not behind {@code timeline}, and starts streaming: {@code
   * START_REPLICATION [SLOT "s"] X/X TIMELINE n}. On return the stream is in CopyBoth mode.
   *
   * @throws PrimaryErrorException when the primary refuses (authentication, hba, slot, …)
   * @throws IOException when the primary cannot be reached, the identity check fails, or the
   *     connection breaks during the exchange
   */
  PrimaryInfo connect(
      ConnInfo conninfo, Lsn startPoint, TimelineId timeline, Optional<String> slotName)
      throws IOException;

  /**
   * The next message from the primary, or empty if none arrived within {@code timeout} (zero: only
   * what is already available). The end of the stream, however it happens, is returned as {@link
   * StreamMessage.EndOfStream}, never thrown; after it no further messages come.
   */
  Optional<FromPrimary> receive(Duration timeout);

  /**
   * Sends a standby message to the primary.
   *
   * @throws IOException if the connection is broken
   */
  void send(ToPrimary message) throws IOException;

  /** Closes the connection (telling the primary if it can); idempotent, never throws. */
  void disconnect();
}
