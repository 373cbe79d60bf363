package org.walden.replication.receiver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.fs.DurableFiles;
import org.walden.replication.receiver.StreamMessage.EndOfStream;
import org.walden.replication.receiver.StreamMessage.FromPrimary;
import org.walden.replication.receiver.StreamMessage.HotStandbyFeedback;
import org.walden.replication.receiver.StreamMessage.PrimaryKeepalive;
import org.walden.replication.receiver.StreamMessage.StandbyStatusUpdate;
import org.walden.replication.receiver.StreamMessage.XLogData;
import org.walden.replication.receiver.WalReceiverStatus.EndReason;
import org.walden.replication.receiver.WalReceiverStatus.EndReason.Kind;
import org.walden.replication.receiver.WalReceiverStatus.State;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;
import org.walden.wal.LsnWatermark;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;
import org.walden.wal.Xid;

/**
 * PostgreSQL's walreceiver: a thread ("walden-walreceiver") that streams WAL from the primary into
 * this server's {@code pg_wal}, one streaming run per {@link #start}. See the package documentation
 * for the threads, the data flow and the invariants.
 *
 * <p>Each received byte is written at its LSN's offset in the segment of the streamed timeline
 * (segments are created zero-filled, durably, when the stream first enters them); bytes are never
 * parsed. After each batch of messages the open segment is forced and {@link #flushedUpto}
 * advanced; a segment whose last byte was written is forced, closed and reported to {@link
 * SegmentCompleted} at once.
 *
 * <p>The run ends, and the thread exits, on the end of the stream, an error, a timeout, a local
 * failure or {@link #stop}; {@link #status} then says {@code STOPPED} with the reason. It never
 * reconnects by itself: recovery decides whether to retry or read the archive.
 */
public final class WalReceiver {

  private static final Logger log = LoggerFactory.getLogger(WalReceiver.class);

  /** Longest sleep of the loop, so a stop request is seen promptly (PostgreSQL's NAPTIME). */
  static final Duration NAPTIME = Duration.ofMillis(100);

  /** How long {@link #stop} waits for the thread. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** Most messages handled before forcing and reporting, so a fast stream still reports. */
  private static final int MAX_BATCH_BYTES = 16 << 20;

  private final Supplier<WalReceiverConfig> config;
  private final WalSegmentFiles segments;
  private final WalSegmentSize segmentSize;
  private final Supplier<? extends WalReceiverTransport> transports;
  private final Supplier<Lsn> appliedUpto;
  private final Supplier<Optional<Xid>> feedbackXmin;
  private final SegmentCompleted segmentCompleted;
  private final Clock clock;
  private final int pid = (int) ProcessHandle.current().pid();

  /**
   * Advanced by the walreceiver thread only; read by anyone. Never moves back. Replaced (the old
   * one closed) only by {@link #start} on a new timeline.
   */
  private volatile LsnWatermark writtenUpto =
      new LsnWatermark("walreceiver writtenUpto", Lsn.INVALID);

  /**
   * Advanced by the walreceiver thread only, after a force; read by anyone; recovery waits on it.
   * Never moves back while streaming one timeline, also not across runs; replaced (the old one
   * closed, waking its waiters) by {@link #start} on a new timeline, as PostgreSQL resets {@code
   * flushedUpto} when {@code receivedTLI} changes.
   */
  private volatile LsnWatermark flushedUpto =
      new LsnWatermark("walreceiver flushedUpto", Lsn.INVALID);

  // ---- Shared status: written by the walreceiver thread (and start/stop), guarded by "this". ----

  /** Guarded by this. */
  private Thread thread;

  /** Guarded by this. */
  private State state = State.STOPPED;

  /** Guarded by this. */
  private Lsn receiveStart = Lsn.INVALID;

  /** Guarded by this. */
  private TimelineId receiveStartTli;

  /** Guarded by this. The timeline of the last WAL received (PostgreSQL's receivedTLI). */
  private TimelineId receivedTli;

  /** Guarded by this. */
  private Instant lastMsgSendTime;

  /** Guarded by this. */
  private Instant lastMsgReceiptTime;

  /** Guarded by this. */
  private Lsn latestEndLsn = Lsn.INVALID;

