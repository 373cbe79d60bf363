package org.walden.replication.backup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * Builds {@code backup_manifest} in PostgreSQL's byte format (backup_manifest.c; checked by
 * pg_verifybackup): one JSON object per line, files in the order sent, one WAL range, and a SHA-256
 * of everything up to the second-to-last newline as Manifest-Checksum.
 *
 * <p>Not thread-safe: one per backup, on the backup's thread.
 */
final class BackupManifest {

  private static final DateTimeFormatter MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'").withZone(ZoneOffset.UTC);

  private final boolean forceEncode;
  private final StringBuilder text = new StringBuilder();
  private boolean firstFile = true;

  BackupManifest(boolean forceEncode) {
    this.forceEncode = forceEncode;
    text.append("{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [");
  }

  void addFile(
      String path, long size, Instant modified, ManifestChecksum algorithm, Optional<String> sum) {
    text.append(firstFile ? "\n" : ",\n");
    firstFile = false;
    text.append("{ ");
    if (forceEncode) {
      text.append("\"Encoded-Path\": \"")
          .append(HexFormat.of().formatHex(path.getBytes(StandardCharsets.UTF_8)))
          .append('"');
    } else {
      text.append("\"Path\": ");
      appendJsonString(text, path);
    }
    text.append(", \"Size\": ").append(size);
    text.append(", \"Last-Modified\": \"").append(MODIFIED.format(modified)).append('"');
    if (sum.isPresent()) {
      text.append(", \"Checksum-Algorithm\": \"").append(algorithm.manifestName()).append('"');
      text.append(", \"Checksum\": \"").append(sum.get()).append('"');
    }
    text.append(" }");
  }

  /** Ends the file list, adds the WAL range and the checksum; returns the manifest's bytes. */
  byte[] finish(TimelineId tli, Lsn start, Lsn end) {
    text.append("\n],\n\"WAL-Ranges\": [\n");
    text.append("{ \"Timeline\": ")
        .append(tli.unsigned())
        .append(", \"Start-LSN\": \"")
        .append(start)
        .append("\", \"End-LSN\": \"")
        .append(end)
        .append("\" }");
    text.append("\n],\n");
    byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(head));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    text.append("\"Manifest-Checksum\": \"").append(sha).append("\"}\n");
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void appendJsonString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
