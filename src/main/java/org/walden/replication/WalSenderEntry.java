package org.walden.replication;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/**
 * One walsender's slot in the {@link WalSenderTable} (PostgreSQL's {@code WalSnd}): who is
 * connected, and the progress {@code pg_stat_replication} shows.
 *
 * <p><b>Lifecycle.</b> Taken by {@link WalSenderTable#register} when a replication connection has
 * logged in (state {@code startup}); released by {@link WalSenderTable#unregister} when it closes.
 *
 * <p><b>Shared state.</b> The identity fields are final. The progress fields are written by the
 * owning walsender's thread and read by the SQL layer ({@link #row}) and by shutdown; they are
 * guarded by {@code mutex} (PostgreSQL's per-WalSnd spinlock). The stop request is written by the
 * node's shutdown thread through {@link #requestStop}, which sets the walsender's latch.
 */
public final class WalSenderEntry {

  /** Who the connection is; fixed at login. {@code clientPort} -1 = unknown. */
  public record Identity(
      int pid,
      long usesysid,
      String usename,
      String applicationName,
      InetAddress clientAddr,
      int clientPort,
      Instant backendStart) {}

  private final Identity identity;
  final Latch latch = new Latch();
  private final Object mutex = new Object();

  private WalSenderState state = WalSenderState.STARTUP; // guarded by mutex
  private Lsn sentPtr = Lsn.INVALID; // guarded by mutex
  private Lsn write = Lsn.INVALID; // guarded by mutex
  private Lsn flush = Lsn.INVALID; // guarded by mutex
  private Lsn apply = Lsn.INVALID; // guarded by mutex
  private Duration writeLag; // guarded by mutex; null = unknown
  private Duration flushLag; // guarded by mutex; null = unknown
  private Duration applyLag; // guarded by mutex; null = unknown
  private Instant replyTime; // guarded by mutex; null = no reply yet
  private Xid xmin = Xid.INVALID; // guarded by mutex
  private Lsn stopAt; // guarded by mutex; null = no shutdown requested

  WalSenderEntry(Identity identity) {
    this.identity = identity;
  }

  public Identity identity() {
    return identity;
  }

  public WalSenderState state() {
    synchronized (mutex) {
      return state;
    }
  }

  public void setState(WalSenderState s) {
    synchronized (mutex) {
      state = s;
    }
  }

  void setSentPtr(Lsn p) {
    synchronized (mutex) {
      sentPtr = p;
    }
  }

  /** What a StandbyStatusUpdate reported; a null lag leaves the previous one in place. */
  void recordReply(
      Lsn write,
      Lsn flush,
      Lsn apply,
      Optional<Duration> writeLag,
      Optional<Duration> flushLag,
      Optional<Duration> applyLag,
      boolean clearLags,
      Instant replyTime) {
    synchronized (mutex) {
      this.write = write;
      this.flush = flush;
      this.apply = apply;
      if (writeLag.isPresent() || clearLags) {
        this.writeLag = writeLag.orElse(null);
      }
      if (flushLag.isPresent() || clearLags) {
        this.flushLag = flushLag.orElse(null);
      }
      if (applyLag.isPresent() || clearLags) {
        this.applyLag = applyLag.orElse(null);
      }
      this.replyTime = replyTime;
    }
  }

  void recordFeedback(Xid xmin, Instant replyTime) {
    synchronized (mutex) {
      this.xmin = xmin;
      this.replyTime = replyTime;
    }
  }

  /** The standby's confirmed position for shutdown: flush, or write if flush is invalid. */
  Lsn replicatedPtr() {
    synchronized (mutex) {
      return flush.isValid() ? flush : write;
    }
  }

  /**
   * Asks the walsender to send everything up to {@code finalFlush}, wait for the standby to confirm
   * it, and end the stream with {@code COPY 0} (shutdown, after the shutdown checkpoint).
   */
  /**
   * Wakes this entry's walsender to re-check its conditions (a slot it streams through was
   * invalidated).
   */
  public void wakeWalSender() {
    latch.set();
  }

  void requestStop(Lsn finalFlush) {
    synchronized (mutex) {
      stopAt = finalFlush;
    }
    latch.set();
  }

  /** True once shutdown asked this walsender to stop (a running base backup then gives up). */
  public boolean stopRequested() {
    return stopAt() != null;
  }

  /** The shutdown target, or null. */
  Lsn stopAt() {
    synchronized (mutex) {
      return stopAt;
    }
  }

  /**
   * Reads the standby's reported write, flush and apply positions into {@code into[0..2]} (raw LSN
   * values, 0 = not reported) under one hold of the mutex, without allocating: the synchronous
   * replication release path calls this for every walsender on every standby reply.
   *
   * @return the walsender's state at that moment
   */
  public WalSenderState readSyncProgress(long[] into) {
    synchronized (mutex) {
      into[0] = write.value();
      into[1] = flush.value();
      into[2] = apply.value();
      return state;
    }
  }

  /**
   * An immutable snapshot for {@code pg_stat_replication}, with the synchronous replication
   * priority and state computed by {@link org.walden.replication.syncrep.SyncRep#describe}.
   */
  public WalSenderRow row(int syncPriority, String syncState) {
    synchronized (mutex) {
      return new WalSenderRow(
          identity.pid(),
          identity.usesysid(),
          identity.usename(),
          identity.applicationName(),
          Optional.ofNullable(identity.clientAddr()),
          identity.clientPort() < 0 ? Optional.empty() : Optional.of(identity.clientPort()),
          identity.backendStart(),
          xmin.isValid() ? Optional.of(xmin) : Optional.empty(),
          state,
          valid(sentPtr),
          valid(write),
          valid(flush),
          valid(apply),
          Optional.ofNullable(writeLag),
          Optional.ofNullable(flushLag),
          Optional.ofNullable(applyLag),
          syncPriority,
          syncState,
          Optional.ofNullable(replyTime));
    }
  }

  private static Optional<Lsn> valid(Lsn l) {
    return l.isValid() ? Optional.of(l) : Optional.empty();
  }
}
