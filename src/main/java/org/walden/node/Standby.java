package org.walden.node;

import java.time.Duration;
import java.util.Optional;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.recovery.StandbyRecovery;
import org.walden.recovery.WalArchive;
import org.walden.recovery.WalStream;
import org.walden.storage.txn.TransactionManager;
import org.walden.wal.Lsn;

/**
 * What a node in standby mode runs instead of a WAL writer and checkpointer: the recovery thread
 * ({@link StandbyRecovery}) with its two WAL sources (the archive through {@code restore_command},
 * the stream through the walreceiver), and a periodic vacuum of the store — on a standby nothing
 * else trims the row versions replay keeps adding.
 *
 * <p><b>Lifecycle.</b> Built by {@link Startup} after the checkpoint snapshot is loaded; {@link
 * #start} by the node once the listener may accept read-only sessions; {@link #stop} by the node's
 * shutdown after the sessions are gone. {@link #reload} is called by the node after a configuration
 * reload: a changed {@code primary_conninfo} or {@code primary_slot_name} restarts the walreceiver,
 * as in PostgreSQL 15.
 */
final class Standby {

  private final StandbyRecovery recovery;
  private final WalStream stream;
  private final WalArchive archive;
  private final TransactionManager store;

  /** The settings the walreceiver was last started with; written under {@code this}. */
  private String conninfo;

  private String slotName;

  private Thread vacuum;

  Standby(
      StandbyRecovery recovery,
      WalStream stream,
      WalArchive archive,
      TransactionManager store,
      Config config) {
    this.recovery = recovery;
    this.stream = stream;
    this.archive = archive;
    this.store = store;
    this.conninfo = config.get(Settings.PRIMARY_CONNINFO);
    this.slotName = config.get(Settings.PRIMARY_SLOT_NAME);
  }

  StandbyRecovery recovery() {
    return recovery;
  }

  WalStream stream() {
    return stream;
  }

  WalArchive archive() {
    return archive;
  }

  synchronized void start() {
    recovery.start();
    vacuum =
        Thread.ofVirtual()
            .name("walden-standby-vacuum")
            .start(() -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  Thread.sleep(Duration.ofSeconds(10));
                  store.vacuum();
                }
              } catch (InterruptedException e) {
                // stopping
              }
            });
  }

  synchronized void reload(Config c) {
    String ci = c.get(Settings.PRIMARY_CONNINFO);
    String slot = c.get(Settings.PRIMARY_SLOT_NAME);
    if (!ci.equals(conninfo) || !slot.equals(slotName)) {
      conninfo = ci;
      slotName = slot;
      recovery.restartStreaming();
    }
  }

  /** After a promotion: the recovery thread has ended by itself; stop the vacuum. */
  void stopAfterPromotion() {
    Thread v;
    synchronized (this) {
      v = vacuum;
    }
    if (v != null) {
      v.interrupt();
    }
  }

  void stop() {
    Thread v;
    synchronized (this) {
      v = vacuum;
    }
    if (v != null) {
      v.interrupt();
    }
    recovery.stop();
  }

  /** End of the last replayed record, or empty before the first. */
  Optional<Lsn> replayedUpto() {
    Lsn l = recovery.replayedUpto().get();
    return l.isValid() ? Optional.of(l) : Optional.empty();
  }
}