  /** Guarded by this. */
  private Instant latestEndTime;

  /** Guarded by this. */
  private WalReceiverConfig runConfig;

  /** Guarded by this. */
  private WalReceiverTransport.PrimaryInfo primary;

  /** Guarded by this. */
  private EndReason endReason;

  /** Set by {@link #stop}, read by the walreceiver thread. */
  private volatile boolean stopRequested;

  /** The running transport, for {@link #stop} to break a blocked call. */
  private volatile WalReceiverTransport activeTransport;

  /** The run that is streaming (set once it is in COPY), for {@link #forceReply}; else null. */
  private volatile Run streamingRun;

  /**
   * @param config the settings, read at each {@link #start}
   * @param segments this server's {@code pg_wal}
   * @param transports makes one transport per run ({@code () -> new
   *     PgWalReceiverTransport(systemId)} in production)
   * @param appliedUpto recovery's replay position, reported as {@code apply}; {@link Lsn#INVALID}
   *     if unknown
   * @param feedbackXmin the oldest xmin standby queries need, for {@code hot_standby_feedback};
   *     empty if none
   * @param segmentCompleted told of each completed segment
   * @param clock the source of times sent and shown (replication timestamps, timeouts)
   */
  public WalReceiver(
      Supplier<WalReceiverConfig> config,
      WalSegmentFiles segments,
      Supplier<? extends WalReceiverTransport> transports,
      Supplier<Lsn> appliedUpto,
      Supplier<Optional<Xid>> feedbackXmin,
      SegmentCompleted segmentCompleted,
      Clock clock) {
    this.config = Objects.requireNonNull(config);
    this.segments = Objects.requireNonNull(segments);
    this.segmentSize = segments.segmentSize();
    this.transports = Objects.requireNonNull(transports);
    this.appliedUpto = Objects.requireNonNull(appliedUpto);
    this.feedbackXmin = Objects.requireNonNull(feedbackXmin);
    this.segmentCompleted = Objects.requireNonNull(segmentCompleted);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Last byte + 1 written to {@code pg_wal} (not necessarily forced); see {@link #flushedUpto}. */
  public LsnWatermark writtenUpto() {
    return writtenUpto;
  }

  /**
   * Last byte + 1 written and forced, on {@link #receivedTimeline}: how far recovery may replay
   * streamed WAL. Fetch it again after each {@link #start}: a start on another timeline replaces it
   * and closes the old one (whose waiters then return at once).
   */
  public LsnWatermark flushedUpto() {
    return flushedUpto;
  }

  /** The timeline being (or last) streamed, empty before any run. */
  public synchronized Optional<TimelineId> receivedTimeline() {
    return Optional.ofNullable(receivedTli);
  }

  /** True while a run's thread is alive (from {@link #start} until it has exited). */
  public synchronized boolean isRunning() {
    return thread != null && thread.isAlive() && state != State.STOPPED;
  }

  /**
   * Starts a streaming run from {@code startPoint} (rounded down to its segment start, as
   * PostgreSQL's RequestXLogStreaming does, so a segment is never begun mid-way) on {@code
   * timeline}.
   *
   * @throws IllegalStateException if a run is still going
   */
  public synchronized void start(Lsn startPoint, TimelineId timeline) {
    if (thread != null && thread.isAlive() && state == State.STOPPED) {
      // The last run has published STOPPED and is returning; it needs no lock to finish.
      try {
        thread.join(STOP_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (thread != null && thread.isAlive()) {
      throw new IllegalStateException("walreceiver is already running");
    }
    WalReceiverConfig cfg = config.get();
    Lsn start = segmentSize.segmentStart(startPoint);
    runConfig = cfg;
    receiveStart = start;
    receiveStartTli = timeline;
    primary = null;
    endReason = null;
    lastMsgSendTime = null;
    lastMsgReceiptTime = null;
    latestEndLsn = Lsn.INVALID;
    latestEndTime = null;
    state = State.STARTING;
    stopRequested = false;
    if (receivedTli != null && !receivedTli.equals(timeline)) {
      // Positions on another timeline say nothing about this one.
      LsnWatermark oldWritten = writtenUpto;
      LsnWatermark oldFlushed = flushedUpto;
      writtenUpto = new LsnWatermark("walreceiver writtenUpto", start);
      flushedUpto = new LsnWatermark("walreceiver flushedUpto", start);
      oldWritten.close();
      oldFlushed.close();
    }
    receivedTli = timeline;
    // Positions start at the start point (what is before it is recovery's, not ours to report).
    writtenUpto.advanceIfAhead(start);
    flushedUpto.advanceIfAhead(start);
    Run run = new Run(cfg, start, timeline, writtenUpto, flushedUpto);
    thread = new Thread(run::run, "walden-walreceiver");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops the run, if any, and waits (bounded) for the thread to exit. Returns true if it has
   * exited. Safe to call when stopped.
   */
  public boolean stop() throws InterruptedException {
    return stop(false);
  }

  /**
   * As {@link #stop}, but breaks the connection at once instead of letting the loop notice the
   * request (PostgreSQL's walreceiver ends on SIGTERM without a CopyDone): for promotion.
   */
  public boolean stopNow() throws InterruptedException {
    return stop(true);
  }

  private boolean stop(boolean breakAtOnce) throws InterruptedException {
    Thread t;
    synchronized (this) {
      t = thread;
      if (t == null || !t.isAlive()) {
        return true;
      }
      if (state != State.STOPPED) {
        state = State.STOPPING;
      }
    }
    stopRequested = true;
    if (!breakAtOnce) {
      // the loop sees the request within NAPTIME and ends the copy itself
      t.join(NAPTIME.multipliedBy(5).toMillis());
      if (!t.isAlive()) {
        return true;
      }
    }
    // blocked in connect or a read without timeout (or told to break at once): break it
    WalReceiverTransport tr = activeTransport;
    if (tr != null) {
      tr.disconnect();
    }
    if (!breakAtOnce) {
      t.interrupt();
    }
    t.join(STOP_TIMEOUT.toMillis());
    return !t.isAlive();
  }

  /**
   * Tells the primary at once how far recovery has applied (PostgreSQL's {@code WalRcvForceReply}):
   * recovery calls it when it has replayed everything flushed and is about to wait, so a commit
   * waiting for {@code remote_apply}, and the walsender's {@code replay_lag}, learn of the apply
   * now rather than at the next arrival or status interval. Any thread; does nothing unless a run
   * is streaming or when the apply position was already reported.
   */
  public void forceReply() {
    Run r = streamingRun;
    if (r != null) {
      r.replyApplied();
    }
  }

  /** The current status, for {@code pg_stat_wal_receiver}. */
  public synchronized WalReceiverStatus status() {
    boolean ran = runConfig != null;
    return new WalReceiverStatus(
        pid,
        state,
        receiveStart,
        Optional.ofNullable(receiveStartTli),
        writtenUpto.get(),
        flushedUpto.get(),
        Optional.ofNullable(receivedTli),
        Optional.ofNullable(lastMsgSendTime),
        Optional.ofNullable(lastMsgReceiptTime),
        latestEndLsn,
        Optional.ofNullable(latestEndTime),
        ran ? runConfig.slotName() : Optional.empty(),
        Optional.ofNullable(primary).map(WalReceiverTransport.PrimaryInfo::senderHost),
        Optional.ofNullable(primary).map(WalReceiverTransport.PrimaryInfo::senderPort),
        ran ? Optional.of(runConfig.conninfo().toString()) : Optional.empty(),
        Optional.ofNullable(endReason));
  }

  private synchronized void setState(State s) {
    if (state != State.STOPPING || s == State.STOPPED) {
      state = s;
    }
  }

  /** One streaming run: the walreceiver thread's body. State here is confined to that thread. */
  private final class Run {
    private final WalReceiverConfig cfg;
    private final Lsn start;
    private final TimelineId tli;
    private WalReceiverTransport transport;

    /** The open segment, or null. */
    private FileChannel segFile;

    private long segNo = -1;

    /** Last byte + 1 written / forced in this run. */
    private Lsn written;

    private Lsn flushed;

    /**
     * Held while sending a standby message: the walreceiver thread sends most, {@link
     * #replyApplied} (recovery's thread) the rest, and the reported positions below change only
     * under it.
     */
    private final Object sendLock = new Object();

    /** What the last status update said (guarded by sendLock), and when the next is due. */
    private Lsn reportedWrite = Lsn.INVALID;

    private Lsn reportedFlush = Lsn.INVALID;
    private volatile Lsn reportedApply = Lsn.INVALID; // read unlocked by the skip check
    private long nextStatusAt;
    private long nextFeedbackAt;

    /** When the primary last sent anything, and whether we pinged it since. */
    private long lastReceiptAt;

    private boolean pingSent;

    private final LsnWatermark writtenUpto;
    private final LsnWatermark flushedUpto;

    Run(
        WalReceiverConfig cfg,
        Lsn start,
        TimelineId tli,
        LsnWatermark writtenUpto,
        LsnWatermark flushedUpto) {
      this.writtenUpto = writtenUpto;
      this.flushedUpto = flushedUpto;
      this.cfg = cfg;
      this.start = start;
      this.tli = tli;
      this.written = start;
      this.flushed = start;
    }

    void run() {
      EndReason reason;
      try {
        reason = stream();
      } catch (IOException | RuntimeException e) {
        log.error("walreceiver failed: {}", e.toString(), e);
        reason = new EndReason(Kind.LOCAL_FAILURE, String.valueOf(e.getMessage()));
      } finally {
        streamingRun = null;
        closeSegment();
        WalReceiverTransport tr = transport;
        if (tr != null) {
          tr.disconnect();
        }
        activeTransport = null;
      }
      synchronized (WalReceiver.this) {
        endReason = reason;
        state = State.STOPPED;
      }
      // recovery may be waiting for more WAL from this run: let it see the end now, not at its
      // wait's timeout (a timeline switch or a reload should not cost half a second)
      flushedUpto.wakeWaiters();
    }

    private EndReason stream() throws IOException {
      transport = transports.get();
      activeTransport = transport;
      WalReceiverTransport.PrimaryInfo info;
      try {
        info = transport.connect(cfg.conninfo(), start, tli, cfg.slotName());
      } catch (IOException | RuntimeException e) {
        if (stopRequested) {
          return new EndReason(Kind.STOP_REQUESTED, "stopped while connecting");
        }
        log.error("could not connect to the primary server: {}", e.getMessage());
        return new EndReason(Kind.CONNECT_FAILED, String.valueOf(e.getMessage()));
      }
      if (info.timeline().compareTo(tli) < 0) {
        String m =
            "highest timeline "
                + info.timeline()
                + " of the primary is behind recovery timeline "
                + tli;
        log.error(m);
        return new EndReason(Kind.CONNECT_FAILED, m);
      }
      log.info("started streaming WAL from primary at {} on timeline {}", start, tli);
      synchronized (WalReceiver.this) {
        primary = info;
      }
      setState(State.STREAMING);
      long now = clock.millis();
      lastReceiptAt = now;
      sendReply(true, false);
      streamingRun = this;
      if (cfg.hotStandbyFeedback()) {
        sendFeedback(true);
      }
      while (!stopRequested) {
        Optional<FromPrimary> m = transport.receive(waitTime());
        if (m.isPresent()) {
          long batch = 0;
          while (m.isPresent()) {
            Optional<EndReason> end = handle(m.get());
            if (end.isPresent()) {
              // Force what came before the end; the primary can no longer hear about it (after
              // CopyDone the transport has already left COPY mode).
              flush();
              return end.get();
            }
            if (m.get() instanceof XLogData w) {
              batch += w.data().length;
            }
            if (batch >= MAX_BATCH_BYTES || stopRequested) {
              break;
            }
            m = transport.receive(Duration.ZERO);
          }
          // As walreceiver.c: report the write, then force and report the flush.
          sendReply(false, false);
          flush();
          sendReply(false, false);
        } else {
          long idle = clock.millis() - lastReceiptAt;
          long timeout = cfg.receiverTimeout().toMillis();
          if (timeout > 0 && idle >= timeout) {
            log.error("terminating walreceiver due to timeout");
            return new EndReason(Kind.TIMEOUT, "terminating walreceiver due to timeout");
          }
          if (timeout > 0 && !pingSent && idle >= timeout / 2) {
            // Half the timeout without a word: ask the primary to answer.
            sendReply(true, true);
            pingSent = true;
          }
        }
        sendReply(false, false);
        sendFeedback(false);
      }
      flush();
      return new EndReason(Kind.STOP_REQUESTED, "walreceiver stopped");
    }

    /** Until the next thing to do: a status update, the half-timeout ping, or NAPTIME. */
    private Duration waitTime() {
      long now = clock.millis();
      long wait = NAPTIME.toMillis();
      if (!cfg.statusInterval().isZero()) {
        wait = Math.min(wait, Math.max(0, nextStatusAt - now));
      }
      long timeout = cfg.receiverTimeout().toMillis();
      if (timeout > 0) {
        long due = lastReceiptAt + (pingSent ? timeout : timeout / 2);
        wait = Math.min(wait, Math.max(1, due - now));
      }
      return Duration.ofMillis(Math.max(1, wait));
    }

    /** Handles one message; the end reason if the stream ended. */
    private Optional<EndReason> handle(FromPrimary m) throws IOException {
      switch (m) {
        case XLogData w -> {
          noteReceipt(w.walEnd(), w.sendTime());
          write(w.dataStart(), w.data());
        }
        case PrimaryKeepalive k -> {
          noteReceipt(k.walEnd(), k.sendTime());
          if (k.replyRequested()) {
            sendReply(true, false);
          }
        }
        case EndOfStream e -> {
          return Optional.of(endOf(e));
        }
      }
      return Optional.empty();
    }

    private EndReason endOf(EndOfStream e) {
      return switch (e.reason()) {
        case COPY_DONE, COMMAND_COMPLETE -> {
          log.info(
              "replication terminated by primary server; End of WAL reached on timeline {} at {}"
                  + " ({})",
              tli,
              written,
              e.detail());
          yield new EndReason(
              Kind.TERMINATED_BY_PRIMARY,
              "replication terminated by primary server: " + e.detail());
        }
        case ERROR -> {
          log.error("could not receive data from WAL stream: {}", e.detail());
          yield new EndReason(
              Kind.ERROR_FROM_PRIMARY, "could not receive data from WAL stream: " + e.detail());
        }
        case CONNECTION_LOST -> {
          log.error("could not receive data from WAL stream: {}", e.detail());
          yield new EndReason(
              Kind.CONNECTION_LOST, "could not receive data from WAL stream: " + e.detail());
        }
      };
    }

    private void noteReceipt(Lsn walEnd, long sendTime) {
      long now = clock.millis();
      lastReceiptAt = now;
      pingSent = false;
      Instant sent = new PgTimestamp(sendTime).toInstant();
      synchronized (WalReceiver.this) {
        lastMsgSendTime = sent;
        lastMsgReceiptTime = clock.instant();
        if (walEnd.isAfter(latestEndLsn)) {
          latestEndLsn = walEnd;
          latestEndTime = sent;
        }
      }
    }

    /**
     * Writes {@code data} at {@code at}, across segment boundaries. A segment whose last byte is
     * written here is forced, closed and reported at once.
     */
    private void write(Lsn at, byte[] data) throws IOException {
      int off = 0;
      Lsn pos = at;
      while (off < data.length) {
        long seg = segmentSize.segmentOf(pos);
        if (seg != segNo) {
          forceAndCloseSegment();
          segFile = segments.openForWrite(tli, seg);
          segNo = seg;
        }
        int inSeg = segmentSize.offsetInSegment(pos);
        int n = Math.min(data.length - off, segmentSize.bytes() - inSeg);
        DurableFiles.writeFully(segFile, ByteBuffer.wrap(data, off, n), inSeg);
        off += n;
        pos = pos.plus(n);
        if (pos.isAfter(written)) {
          written = pos;
          writtenUpto.advanceIfAhead(pos);
        }
        if (segmentSize.offsetInSegment(pos) == 0) {
          completeSegment(pos);
        }
      }
    }

    /**
     * The open segment's last byte was just written (ending at {@code end}): force, close, tell.
     */
    private void completeSegment(Lsn end) throws IOException {
      long seg = segNo;
      segFile.force(false);
      segFile.close();
      segFile = null;
      segNo = -1;
      if (end.isAfter(flushed)) {
        flushed = end;
        flushedUpto.advanceIfAhead(end);
      }
      WalSegmentName name = segmentSize.name(tli, seg);
      segmentCompleted.segmentCompleted(name);
    }

    /** Forces the open segment and publishes the flush. */
    private void flush() throws IOException {
      if (!written.isAfter(flushed)) {
        return;
      }
      if (segFile != null) {
        segFile.force(false);
      }
      flushed = written;
      flushedUpto.advanceIfAhead(written);
    }

    /**
     * Forces and closes the open segment when the stream leaves it before its end (it is not
     * complete, so not reported); a failure ends the run, as the flush must not pass it.
     */
    private void forceAndCloseSegment() throws IOException {
      FileChannel f = segFile;
      segFile = null;
      segNo = -1;
      if (f != null) {
        try (f) {
          f.force(false);
        }
      }
    }

    /** At the end of a run: forces and closes the open segment, logging a failure. */
    private void closeSegment() {
      FileChannel f = segFile;
      segFile = null;
      segNo = -1;
      if (f == null) {
        return;
      }
      try {
        f.force(false);
        f.close();
      } catch (IOException e) {
        log.error("could not close WAL segment: {}", e.toString());
      }
    }

    /**
     * Sends a standby status update: when {@code force}, when write or flush moved, or when the
     * status interval passed (walreceiver.c's XLogWalRcvSendReply).
     */
    private void sendReply(boolean force, boolean requestReply) throws IOException {
      long now = clock.millis();
      boolean intervalOn = !cfg.statusInterval().isZero();
      if (!force) {
        if (!intervalOn) {
          return;
        }
        // apply moving counts too (synchronous_commit = remote_apply waits for it); recovery
        // also forces a reply when it catches up (forceReply), this covers an apply in between
        Lsn applied = appliedUpto.get();
        if (written.equals(reportedWrite)
            && flushed.equals(reportedFlush)
            && (applied == null || applied.equals(reportedApply))
            && now < nextStatusAt) {
          return;
        }
      }
      nextStatusAt = now + cfg.statusInterval().toMillis();
      synchronized (sendLock) {
        reportedWrite = written;
        reportedFlush = flushed;
        sendStatus(requestReply);
      }
    }

    /** Recovery's {@link #forceReply}: the last reported write and flush, the current apply. */
    void replyApplied() {
      synchronized (sendLock) {
        Lsn apply = appliedUpto.get();
        if (apply == null || !apply.isAfter(reportedApply) || !reportedWrite.isValid()) {
          return;
        }
        try {
          sendStatus(false);
        } catch (IOException | RuntimeException e) {
          // the walreceiver's own thread sees the broken connection and ends the run
          log.debug("apply feedback not sent: {}", e.toString());
        }
      }
    }

    /** Caller holds sendLock. */
    private void sendStatus(boolean requestReply) throws IOException {
      Lsn apply = appliedUpto.get();
      if (apply == null) {
        apply = Lsn.INVALID;
      }
      transport.send(
          new StandbyStatusUpdate(
              reportedWrite,
              reportedFlush,
              apply,
              PgTimestamp.of(clock.instant()).micros(),
              requestReply));
      if (apply.isAfter(reportedApply)) {
        reportedApply = apply;
      }
    }

    /**
     * Sends hot standby feedback every status interval while {@code hot_standby_feedback} is on
     * (xmin 0 when the supplier has none).
     */
    private void sendFeedback(boolean force) throws IOException {
      if (!cfg.hotStandbyFeedback()) {
        return;
      }
      long now = clock.millis();
      if (!force && (cfg.statusInterval().isZero() || now < nextFeedbackAt)) {
        return;
      }
      nextFeedbackAt = now + cfg.statusInterval().toMillis();
      Xid x = feedbackXmin.get().orElse(Xid.INVALID);
      int xmin = (int) x.value();
      int epoch = (int) (x.value() >>> 32);
      synchronized (sendLock) {
        transport.send(
            new HotStandbyFeedback(
                PgTimestamp.of(clock.instant()).micros(), xmin, epoch, xmin, epoch));
      }
    }
  }
}
