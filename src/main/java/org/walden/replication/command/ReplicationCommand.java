package org.walden.replication.command;

import java.util.List;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * One parsed replication command (PostgreSQL 15's {@code repl_gram.y} nodes, {@code replnodes.h}).
 * Produced by {@link ReplicationCommandParser}; executed by the walsender's command loop. Names are
 * as the scanner left them: unquoted identifiers down-cased, {@code "quoted"} ones verbatim.
 */
public sealed interface ReplicationCommand {

  /** PHYSICAL or LOGICAL, for slots and START_REPLICATION. */
  enum Kind {
    PHYSICAL,
    LOGICAL
  }

  /** An option's value: an identifier or {@code 'string'} (both text), or an unsigned integer. */
  sealed interface OptionValue {
    record Text(String value) implements OptionValue {}

    record Number(long value) implements OptionValue {}
  }

  /**
   * {@code name [value]} from a parenthesized option list (or a legacy keyword turned into one, as
   * PostgreSQL does: {@code RESERVE_WAL} → {@code reserve_wal}, {@code EXPORT_SNAPSHOT} → {@code
   * snapshot 'export'}). An absent value means "true" to a boolean option. Lists keep order and
   * duplicates: the executor reports "conflicting or redundant options" / "duplicate option".
   */
  record GenericOption(String name, Optional<OptionValue> value) {}

  /** {@code IDENTIFY_SYSTEM}. */
  record IdentifySystem() implements ReplicationCommand {}

  /** {@code SHOW name} (name may be dotted). */
  record Show(String name) implements ReplicationCommand {}

  /** {@code TIMELINE_HISTORY tli}. */
  record TimelineHistory(TimelineId timeline) implements ReplicationCommand {}

  /**
   * {@code START_REPLICATION [SLOT s] [PHYSICAL] X/X [TIMELINE n]} or {@code START_REPLICATION SLOT
   * s LOGICAL X/X [(options)]}. Plugin options only for LOGICAL, timeline only for PHYSICAL.
   */
  record StartReplication(
      Optional<String> slot,
      Kind kind,
      Lsn start,
      Optional<TimelineId> timeline,
      List<GenericOption> pluginOptions)
      implements ReplicationCommand {
    public StartReplication {
      pluginOptions = List.copyOf(pluginOptions);
    }
  }

  /** {@code CREATE_REPLICATION_SLOT name [TEMPORARY] PHYSICAL|LOGICAL plugin [options]}. */
  record CreateReplicationSlot(
      String name,
      boolean temporary,
      Kind kind,
      Optional<String> plugin,
      List<GenericOption> options)
      implements ReplicationCommand {
    public CreateReplicationSlot {
      options = List.copyOf(options);
    }
  }

  /** {@code DROP_REPLICATION_SLOT name [WAIT]}. */
  record DropReplicationSlot(String name, boolean waitForInactive) implements ReplicationCommand {}

  /** {@code READ_REPLICATION_SLOT name}. */
  record ReadReplicationSlot(String name) implements ReplicationCommand {}

  /** {@code BASE_BACKUP [( option [value] [, …] )]}. */
  record BaseBackup(List<GenericOption> options) implements ReplicationCommand {
    public BaseBackup {
      options = List.copyOf(options);
    }
  }

  /** The keyword the command's CommandComplete tag carries. */
  default String tag() {
    return switch (this) {
      case IdentifySystem c -> "IDENTIFY_SYSTEM";
      case Show c -> "SHOW";
      case TimelineHistory c -> "TIMELINE_HISTORY";
      case StartReplication c -> "START_REPLICATION";
      case CreateReplicationSlot c -> "CREATE_REPLICATION_SLOT";
      case DropReplicationSlot c -> "DROP_REPLICATION_SLOT";
      case ReadReplicationSlot c -> "READ_REPLICATION_SLOT";
      case BaseBackup c -> "BASE_BACKUP";
    };
  }
}
