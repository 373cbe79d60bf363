package org.walden.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.Settings;
import org.walden.replication.slot.ReplicationSlot;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;
import org.walden.wal.LsnWatermark;
import org.walden.wal.TimelineHistory;
import org.walden.wal.TimelineHistoryFiles;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.Xid;

/**
 * Streams physical WAL to one standby (PostgreSQL's {@code WalSndLoop} + {@code XLogSendPhysical}),
 * from the segment files in {@code pg_wal} only, never from the writer's memory: a slow standby can
 * never hold a writer back.
 *
 * <p><b>Lifecycle.</b> Created by the replication session for one START_REPLICATION, after it sent
 * CopyBothResponse; {@link #streamPhysical} runs on the session thread until the client ends the
 * copy (CopyDone), the node shuts down ({@link WalSenderTable#finishAll}), the client is silent for
 * {@code wal_sender_timeout}, or an error. It starts two virtual threads and always stops them
 * before it returns: the <i>client reader</i> (reads the standby's CopyData into a bounded queue)
 * and the <i>flush watcher</i> (waits on the flush watermark). Both set the walsender's {@link
 * Latch}, so the loop sleeps on "new WAL, or a client message, or a stop request, or the next
 * timeout" at once, without polling.
 *
 * <p><b>Sending.</b> From {@code sentPtr} up to the send limit (the flush position; at shutdown the
 * final flush position) in XLogData messages of at most 128 KiB; while catching up each chunk ends
 * on an 8 KiB boundary. A chunk may cross a segment boundary. After each read the segment is
 * checked to still exist under its name (a recycled segment is renamed before it is overwritten),
 * so bytes of a removed segment are never sent.
 *
 * <p><b>Replies.</b> StandbyStatusUpdate {@code r} updates the table entry and the lags (see {@link
 * LagTracker}); with replyRequested it is answered by a PrimaryKeepalive at once. Hot standby
 * feedback {@code h} sets {@code backend_xmin}. After {@code wal_sender_timeout}/2 of client
 * silence one keepalive with replyRequested=1 is sent; after {@code wal_sender_timeout} the
 * walsender ends ("terminating walsender process due to replication timeout").
 *
 * <p><b>Not handled while blocked.</b> The walsender writes with blocking socket writes: if the
 * standby stops reading, the walsender blocks in its write (and nothing else waits on it). Its
 * timeout is only checked between writes; the connection is closed by the node's final listener
 * stop.
 */
public final class WalSender {
  private static final Logger log = LoggerFactory.getLogger(WalSender.class);

  /** XLOG_BLCKSZ. */
  static final int BLOCK_SIZE = 8192;

  /** MAX_SEND_SIZE: XLOG_BLCKSZ * 16. */
  public static final int MAX_SEND_SIZE = BLOCK_SIZE * 16;

  private static final int XLOG_DATA_HEADER = 1 + 8 + 8 + 8;
  private static final int CLIENT_QUEUE = 256;

  /** How the copy ended. */
  public enum Outcome {
    /** The client sent CopyDone; the walsender answered CopyDone. The session sends the tags. */
    CLIENT_DONE,
    /** Shutdown: everything was confirmed and {@code COPY 0} sent; the session closes. */
    SHUTDOWN,
    /** The client was silent for {@code wal_sender_timeout}; the session closes silently. */
    TIMEOUT,
    /**
     * The streamed timeline ended (it was historic, or this server moved to a new one): everything
     * up to its switch point was sent, then CopyDone both ways. The session sends the next timeline
     * ({@link #nextTimeline}) and the two tags.
     */
    END_OF_TIMELINE
  }

  /** What the client reader hands over. */
  private sealed interface ClientEvent {
    record Message(byte[] data) implements ClientEvent {}

    record Done() implements ClientEvent {}

    record Failed(Throwable error) implements ClientEvent {}
  }

  private final WalSenderServices services;
  private final WalSenderEntry entry;
  private final WalSenderChannel channel;

  /** The slot streamed through (acquired by the session for this stream); null without one. */
  private final ReplicationSlot slot;

  private final WalSegmentSize segmentSize;
  private final LagTracker lag;
  private final BlockingQueue<ClientEvent> fromClient = new ArrayBlockingQueue<>(CLIENT_QUEUE);
  private final byte[] buffer = new byte[XLOG_DATA_HEADER + MAX_SEND_SIZE];

  // walsender thread only
  private TimelineId timeline;
  private Lsn sentPtr;
  private Instant lastReply;
  private boolean waitingForPing;
  private boolean fullyAppliedLastTime;
  private long openSegNo = -1;
  private TimelineId openTli;
  private FileChannel openSegment;

