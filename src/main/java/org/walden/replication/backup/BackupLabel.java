package org.walden.replication.backup;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

/**
 * The {@code backup_label} file (PostgreSQL's text, so people and tools read it as they know it):
 * where the backup's WAL starts, the checkpoint recovery must begin at, and the label. Written by a
 * base backup into its archive, read by startup to recover a copy. Immutable.
 */
public record BackupLabel(
    Lsn startLsn,
    Lsn checkpointLsn,
    TimelineId timeline,
    Instant startTime,
    String label,
    boolean fromStandby) {

  public static final String FILE_NAME = "backup_label";
  public static final String OLD_FILE_NAME = "backup_label.old";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  public String format(WalSegmentSize segSize) {
    String file = segSize.name(timeline, segSize.segmentOf(startLsn)).fileName();
    return String.format(
        Locale.ROOT,
        "START WAL LOCATION: %s (file %s)%n"
            + "CHECKPOINT LOCATION: %s%n"
            + "BACKUP METHOD: streamed%n"
            + "BACKUP FROM: %s%n"
            + "START TIME: %s%n"
            + "LABEL: %s%n"
            + "START TIMELINE: %d%n",
        startLsn,
        file,
        checkpointLsn,
        fromStandby ? "standby" : "primary",
        TIME.format(startTime),
        label,
        timeline.unsigned());
  }

  public byte[] bytes(WalSegmentSize segSize) {
    return format(segSize).replace(System.lineSeparator(), "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a label; empty if a required line (START WAL LOCATION, CHECKPOINT LOCATION) is missing or
   * malformed, so the caller can name the file as invalid.
   */
  public static Optional<BackupLabel> parse(String text) {
    Lsn start = null;
    Lsn ckpt = null;
    TimelineId tli = TimelineId.FIRST;
    String label = "";
    boolean standby = false;
    Instant time = Instant.EPOCH;
    try {
      for (String line : text.split("\n")) {
        if (line.startsWith("START WAL LOCATION: ")) {
          String v = line.substring("START WAL LOCATION: ".length());
          int sp = v.indexOf(' ');
          start = Lsn.parse(sp < 0 ? v : v.substring(0, sp));
        } else if (line.startsWith("CHECKPOINT LOCATION: ")) {
          ckpt = Lsn.parse(line.substring("CHECKPOINT LOCATION: ".length()).strip());
        } else if (line.startsWith("START TIMELINE: ")) {
          tli =
              new TimelineId(Integer.parseInt(line.substring("START TIMELINE: ".length()).strip()));
        } else if (line.startsWith("LABEL: ")) {
          label = line.substring("LABEL: ".length());
        } else if (line.startsWith("BACKUP FROM: ")) {
          standby = line.endsWith("standby");
        } else if (line.startsWith("START TIME: ")) {
          try {
            time = Instant.from(TIME.parse(line.substring("START TIME: ".length()).strip()));
          } catch (RuntimeException e) {
            // informational only
          }
        }
      }
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (start == null || ckpt == null) {
      return Optional.empty();
    }
    return Optional.of(new BackupLabel(start, ckpt, tli, time, label, standby));
  }
}
