package org.walden.replication.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.replication.command.ReplicationCommand.GenericOption;
import org.walden.replication.command.ReplicationCommand.OptionValue;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

/** The backup's byte formats: tar, manifest, label; and BASE_BACKUP's option checks. */
class BackupFormatsTest {

  @TempDir Path tmp;

  @Test
  void tarRoundTripsThroughTheExtractorInOddPieces() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarWriter w = new TarWriter(bytes::write);
    w.directory("global", 0);
    byte[] big = new byte[70_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    w.file("global/a", big, 0);
    w.file("empty", new byte[0], 0);
    w.finish();
    byte[] tar = bytes.toByteArray();
    assertThat(tar.length % 512).isZero();
    // header checksum as tar computes it: the sum with the field taken as spaces
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : tar[i] & 0xFF;
    }
    assertThat(new String(tar, 148, 6, StandardCharsets.US_ASCII))
        .isEqualTo(String.format("%06o", sum));
    assertThat(new String(tar, 0, 7, StandardCharsets.US_ASCII)).isEqualTo("global/");
    TarExtractor x = new TarExtractor(tmp);
    for (int off = 0; off < tar.length; off += 777) {
      x.feed(tar, off, Math.min(777, tar.length - off));
    }
    x.finish();
    assertThat(Files.readAllBytes(tmp.resolve("global/a"))).isEqualTo(big);
    assertThat(tmp.resolve("empty")).isEmptyFile();
  }

  @Test
  void crc32cIsWrittenLittleEndianAndTheManifestChecksumCoversAllButTheLastLine() throws Exception {
    ManifestChecksum.Running c = ManifestChecksum.CRC32C.start();
    byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
    c.update(data, 0, data.length);
    // CRC-32C("123456789") = 0xE3069283
    assertThat(c.finish()).contains("839206e3");
    BackupManifest m = new BackupManifest(false);
    m.addFile("a\"b", 9, Instant.EPOCH, ManifestChecksum.CRC32C, Optional.of("839206e3"));
    String text =
        new String(
            m.finish(TimelineId.FIRST, Lsn.parse("0/2000028"), Lsn.parse("0/2000100")),
            StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith("{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [\n")
        .contains(
            "{ \"Path\": \"a\\\"b\", \"Size\": 9, \"Last-Modified\": \"1970-01-01 00:00:00 GMT\","
                + " \"Checksum-Algorithm\": \"CRC32C\", \"Checksum\": \"839206e3\" }")
        .contains("{ \"Timeline\": 1, \"Start-LSN\": \"0/2000028\", \"End-LSN\": \"0/2000100\" }")
        .endsWith("\"}\n");
    int cut = text.lastIndexOf('\n', text.length() - 2) + 1;
    String sha =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(text.substring(0, cut).getBytes(StandardCharsets.UTF_8)));
    assertThat(text.substring(cut)).isEqualTo("\"Manifest-Checksum\": \"" + sha + "\"}\n");
  }

  @Test
  void labelRoundTrips() {
    BackupLabel l =
        new BackupLabel(
            Lsn.parse("0/2000028"),
            Lsn.parse("0/2000060"),
            TimelineId.FIRST,
            Instant.parse("2026-11-22T02:01:02Z"),
            "pg_basebackup base backup",
            false);
    String text = new String(l.bytes(WalSegmentSize.DEFAULT), StandardCharsets.UTF_8);
    assertThat(text)
        .isEqualTo(
            "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n"
                + "CHECKPOINT LOCATION: 0/2000060\n"
                + "BACKUP METHOD: streamed\n"
                + "BACKUP FROM: primary\n"
                + "START TIME: 2026-11-22 02:01:02 UTC\n"
                + "LABEL: pg_basebackup base backup\n"
                + "START TIMELINE: 1\n");
    assertThat(BackupLabel.parse(text)).contains(l);
    assertThat(BackupLabel.parse("LABEL: x\n")).isEmpty();
  }

  private static GenericOption opt(String name, String text) {
    return new GenericOption(name, Optional.of(new OptionValue.Text(text)));
  }

  @Test
  void optionsParseAsPostgresDoes() throws Exception {
    BackupOptions o =
        BackupOptions.parse(
            List.of(
                opt("label", "x"),
                new GenericOption("progress", Optional.empty()),
                opt("checkpoint", "fast"),
                new GenericOption("wait", Optional.of(new OptionValue.Number(0))),
                opt("manifest", "yes"),
                opt("manifest_checksums", "sha256"),
                new GenericOption("max_rate", Optional.of(new OptionValue.Number(32))),
                opt("target", "client")));
    assertThat(o.label()).isEqualTo("x");
    assertThat(o.progress()).isTrue();
    assertThat(o.fastCheckpoint()).isTrue();
    assertThat(o.waitForArchive()).isFalse();
    assertThat(o.manifest()).isEqualTo(BackupOptions.ManifestOption.YES);
    assertThat(o.checksum()).isEqualTo(ManifestChecksum.SHA256);
    assertThat(o.maxRateKbPerSecond()).isEqualTo(32);
    assertThatThrownBy(() ->
            BackupOptions.parse(
                List.of(
                    new GenericOption("max_rate", Optional.of(new OptionValue.Number(2_000_000))))))
        .hasMessage("2000000 is outside the valid range for parameter \"MAX_RATE\" (32 .. 1048576)")
        .extracting(e -> ((BaseBackupException) e).sqlState())
        .isEqualTo("22003");
    assertThatThrownBy(() -> BackupOptions.parse(List.of(opt("manifest_checksums", "sha256"))))
        .hasMessage("manifest checksums require a backup manifest");
    assertThatThrownBy(() -> BackupOptions.parse(List.of(opt("wal", "maybe"))))
        .hasMessage("wal requires a Boolean value");
  }
}