  /** Where the streamed timeline ends (its switch point); null while it is the current one. */
  private Lsn timelineEnd;

  private TimelineId nextTimeline;
  private boolean sentCopyDone;

  /** The server's timeline history, for the timeline of each segment file; null = only ours. */
  private TimelineHistory history;

  public WalSender(WalSenderServices services, WalSenderEntry entry, WalSenderChannel channel) {
    this(services, entry, channel, null);
  }

  /**
   * A walsender streaming through {@code slot}, which the caller has acquired and releases after
   * {@link #streamPhysical} returns: each flush report moves its restart_lsn, hot standby feedback
   * sets its xmin, and its invalidation ends the stream (FATAL 57P01).
   */
  public WalSender(
      WalSenderServices services,
      WalSenderEntry entry,
      WalSenderChannel channel,
      ReplicationSlot slot) {
    this.services = services;
    this.entry = entry;
    this.channel = channel;
    this.slot = slot;
    this.segmentSize = services.identity().segmentSize();
    this.lag = new LagTracker(services.clock());
  }

  /**
   * Streams WAL of {@code timeline} (the current one) from {@code start}. Call after
   * CopyBothResponse was sent.
   *
   * @throws WalSenderException XX000 if {@code start} is ahead of the flush position, 58P01 if a
   *     segment is gone, FATAL 08P01 for an unknown CopyData sub-type
   * @throws IOException if the connection fails
   */
  public Outcome streamPhysical(Lsn start, TimelineId timeline)
      throws WalSenderException, IOException, InterruptedException {
    return streamPhysical(start, timeline, null);
  }

  /**
   * As {@link #streamPhysical(Lsn, TimelineId)}, with the server's history: when {@code timeline}
   * is an ancestor in it, streams up to its switch point and ends with {@link
   * Outcome#END_OF_TIMELINE} (PostgreSQL's historic-timeline walsender); segment files are opened
   * under the timeline the history says holds them.
   */
  public Outcome streamPhysical(Lsn start, TimelineId timeline, TimelineHistory history)
      throws WalSenderException, IOException, InterruptedException {
    this.timeline = timeline;
    this.sentPtr = start;
    this.history = history;
    if (history != null && !history.current().equals(timeline)) {
      timelineEnd = history.switchPoint(timeline).orElseThrow();
      nextTimeline = history.nextAfter(timeline).orElseThrow();
    }
    Lsn flushed = services.flushed().get();
    if (timelineEnd != null) {
      flushed = Lsn.min(flushed, timelineEnd);
    }
    if (start.isAfter(flushed)) {
      throw WalSenderException.error(
          "XX000",
          "requested starting point "
              + start
              + " is ahead of the WAL flush position of this server "
              + flushed);
    }
    try {
      if (start.isBefore(flushed)) {
        segment(segmentSize.segmentOf(start)); // 58P01 now, while the connection is still ours
      }
      entry.setSentPtr(start);
      entry.setState(WalSenderState.CATCHUP);
      Lsn finishing = services.table().finishingAt();
      if (finishing != null) {
        entry.requestStop(finishing);
      }
      Thread reader =
          Thread.ofVirtual()
              .name("walden-walsender-reader-" + entry.identity().pid())
              .start(this::readClient);
      Thread watcher =
          Thread.ofVirtual()
              .name("walden-walsender-watch-" + entry.identity().pid())
              .start(this::watchFlush);
      Outcome outcome = null;
      try {
        outcome = loop();
        return outcome;
      } catch (WalSenderException e) {
        throw reader.isAlive() ? e.unusableConnection() : e;
      } finally {
        watcher.interrupt();
        watcher.join(Duration.ofSeconds(5));
        if (outcome == Outcome.SHUTDOWN || outcome == Outcome.TIMEOUT) {
          // the connection is being closed: interrupting a virtual thread's socket read closes
          // the socket, which is what ends a reader blocked in it
          reader.interrupt();
          reader.join(Duration.ofSeconds(5));
        } else if (outcome == Outcome.CLIENT_DONE) {
          reader.join(Duration.ofSeconds(5)); // it has returned after CopyDone
        }
        // on an exception the session reports it and closes the connection, which ends the
        // reader's blocked read; interrupting here would close the socket before the report
      }
    } finally {
      closeSegment();
      entry.setState(WalSenderState.STARTUP);
      services.table().stateChanged();
    }
  }

