package org.walden.replication.backup;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.walden.replication.command.ReplicationCommand.GenericOption;
import org.walden.replication.command.ReplicationCommand.OptionValue;

/**
 * BASE_BACKUP's options, validated as PostgreSQL 15's {@code parse_basebackup_options} does (same
 * SQLSTATEs and messages). Immutable.
 *
 * @param maxRateKbPerSecond 0 = unthrottled, else 32..1048576
 */
public record BackupOptions(
    String label,
    boolean progress,
    boolean fastCheckpoint,
    boolean includeWal,
    boolean waitForArchive,
    int maxRateKbPerSecond,
    boolean tablespaceMap,
    boolean verifyChecksums,
    ManifestOption manifest,
    ManifestChecksum checksum) {

  public static final int MAX_RATE_LOWER = 32;
  public static final int MAX_RATE_UPPER = 1048576;

  /** MANIFEST 'yes' | 'no' | 'force-encode'. */
  public enum ManifestOption {
    NO,
    YES,
    FORCE_ENCODE
  }

  /** The defaults of a bare {@code BASE_BACKUP}. */
  public static BackupOptions defaults() {
    return new BackupOptions(
        "base backup",
        false,
        false,
        false,
        true,
        0,
        false,
        true,
        ManifestOption.NO,
        ManifestChecksum.CRC32C);
  }

  /** Validates the parsed option list. */
  public static BackupOptions parse(List<GenericOption> options) throws BaseBackupException {
    String label = "base backup";
    boolean progress = false;
    boolean fast = false;
    boolean wal = false;
    boolean wait = true;
    int maxRate = 0;
    boolean spcMap = false;
    boolean verify = true;
    ManifestOption manifest = ManifestOption.NO;
    Optional<ManifestChecksum> checksum = Optional.empty();
    String target = null;
    Set<String> seen = new HashSet<>();
    for (GenericOption o : options) {
      String name = o.name();
      if (!seen.add(name)) {
        throw syntax("duplicate option \"" + name + "\"");
      }
      switch (name) {
        case "label" -> label = string(o);
        case "progress" -> progress = bool(o);
        case "checkpoint" -> {
          String v = string(o);
          if (v.equalsIgnoreCase("fast")) {
            fast = true;
          } else if (v.equalsIgnoreCase("spread")) {
            fast = false;
          } else {
            throw syntax("unrecognized checkpoint type: \"" + v + "\"");
          }
        }
        case "wait" -> wait = bool(o);
        case "wal" -> wal = bool(o);
        case "max_rate" -> {
          long v = number(o);
          if (v != 0 && (v < MAX_RATE_LOWER || v > MAX_RATE_UPPER)) {
            throw new BaseBackupException(
                "22003",
                v
                    + " is outside the valid range for parameter \"MAX_RATE\" ("
                    + MAX_RATE_LOWER
                    + " .. "
                    + MAX_RATE_UPPER
                    + ")");
          }
          maxRate = (int) v;
        }
        case "tablespace_map" -> spcMap = bool(o);
        case "verify_checksums" -> verify = bool(o);
        case "manifest" -> {
          String v = string(o);
          Optional<Boolean> b = parseBool(v);
          if (b.isPresent()) {
            manifest = b.get() ? ManifestOption.YES : ManifestOption.NO;
          } else if (v.equalsIgnoreCase("force-encode")) {
            manifest = ManifestOption.FORCE_ENCODE;
          } else {
            throw syntax("unrecognized manifest option: \"" + v + "\"");
          }
        }
        case "manifest_checksums" -> {
          String v = string(o);
          checksum =
              Optional.of(
                  ManifestChecksum.byName(v)
                      .orElseThrow(() ->
                          new BaseBackupException(
                              "22023", "unrecognized checksum algorithm: \"" + v + "\"")));
        }
        case "target" -> {
          String v = string(o).toLowerCase(Locale.ROOT);
          switch (v) {
            case "client" -> target = v;
            case "server", "blackhole" ->
                throw new BaseBackupException(
                    "0A000", "backup target \"" + v + "\" is not supported by this server");
            default -> throw new BaseBackupException("22023", "unrecognized target: \"" + v + "\"");
          }
        }
        case "target_detail" -> string(o);
        case "compression", "compression_detail" ->
            throw new BaseBackupException(
                "0A000", "server-side compression of base backups is not supported");
        default -> throw syntax("unrecognized base backup option: \"" + name + "\"");
      }
    }
    if (seen.contains("target_detail") && target == null) {
      throw syntax("target detail cannot be used without target");
    }
    if (manifest == ManifestOption.NO && checksum.isPresent()) {
      throw syntax("manifest checksums require a backup manifest");
    }
    return new BackupOptions(
        label,
        progress,
        fast,
        wal,
        wait,
        maxRate,
        spcMap,
        verify,
        manifest,
        checksum.orElse(ManifestChecksum.CRC32C));
  }

  private static BaseBackupException syntax(String message) {
    return new BaseBackupException("42601", message);
  }

  private static String string(GenericOption o) throws BaseBackupException {
    if (o.value().isEmpty()) {
      throw syntax(o.name() + " requires a parameter");
    }
    return switch (o.value().get()) {
      case OptionValue.Text t -> t.value();
      case OptionValue.Number n -> Long.toString(n.value());
    };
  }

  private static long number(GenericOption o) throws BaseBackupException {
    if (o.value().isPresent() && o.value().get() instanceof OptionValue.Number n) {
      return n.value();
    }
    throw syntax(o.name() + " requires a numeric value");
  }

  private static boolean bool(GenericOption o) throws BaseBackupException {
    if (o.value().isEmpty()) {
      return true;
    }
    Optional<Boolean> b =
        switch (o.value().get()) {
          case OptionValue.Number n ->
              n.value() == 0
                  ? Optional.of(false)
                  : n.value() == 1 ? Optional.of(true) : Optional.empty();
          case OptionValue.Text t -> parseBool(t.value());
        };
    return b.orElseThrow(() -> syntax(o.name() + " requires a Boolean value"));
  }

  private static Optional<Boolean> parseBool(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "t", "yes", "y", "on", "1" -> Optional.of(true);
      case "false", "f", "no", "n", "off", "0" -> Optional.of(false);
      default -> Optional.empty();
    };
  }
}
