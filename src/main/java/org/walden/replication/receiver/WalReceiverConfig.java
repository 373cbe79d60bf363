package org.walden.replication.receiver;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.walden.config.Config;
import org.walden.config.Settings;

/**
 * The settings one streaming run uses, read when it starts ({@code primary_conninfo}, {@code
 * primary_slot_name}, {@code wal_receiver_timeout}, {@code wal_receiver_status_interval}, {@code
 * hot_standby_feedback}). A zero timeout or interval disables it, as in PostgreSQL.
 */
public record WalReceiverConfig(
    ConnInfo conninfo,
    Optional<String> slotName,
    Duration receiverTimeout,
    Duration statusInterval,
    boolean hotStandbyFeedback) {

  public WalReceiverConfig {
    Objects.requireNonNull(conninfo);
    Objects.requireNonNull(slotName);
    if (receiverTimeout.isNegative() || statusInterval.isNegative()) {
      throw new IllegalArgumentException("negative timeout or interval");
    }
  }

  /**
   * From the server's settings, as the node reads them at each start (they are all reloadable).
   *
   * @throws IllegalArgumentException if {@code primary_conninfo} does not parse
   */
  public static WalReceiverConfig from(Config c) {
    String slot = c.get(Settings.PRIMARY_SLOT_NAME);
    return new WalReceiverConfig(
        ConnInfo.parse(c.get(Settings.PRIMARY_CONNINFO)),
        slot == null || slot.isEmpty() ? Optional.empty() : Optional.of(slot),
        Settings.WAL_RECEIVER_TIMEOUT.toDuration(c.get(Settings.WAL_RECEIVER_TIMEOUT)),
        Settings.WAL_RECEIVER_STATUS_INTERVAL.toDuration(
            c.get(Settings.WAL_RECEIVER_STATUS_INTERVAL)),
        c.get(Settings.HOT_STANDBY_FEEDBACK));
  }

  /** PostgreSQL's defaults: 60 s timeout, 10 s status interval, no feedback, no slot. */
  public static WalReceiverConfig defaults(ConnInfo conninfo) {
    return new WalReceiverConfig(
        conninfo, Optional.empty(), Duration.ofSeconds(60), Duration.ofSeconds(10), false);
  }

  public WalReceiverConfig withSlotName(String slot) {
    return new WalReceiverConfig(
        conninfo, Optional.of(slot), receiverTimeout, statusInterval, hotStandbyFeedback);
  }

  public WalReceiverConfig withReceiverTimeout(Duration d) {
    return new WalReceiverConfig(conninfo, slotName, d, statusInterval, hotStandbyFeedback);
  }

  public WalReceiverConfig withStatusInterval(Duration d) {
    return new WalReceiverConfig(conninfo, slotName, receiverTimeout, d, hotStandbyFeedback);
  }

  public WalReceiverConfig withHotStandbyFeedback(boolean on) {
    return new WalReceiverConfig(conninfo, slotName, receiverTimeout, statusInterval, on);
  }
}