  private Outcome loop() throws WalSenderException, IOException, InterruptedException {
    lastReply = services.clock().instant();
    waitingForPing = false;
    while (true) {
      ClientEvent ev;
      while ((ev = fromClient.poll()) != null) {
        switch (ev) {
          case ClientEvent.Message m -> processMessage(m.data());
          case ClientEvent.Done d -> {
            if (sentCopyDone) {
              return Outcome.END_OF_TIMELINE;
            }
            channel.sendCopyDone();
            channel.flush();
            return Outcome.CLIENT_DONE;
          }
          case ClientEvent.Failed f -> rethrow(f.error());
        }
      }
      if (slot != null && services.slots().isLost(slot)) {
        // max_slot_wal_keep_size invalidated the slot: PostgreSQL's checkpointer terminates us
        throw WalSenderException.fatal(
            "57P01", "terminating connection due to administrator command");
      }
      Lsn stopAt = entry.stopAt();
      if (stopAt != null && entry.state() != WalSenderState.STOPPING) {
        entry.setState(WalSenderState.STOPPING);
      }
      // the limit before the timeline: a node switching timelines publishes the new one before
      // it lets the send limit pass the switch point
      Lsn limit = services.flushed().get();
      noticeTimelineSwitch();
      if (stopAt != null) {
        limit = Lsn.min(limit, stopAt);
      }
      if (timelineEnd != null) {
        limit = Lsn.min(limit, timelineEnd);
      }
      boolean caughtUp = !sentPtr.isBefore(limit);
      if (!caughtUp) {
        sendChunk(limit);
      } else if (timelineEnd != null && sentPtr.isAtOrAfter(timelineEnd)) {
        if (!sentCopyDone) {
          // the end of a timeline: CopyDone, then wait for the client's (PostgreSQL's
          // WalSndDone for a historic timeline)
          channel.sendCopyDone();
          sentCopyDone = true;
        }
      } else {
        if (entry.state() == WalSenderState.CATCHUP) {
          entry.setState(WalSenderState.STREAMING);
        }
        if (stopAt != null && sentPtr.isAtOrAfter(stopAt)) {
          if (entry.replicatedPtr().isAtOrAfter(stopAt)) {
            channel.sendCommandComplete("COPY 0");
            channel.flush();
            return Outcome.SHUTDOWN;
          }
          if (!waitingForPing) {
            keepalive(true);
            waitingForPing = true;
          }
        }
      }
      Duration timeout = walSenderTimeout();
      Instant now = services.clock().instant();
      if (!timeout.isZero() && !now.isBefore(lastReply.plus(timeout))) {
        log.info("terminating walsender process due to replication timeout");
        return Outcome.TIMEOUT;
      }
      Instant ping = lastReply.plus(timeout.dividedBy(2));
      if (!timeout.isZero() && !waitingForPing && !now.isBefore(ping)) {
        keepalive(true);
        waitingForPing = true;
      }
      channel.flush();
      if (caughtUp) {
        entry.latch.await(sleepTime(now, timeout));
      }
    }
  }

  /** Until the next keepalive or timeout is due (PostgreSQL's WalSndComputeSleeptime). */
  private Duration sleepTime(Instant now, Duration timeout) {
    if (timeout.isZero()) {
      return Duration.ofMinutes(10); // nothing is due; woken by the latch
    }
    Instant wake = waitingForPing ? lastReply.plus(timeout) : lastReply.plus(timeout.dividedBy(2));
    Duration d = Duration.between(now, wake);
    return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
  }

  private Duration walSenderTimeout() {
    int ms = services.config().get().get(Settings.WAL_SENDER_TIMEOUT);
    return Duration.ofMillis(ms);
  }

  // ------------------------------------------------------------------------------ sending

  private void sendChunk(Lsn sendLimit) throws WalSenderException, IOException {
    Lsn end = sentPtr.plus(MAX_SEND_SIZE);
    if (!end.isBefore(sendLimit)) {
      end = sendLimit;
    } else {
      end = Lsn.of(end.value() - (end.value() % BLOCK_SIZE));
    }
    int n = (int) end.minus(sentPtr);
    readWal(sentPtr, n);
    ByteBuffer h = ByteBuffer.wrap(buffer, 0, XLOG_DATA_HEADER);
    h.put((byte) 'w')
        .putLong(sentPtr.value())
        .putLong(sendLimit.value())
        .putLong(PgTimestamp.of(services.clock().instant()).micros());
    channel.sendCopyData(buffer, 0, XLOG_DATA_HEADER + n);
    sentPtr = end;
    entry.setSentPtr(end);
    lag.write(sendLimit);
  }

