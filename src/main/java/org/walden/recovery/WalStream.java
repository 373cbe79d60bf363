package org.walden.recovery;

import java.time.Duration;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * Recovery's view of the walreceiver (PostgreSQL's {@code RequestXLogStreaming}, {@code
 * WalRcvStreaming}, {@code ShutdownWalRcv} and {@code WalRcv->flushedUpto}): start streaming from a
 * point, learn how far the received WAL is flushed in {@code pg_wal}, wait for more, stop. The node
 * adapts its {@code WalReceiver} to it; recovery knows nothing of transports or connections.
 *
 * <p>Called from the recovery thread only, except {@link #stop}, which the node may also call while
 * shutting down.
 */
public interface WalStream {

  /** Is streaming configured at all ({@code primary_conninfo} set)? */
  boolean configured();

  /**
   * Starts a walreceiver streaming from {@code startPoint} (segment-aligned) on {@code timeline}.
   * Returns at once; a connection failure shows as {@link #isStreaming} turning false.
   */
  void start(Lsn startPoint, TimelineId timeline);

  /** True while the walreceiver started by the last {@link #start} is alive. */
  boolean isStreaming();

  /** End of the WAL the walreceiver has written and forced into {@code pg_wal}. */
  Lsn flushedUpto();

  /**
   * Waits until {@link #flushedUpto} is beyond {@code than}, the walreceiver stops, or the timeout
   * passes.
   */
  void awaitFlushedBeyond(Lsn than, Duration timeout) throws InterruptedException;

  /**
   * Replay has applied everything flushed so far and is about to wait: tell the upstream now how
   * far it applied (PostgreSQL's {@code WalRcvForceReply}), so {@code remote_apply} commits and
   * {@code replay_lag} do not wait for the next arrival.
   */
  default void replayCaughtUp() {}

  /** Stops the walreceiver if one runs and waits for it (bounded). */
  void stop();

  /**
   * Stops the walreceiver at once (breaking its connection, as PostgreSQL's SIGTERM does) and waits
   * for it (bounded); for promotion, where every millisecond counts.
   */
  default void stopNow() {
    stop();
  }

  /** Makes a waiter in {@link #awaitFlushedBeyond} return now (any thread). */
  default void wake() {}
}
