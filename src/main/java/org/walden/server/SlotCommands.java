package org.walden.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.walden.replication.WalSenderServices;
import org.walden.replication.command.ReplicationCommand;
import org.walden.replication.command.ReplicationCommand.CreateReplicationSlot;
import org.walden.replication.command.ReplicationCommand.DropReplicationSlot;
import org.walden.replication.command.ReplicationCommand.GenericOption;
import org.walden.replication.command.ReplicationCommand.OptionValue;
import org.walden.replication.command.ReplicationCommand.ReadReplicationSlot;
import org.walden.replication.slot.ReplicationSlot;
import org.walden.replication.slot.SlotException;
import org.walden.replication.slot.SlotRow;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;
import org.walden.wire.codec.FieldDescription;
import org.walden.wire.codec.MessageWriter;

/**
 * The slot commands of one replication connection (walsender.c's CreateReplicationSlot,
 * DropReplicationSlot, ReadReplicationSlot, and the slot part of StartReplication): option parsing,
 * PostgreSQL's errors and result rows, over the node's {@link
 * org.walden.replication.slot.ReplicationSlots}.
 *
 * <p>Owned by a {@link ReplicationSession}; session thread only. Holds no state of its own: the
 * slots a connection made or uses are recorded under its pid in the slot table, which drops the
 * temporary ones when {@link #connectionEnded} is called.
 */
final class SlotCommands {
  private static final int TEXT = 25;
  private static final int INT8 = 20;

  private final WalSenderServices services;
  private final ReplicationMode mode;
  private final int pid;

  SlotCommands(WalSenderServices services, ReplicationMode mode, int pid) {
    this.services = services;
    this.mode = mode;
    this.pid = pid;
  }

  /** CREATE_REPLICATION_SLOT: one row (slot_name, consistent_point, snapshot_name, plugin). */
  void create(CreateReplicationSlot c, MessageWriter w) throws IOException {
    boolean reserveWal = reserveWalOption(c);
    if (c.kind() == ReplicationCommand.Kind.LOGICAL) {
      if (mode != ReplicationMode.LOGICAL) {
        throw PgError.error("55000", "logical decoding requires a database connection")
            .toException();
      }
      throw PgError.error("0A000", "logical replication slots are not supported yet").toException();
    }
    try {
      services
          .slots()
          .create(
              c.name(),
              c.temporary(),
              pid,
              reserveWal ? Optional.of(services.slotReservePoint()) : Optional.empty());
    } catch (SlotException e) {
      throw toPg(e);
    } catch (IOException e) {
      throw fileError(e);
    }
    w.rowDescription(
        List.of(
            FieldDescription.computed("slot_name", TEXT, -1),
            FieldDescription.computed("consistent_point", TEXT, -1),
            FieldDescription.computed("snapshot_name", TEXT, -1),
            FieldDescription.computed("output_plugin", TEXT, -1)));
    w.dataRow(Arrays.asList(c.name(), "0/0", null, null));
  }

  /**
   * PostgreSQL 15's parseCreateReplSlotOptions: {@code reserve_wal} only for physical slots, {@code
   * snapshot} and {@code two_phase} only for logical ones, each at most once.
   */
  private static boolean reserveWalOption(CreateReplicationSlot c) {
    boolean reserve = false;
    boolean reserveGiven = false;
    boolean snapshotGiven = false;
    boolean twoPhaseGiven = false;
    boolean physical = c.kind() == ReplicationCommand.Kind.PHYSICAL;
    for (GenericOption o : c.options()) {
      switch (o.name()) {
        case "snapshot" -> {
          if (snapshotGiven || physical) {
            throw redundant();
          }
          snapshotGiven = true;
        }
        case "reserve_wal" -> {
          if (reserveGiven || !physical) {
            throw redundant();
          }
          reserveGiven = true;
          reserve = bool(o);
        }
        case "two_phase" -> {
          if (twoPhaseGiven || physical) {
            throw redundant();
          }
          twoPhaseGiven = true;
          bool(o);
        }
        default -> throw PgError.error("XX000", "unrecognized option: " + o.name()).toException();
      }
    }
    return reserve;
  }