  private void readWal(Lsn from, int length) throws WalSenderException, IOException {
    int done = 0;
    while (done < length) {
      Lsn p = from.plus(done);
      long segNo = segmentSize.segmentOf(p);
      int offset = segmentSize.offsetInSegment(p);
      int n = Math.min(length - done, segmentSize.bytes() - offset);
      FileChannel ch = segment(segNo);
      ByteBuffer dst = ByteBuffer.wrap(buffer, XLOG_DATA_HEADER + done, n);
      long pos = offset;
      while (dst.hasRemaining()) {
        int r = ch.read(dst, pos);
        if (r < 0) {
          throw WalSenderException.error(
              "XX000",
              "could not read from log segment "
                  + segmentSize.name(timeline, segNo)
                  + ", offset "
                  + offset
                  + ": read "
                  + (n - dst.remaining())
                  + " of "
                  + n);
        }
        pos += r;
      }
      // recycling renames a segment before it is overwritten: if the name is still there, the
      // bytes just read are that segment's (PostgreSQL's CheckXLogRemoved after XLogRead)
      if (!services.segments().exists(openTli, segNo)) {
        throw removed(segNo);
      }
      done += n;
    }
  }

  private FileChannel segment(long segNo) throws WalSenderException, IOException {
    if (segNo == openSegNo) {
      return openSegment;
    }
    closeSegment();
    openTli = fileTimeline(segNo);
    Optional<FileChannel> ch = services.segments().openForRead(openTli, segNo);
    if (ch.isEmpty()) {
      throw removed(segNo);
    }
    openSegment = ch.get();
    openSegNo = segNo;
    return openSegment;
  }

  private WalSenderException removed(long segNo) {
    return WalSenderException.error(
        "58P01",
        "requested WAL segment "
            + segmentSize.name(timeline, segNo).fileName()
            + " has already been removed");
  }

  private void closeSegment() {
    if (openSegment != null) {
      try {
        openSegment.close();
      } catch (IOException e) {
        log.debug("closing WAL segment", e);
      }
      openSegment = null;
      openSegNo = -1;
    }
  }

  /** PrimaryKeepalive {@code k}: walEnd = sentPtr, sendTime, replyRequested. */
  private void keepalive(boolean replyRequested) throws IOException {
    byte[] k = new byte[18];
    ByteBuffer.wrap(k)
        .put((byte) 'k')
        .putLong(sentPtr.value())
        .putLong(PgTimestamp.of(services.clock().instant()).micros())
        .put((byte) (replyRequested ? 1 : 0));
    channel.sendCopyData(k, 0, k.length);
  }

  // ------------------------------------------------------------------------------ replies

  private void processMessage(byte[] m) throws WalSenderException, IOException {
    lastReply = services.clock().instant();
    waitingForPing = false;
    if (m.length == 0) {
      throw WalSenderException.fatal("08P01", "invalid standby message format");
    }
    switch (m[0]) {
      case 'r' -> standbyStatusUpdate(m);
      case 'h' -> hotStandbyFeedback(m);
      default ->
          throw WalSenderException.fatal(
              "08P01", "unexpected message type \"" + (char) (m[0] & 0xFF) + "\"");
    }
  }

  /** StandbyStatusUpdate (PostgreSQL's ProcessStandbyReplyMessage). */
  private void standbyStatusUpdate(byte[] m) throws WalSenderException, IOException {
    if (m.length < 34) {
      throw WalSenderException.fatal("08P01", "insufficient data left in message");
    }
    ByteBuffer b = ByteBuffer.wrap(m, 1, 33);
    Lsn write = Lsn.of(b.getLong());
    Lsn flush = Lsn.of(b.getLong());
    Lsn apply = Lsn.of(b.getLong());
    Instant replyTime = new PgTimestamp(b.getLong()).toInstant();
    boolean replyRequested = b.get() != 0;

    Optional<Duration> writeLag = lag.read(LagTracker.Mode.WRITE, write);
    Optional<Duration> flushLag = lag.read(LagTracker.Mode.FLUSH, flush);
    Optional<Duration> applyLag = lag.read(LagTracker.Mode.APPLY, apply);
    // fully replayed in two replies in a row: the second is an idle status message; forget lags
    boolean clearLags = false;
    if (apply.equals(sentPtr)) {
      clearLags = fullyAppliedLastTime;
      fullyAppliedLastTime = true;
    } else {
      fullyAppliedLastTime = false;
    }
    if (replyRequested) {
      keepalive(false);
    }
    entry.recordReply(write, flush, apply, writeLag, flushLag, applyLag, clearLags, replyTime);
    // PostgreSQL's SyncRepReleaseWaiters, on this walsender's thread
    services.table().syncRep().standbyReplied(entry);
    if (slot != null) {
      services.slots().confirmFlush(slot, flush); // PhysicalConfirmReceivedLocation
    }
  }

