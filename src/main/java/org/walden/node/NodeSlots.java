package org.walden.node;

import java.util.Optional;
import java.util.function.Supplier;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.fs.DurableFiles;
import org.walden.replication.slot.ReplicationSlots;
import org.walden.replication.slot.SlotRetention;
import org.walden.replication.slot.SlotStoreException;
import org.walden.wal.WalIdentity;
import org.walden.wal.WalRetention;
import org.walden.wal.WalWriter;

/**
 * A node's replication slots as the node wires them: the table restored from {@code pg_replslot}
 * and, on a primary, the slots' retention holder and their WAL availability ({@code
 * pg_replication_slots}' wal_status, measured against the write position). Made once at start,
 * before the checkpointer can remove WAL; immutable.
 */
record NodeSlots(ReplicationSlots table, Optional<SlotRetention> availability) {

  /**
   * Restores the slots; on a primary ({@code wal} not null) registers them with {@code retention}.
   * A corrupt slot file stops the start.
   */
  static NodeSlots open(
      DataDirectory dir,
      DurableFiles durable,
      Config config,
      Supplier<Config> current,
      WalRetention retention,
      WalWriter wal,
      WalIdentity identity)
      throws StartupException {
    ReplicationSlots table;
    try {
      table =
          ReplicationSlots.restore(
              dir.replslot(), durable, config.get(Settings.MAX_REPLICATION_SLOTS), retention);
    } catch (SlotStoreException e) {
      throw new StartupException(e.getMessage(), e.hint(), e);
    }
    if (wal == null) {
      return new NodeSlots(table, Optional.empty());
    }
    retention.register(
        SlotRetention.HOLDER,
        new SlotRetention(table, identity.segmentSize(), wal::insertPosition, current, retention));
    return new NodeSlots(
        table,
        Optional.of(
            new SlotRetention(
                table, identity.segmentSize(), wal::writtenUpto, current, retention)));
  }
}