  private static PgException redundant() {
    return PgError.error("42601", "conflicting or redundant options").toException();
  }

  /** defGetBoolean. */
  private static boolean bool(GenericOption o) {
    if (o.value().isEmpty()) {
      return true;
    }
    switch (o.value().get()) {
      case OptionValue.Number n -> {
        if (n.value() == 0 || n.value() == 1) {
          return n.value() == 1;
        }
      }
      case OptionValue.Text t -> {
        switch (t.value().toLowerCase(Locale.ROOT)) {
          case "true", "on" -> {
            return true;
          }
          case "false", "off" -> {
            return false;
          }
          default -> {}
        }
      }
    }
    throw PgError.error("42601", o.name() + " requires a Boolean value").toException();
  }

  /** DROP_REPLICATION_SLOT [WAIT]: no result set. */
  void drop(DropReplicationSlot d) {
    try {
      services.slots().drop(d.name(), d.waitForInactive(), pid);
    } catch (SlotException e) {
      throw toPg(e);
    } catch (IOException e) {
      throw fileError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PgError.error("57014", "canceling statement due to user request").toException();
    }
  }

  /**
   * READ_REPLICATION_SLOT: one row, all NULL for a missing slot (not an error). restart_tli is the
   * current timeline: Walden streams one timeline's history (see the notes on timelines).
   */
  void read(ReadReplicationSlot r, MessageWriter w) throws IOException {
    Optional<SlotRow> row = services.slots().row(r.name());
    w.rowDescription(
        List.of(
            FieldDescription.computed("slot_type", TEXT, -1),
            FieldDescription.computed("restart_lsn", TEXT, -1),
            FieldDescription.computed("restart_tli", INT8, 8)));
    if (row.isEmpty()) {
      w.dataRow(Arrays.asList(null, null, null));
      return;
    }
    SlotRow s = row.get();
    boolean reserved = s.restartLsn().isValid();
    w.dataRow(
        Arrays.asList(
            "physical",
            reserved ? s.restartLsn().toString() : null,
            reserved ? Long.toString(services.timeline().get().unsigned()) : null));
  }

  /**
   * START_REPLICATION SLOT s: makes this connection the slot's user (42704 missing, 55006 in use,
   * 55000 lost) and reserves WAL from {@code start} if the slot held none. The caller releases it.
   */
  ReplicationSlot acquireForStreaming(String name, org.walden.wal.Lsn start, Runnable wake) {
    ReplicationSlot s;
    try {
      s = services.slots().acquire(name, pid, wake);
    } catch (SlotException e) {
      throw toPg(e);
    }
    if (services.slots().isLost(s)) {
      releaseQuietly(s);
      throw PgError.error(
              "55000", "can no longer get changes from replication slot \"" + name + "\"")
          .withDetail(
              "This slot has been invalidated because it exceeded the maximum reserved size.")
          .toException();
    }
    services.slots().reserveIfUnreserved(s, start);
    return s;
  }

  void release(ReplicationSlot s) throws IOException {
    services.slots().release(s);
  }

  private void releaseQuietly(ReplicationSlot s) {
    try {
      services.slots().release(s);
    } catch (IOException e) {
      // nothing changed that needs writing
    }
  }

  /** The connection ended: its temporary slots go, any slot it still used is released. */
  void connectionEnded() {
    services.slots().connectionEnded(pid);
  }

  /** A slot file could not be written (the slot table is unchanged, or the drop left it). */
  private static PgException fileError(IOException e) {
    return PgError.error("58030", "could not write replication slot state: " + e.getMessage())
        .toException();
  }

  private static PgException toPg(SlotException e) {
    PgError p = PgError.error(e.sqlState(), e.getMessage());
    if (e.detail() != null) {
      p = p.withDetail(e.detail());
    }
    if (e.hint() != null) {
      p = p.withHint(e.hint());
    }
    return p.toException();
  }
}