  /** Hot standby feedback (PostgreSQL's ProcessStandbyHSFeedbackMessage, xmin part). */
  private void hotStandbyFeedback(byte[] m) throws WalSenderException {
    if (m.length < 25) {
      throw WalSenderException.fatal("08P01", "insufficient data left in message");
    }
    ByteBuffer b = ByteBuffer.wrap(m, 1, 24);
    Instant replyTime = new PgTimestamp(b.getLong()).toInstant();
    long xmin = Integer.toUnsignedLong(b.getInt());
    long epoch = Integer.toUnsignedLong(b.getInt());
    long catalogXmin = Integer.toUnsignedLong(b.getInt());
    b.getInt(); // catalog epoch: no logical decoding yet
    Xid x = xmin == 0 && catalogXmin == 0 ? Xid.INVALID : Xid.of((epoch << 32) | xmin);
    entry.recordFeedback(x, replyTime);
    if (slot != null) {
      services.slots().feedbackXmin(slot, x); // PhysicalReplicationSlotNewXmin
    }
  }

  // ------------------------------------------------------------------------------ helper threads

  /** The client reader: hands every CopyData payload over in order, then Done or Failed. */
  private void readClient() {
    try {
      while (true) {
        byte[] m = channel.receive();
        if (m == null) {
          fromClient.put(new ClientEvent.Done());
          entry.latch.set();
          return;
        }
        fromClient.put(new ClientEvent.Message(m));
        entry.latch.set();
      }
    } catch (InterruptedException e) {
      // the walsender is done and no longer reads the queue
    } catch (Throwable t) {
      if (!fromClient.offer(new ClientEvent.Failed(t))) {
        log.debug("walsender client reader ended: {}", t.toString());
      }
      entry.latch.set();
    }
  }

  /** The flush watcher: sets the latch each time the flush position moves past what it saw. */
  private void watchFlush() {
    LsnWatermark flushed = services.flushed();
    Lsn seen = flushed.get();
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Lsn now = flushed.awaitBeyond(seen, Duration.ofHours(1));
        if (now.isAfter(seen)) {
          seen = now;
          entry.latch.set();
        } else if (flushed.isClosed()) {
          entry.latch.set();
          return;
        }
      }
    } catch (InterruptedException e) {
      // the walsender ended
    }
  }

  /** The next timeline once the stream ended with {@link Outcome#END_OF_TIMELINE}. */
  public TimelineId nextTimeline() {
    return nextTimeline;
  }

  /** Where the streamed timeline ended, for the session's result set (END_OF_TIMELINE). */
  public Lsn timelineEnd() {
    return timelineEnd;
  }

  /**
   * The server moved to a new timeline while we stream the old one (a cascading standby followed a
   * promotion, or was promoted): the streamed one is historic now and ends at its switch point.
   */
  private void noticeTimelineSwitch() throws IOException {
    if (timelineEnd != null || history == null) {
      return;
    }
    TimelineId now = services.timeline().get();
    if (now.equals(timeline)) {
      return;
    }
    TimelineHistoryFiles files = new TimelineHistoryFiles(services.segments());
    if (files.read(now) instanceof TimelineHistoryFiles.Read.Found f
        && f.history().switchPoint(timeline).isPresent()) {
      history = f.history();
      timelineEnd = f.history().switchPoint(timeline).get();
      nextTimeline = f.history().nextAfter(timeline).orElseThrow();
    }
  }

  /**
   * The timeline whose file holds {@code segNo} of the streamed timeline's history: the streamed
   * timeline's own file or an ancestor's; for the segment holding our switch point, the child's
   * copy only when ours is missing (a cascading standby that just followed a new timeline may not
   * have written the child's copy that far yet).
   */
  private TimelineId fileTimeline(long segNo) {
    if (history == null) {
      return timeline;
    }
    List<TimelineId> candidates = history.timelinesForSegment(segNo, segmentSize);
    for (TimelineId t : candidates) {
      if (t.compareTo(timeline) <= 0 && services.segments().exists(t, segNo)) {
        return t;
      }
    }
    if (nextTimeline != null
        && candidates.contains(nextTimeline)
        && services.segments().exists(nextTimeline, segNo)) {
      return nextTimeline;
    }
    return timeline;
  }

  private static void rethrow(Throwable t) throws IOException {
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error er) {
      throw er;
    }
    throw new IOException(t);
  }
}
