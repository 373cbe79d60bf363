package org.walden.replication.receiver;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
