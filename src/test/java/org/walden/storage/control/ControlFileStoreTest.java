package org.walden.storage.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

class ControlFileStoreTest {

  private static final Instant T = Instant.parse("2026-11-22T03:18:54.123Z");

  @TempDir Path dataDir;
  ControlFileStore store;

  @BeforeEach
  void setUp() {
    store = new ControlFileStore(dataDir, new DurableFiles(FileIo.nio()));
  }

  static ControlData sample() {
    return new ControlData(
        new SystemIdentifier(0xF123_4567_89AB_CDEFL),
        DbState.IN_ARCHIVE_RECOVERY,
        new TimelineId(3),
        Lsn.parse("1/2000060"),
        Lsn.parse("1/2000028"),
        "snapshot-00000001-02000060.tbl",
        new WalSegmentSize(64 << 20),
        T,
        Optional.of(new ControlData.MinRecoveryPoint(Lsn.parse("1/3000000"), new TimelineId(2))),
        Lsn.parse("1/1000028"),
        Lsn.parse("1/1800000"),
        true);
  }

  @Test
  void read_missingFile() throws IOException {
    ControlFileReadResult r = store.read();
    assertThat(r).isInstanceOf(ControlFileReadResult.Missing.class);
    assertThat(r.describe()).contains("global/control").contains("No such file or directory");
  }

  @Test
  void writeRead_roundTrips() throws IOException {
    ControlData d = sample();
    store.write(d);
    assertThat(store.read()).isEqualTo(new ControlFileReadResult.Valid(d));
    assertThat(Files.exists(store.file().resolveSibling("control.tmp"))).isFalse();

    ControlData initial =
        ControlData.initial(
            SystemIdentifier.generate(T, 4242), WalSegmentSize.DEFAULT, Lsn.parse("0/1000028"), T);
    store.write(initial);
    assertThat(store.read()).isEqualTo(new ControlFileReadResult.Valid(initial));
    ControlData later =
        initial
            .withState(DbState.IN_PRODUCTION, T.plusSeconds(1))
            .withCheckpoint(
                Lsn.parse("0/2000100"), Lsn.parse("0/2000000"), TimelineId.FIRST, "s1", T);
    store.write(later);
    assertThat(((ControlFileReadResult.Valid) store.read()).data()).isEqualTo(later);
  }

  @Test
  void read_everyFlippedByteIsCorrupt() throws IOException {
    store.write(sample());
    byte[] good = Files.readAllBytes(store.file());
    for (int i = 0; i < good.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xFF}) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) mask;
        Files.write(store.file(), bad);
        assertThat(store.read())
            .as("byte %d xor 0x%02X", i, mask)
            .isInstanceOf(ControlFileReadResult.Corrupt.class);
      }
    }
  }

  @Test
  void read_truncatedOrExtendedFileIsCorrupt() throws IOException {
    store.write(sample());
    byte[] good = Files.readAllBytes(store.file());
    for (int len = 0; len < good.length; len++) {
      Files.write(store.file(), Arrays.copyOf(good, len));
      assertThat(store.read())
          .as("length %d", len)
          .isInstanceOf(ControlFileReadResult.Corrupt.class);
    }
    Files.write(store.file(), Arrays.copyOf(good, good.length + 1));
    assertThat(store.read()).isInstanceOf(ControlFileReadResult.Corrupt.class);
    Files.write(store.file(), new byte[100_000]);
    assertThat(store.read()).isInstanceOf(ControlFileReadResult.Corrupt.class);
  }

  @Test
  void read_checksumMismatchMessageIsActionable() throws IOException {
    store.write(sample());
    byte[] bad = Files.readAllBytes(store.file());
    bad[30] ^= 1;
    Files.write(store.file(), bad);
    assertThat(store.read().describe())
        .isEqualTo(
            "control file \""
                + store.file()
                + "\" is corrupt: checksum mismatch; restore the data directory from a backup");
  }

  @Test
  void read_intactOtherVersionIsWrongVersion() throws IOException {
    store.write(sample());
    byte[] other = Files.readAllBytes(store.file());
    ByteBuffer.wrap(other).putInt(4, 7);
    ByteBuffer.wrap(other).putInt(other.length - 4, ControlFileFormat.crc(other, other.length - 4));
    Files.write(store.file(), other);
    ControlFileReadResult r = store.read();
    assertThat(r)
        .isEqualTo(
            new ControlFileReadResult.WrongVersion(store.file(), 7, ControlData.FORMAT_VERSION));
    assertThat(r.describe()).contains("format version 7").contains("reads version 1");
  }

  @Test
  void read_badFieldWithGoodChecksumIsCorrupt() throws IOException {
    store.write(sample());
    byte[] bytes = Files.readAllBytes(store.file());
    ByteBuffer.wrap(bytes).putInt(20, 99); // state code
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, ControlFileFormat.crc(bytes, bytes.length - 4));
    Files.write(store.file(), bytes);
    ControlFileReadResult r = store.read();
    assertThat(r).isInstanceOf(ControlFileReadResult.Corrupt.class);
    assertThat(((ControlFileReadResult.Corrupt) r).reason())
        .isEqualTo("unknown database state code 99");
  }

  @Test
  void controlData_rejectsRedoAfterCheckpoint() {
    assertThatThrownBy(() ->
            ControlData.initial(
                    new SystemIdentifier(1), WalSegmentSize.DEFAULT, Lsn.parse("0/100"), T)
                .withCheckpoint(Lsn.parse("0/100"), Lsn.parse("0/200"), TimelineId.FIRST, "", T))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dbState_textsMatchPgControldata() {
    assertThat(DbState.IN_PRODUCTION.text()).isEqualTo("in production");
    assertThat(DbState.SHUT_DOWN_IN_RECOVERY.text()).isEqualTo("shut down in recovery");
    assertThat(DbState.values()).extracting(DbState::code).containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void systemIdentifier_printsUnsignedDecimal() {
    SystemIdentifier id = new SystemIdentifier(-1L);
    assertThat(id.toString()).isEqualTo("18446744073709551615");
    assertThat(SystemIdentifier.parse("18446744073709551615")).isEqualTo(id);
    assertThat(SystemIdentifier.generate(T, 0x1ABC).value() >>> 32).isEqualTo(T.getEpochSecond());
  }
}
