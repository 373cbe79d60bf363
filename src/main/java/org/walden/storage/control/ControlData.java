package org.walden.storage.control;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

/**
 * The content of the control file {@code global/control} (PostgreSQL's {@code ControlFileData}):
 * the facts the server needs before it can read anything else.
 *
 * @param systemIdentifier the system's identity, fixed at init
 * @param state how the server last left the data directory
 * @param timeline the timeline of the latest checkpoint (PostgreSQL's {@code ThisTimeLineID})
 * @param checkpointLsn where the latest checkpoint record is
 * @param redoLsn where replay starts for that checkpoint (at or before {@code checkpointLsn})
 * @param checkpointSnapshot the file name (under {@code base/}) of the table snapshot that
 *     checkpoint wrote, or empty before the first checkpoint
 * @param walSegmentSize {@code wal_segment_size}, fixed at init
 * @param lastUpdate when this content was written
 * @param minRecoveryPoint on a standby or during archive recovery: WAL must be replayed at least
 *     this far before the data is consistent; empty when no such point is recorded
 * @param backupStartLsn the redo point of the base backup being recovered from, or {@link
 *     Lsn#INVALID}
 * @param backupEndLsn where that backup ended once known, or {@link Lsn#INVALID}
 * @param backupEndRequired true while recovery from a backup has not yet seen the backup's end
 */
public record ControlData(
    SystemIdentifier systemIdentifier,
    DbState state,
    TimelineId timeline,
    Lsn checkpointLsn,
    Lsn redoLsn,
    String checkpointSnapshot,
    WalSegmentSize walSegmentSize,
    Instant lastUpdate,
    Optional<MinRecoveryPoint> minRecoveryPoint,
    Lsn backupStartLsn,
    Lsn backupEndLsn,
    boolean backupEndRequired) {

  /** The file's magic number, "WDCT" ("Walden control"). */
  public static final int MAGIC = 0x57444354;

  /**
   * The layout version this build reads and writes. Bump it on any layout change; the header
   * (magic, version, length) and the trailing CRC32C keep their places in every version.
   */
  public static final int FORMAT_VERSION = 1;

  /** The longest snapshot file name, in UTF-8 bytes, the format stores. */
  public static final int MAX_SNAPSHOT_NAME_BYTES = 1024;

  /** A point WAL must be replayed to, with the timeline it lies on. */
  public record MinRecoveryPoint(Lsn lsn, TimelineId timeline) {
    public MinRecoveryPoint {
      Objects.requireNonNull(lsn);
      Objects.requireNonNull(timeline);
      if (!lsn.isValid()) {
        throw new IllegalArgumentException("a minimum recovery point needs a valid LSN");
      }
    }
  }

  public ControlData {
    Objects.requireNonNull(systemIdentifier);
    Objects.requireNonNull(state);
    Objects.requireNonNull(timeline);
    Objects.requireNonNull(checkpointLsn);
    Objects.requireNonNull(redoLsn);
    Objects.requireNonNull(checkpointSnapshot);
    Objects.requireNonNull(walSegmentSize);
    Objects.requireNonNull(minRecoveryPoint);
    Objects.requireNonNull(backupStartLsn);
    Objects.requireNonNull(backupEndLsn);
    // Stored with millisecond precision; normalizing here keeps write-then-read equal.
    lastUpdate = Instant.ofEpochMilli(lastUpdate.toEpochMilli());
    if (redoLsn.isAfter(checkpointLsn)) {
      throw new IllegalArgumentException(
          "redo point " + redoLsn + " is after checkpoint " + checkpointLsn);
    }
    if (checkpointSnapshot.getBytes(StandardCharsets.UTF_8).length > MAX_SNAPSHOT_NAME_BYTES) {
      throw new IllegalArgumentException("checkpoint snapshot name too long");
    }
  }

  /** The content of a freshly initialized system, before its first checkpoint is written. */
  public static ControlData initial(
      SystemIdentifier id, WalSegmentSize segmentSize, Lsn checkpoint, Instant now) {
    return new ControlData(
        id,
        DbState.SHUT_DOWN,
        TimelineId.FIRST,
        checkpoint,
        checkpoint,
        "",
        segmentSize,
        now,
        Optional.empty(),
        Lsn.INVALID,
        Lsn.INVALID,
        false);
  }

  public ControlData withState(DbState newState, Instant now) {
    return new ControlData(
        systemIdentifier,
        newState,
        timeline,
        checkpointLsn,
        redoLsn,
        checkpointSnapshot,
        walSegmentSize,
        now,
        minRecoveryPoint,
        backupStartLsn,
        backupEndLsn,
        backupEndRequired);
  }

  /** After a checkpoint: its location, redo point, timeline and snapshot. */
  public ControlData withCheckpoint(
      Lsn checkpoint, Lsn redo, TimelineId tli, String snapshot, Instant now) {
    return new ControlData(
        systemIdentifier,
        state,
        tli,
        checkpoint,
        redo,
        snapshot,
        walSegmentSize,
        now,
        minRecoveryPoint,
        backupStartLsn,
        backupEndLsn,
        backupEndRequired);
  }

  public ControlData withMinRecoveryPoint(Optional<MinRecoveryPoint> point, Instant now) {
    return new ControlData(
        systemIdentifier,
        state,
        timeline,
        checkpointLsn,
        redoLsn,
        checkpointSnapshot,
        walSegmentSize,
        now,
        point,
        backupStartLsn,
        backupEndLsn,
        backupEndRequired);
  }

  public ControlData withBackup(Lsn start, Lsn end, boolean endRequired, Instant now) {
    return new ControlData(
        systemIdentifier,
        state,
        timeline,
        checkpointLsn,
        redoLsn,
        checkpointSnapshot,
        walSegmentSize,
        now,
        minRecoveryPoint,
        start,
        end,
        endRequired);
  }
}
