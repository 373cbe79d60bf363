package org.walden.replication.backup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * MANIFEST_CHECKSUMS algorithms, with the manifest's spelling of each result: CRC32C as its four
 * bytes in little-endian order (PostgreSQL writes the in-memory uint32), the SHA-2 family as the
 * ordinary hex digest.
 */
public enum ManifestChecksum {
  NONE(null),
  CRC32C(null),
  SHA224("SHA-224"),
  SHA256("SHA-256"),
  SHA384("SHA-384"),
  SHA512("SHA-512");

  private final String jcaName;

  ManifestChecksum(String jcaName) {
    this.jcaName = jcaName;
  }

  /** By the option's (case-insensitive) name. */
  public static Optional<ManifestChecksum> byName(String name) {
    for (ManifestChecksum c : values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The manifest's "Checksum-Algorithm" value. */
  public String manifestName() {
    return name().toUpperCase(Locale.ROOT);
  }

  /** A fresh running checksum of one file. Not thread-safe; one per file. */
  public Running start() {
    return switch (this) {
      case NONE -> new Running(null, null);
      case CRC32C -> new Running(new CRC32C(), null);
      default -> {
        try {
          yield new Running(null, MessageDigest.getInstance(jcaName));
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("JDK lacks " + jcaName, e);
        }
      }
    };
  }

  /** One file's checksum being computed. */
  public static final class Running {
    private final CRC32C crc;
    private final MessageDigest digest;

    private Running(CRC32C crc, MessageDigest digest) {
      this.crc = crc;
      this.digest = digest;
    }

    public void update(byte[] b, int off, int len) {
      if (crc != null) {
        crc.update(b, off, len);
      } else if (digest != null) {
        digest.update(b, off, len);
      }
    }

    /** The manifest's hex text; empty for NONE. */
    public Optional<String> finish() {
      if (crc != null) {
        long v = crc.getValue();
        byte[] le = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        return Optional.of(HexFormat.of().formatHex(le));
      }
      if (digest != null) {
        return Optional.of(HexFormat.of().formatHex(digest.digest()));
      }
      return Optional.empty();
    }
  }
}
