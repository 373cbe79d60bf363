package org.walden.storage.control;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

/**
 * The binary layout of {@code global/control}, version {@value ControlData#FORMAT_VERSION}, all
 * integers big-endian:
 *
 * <pre>
 *  offset size field
 *       0    4 magic 0x57444354 ("WDCT")
 *       4    4 format version
 *       8    4 total length in bytes, CRC included
 *      12    8 system identifier
 *      20    4 database state code ({@link DbState#code()})
 *      24    4 timeline
 *      28    8 checkpoint LSN
 *      36    8 redo LSN
 *      44    4 wal_segment_size in bytes
 *      48    8 time of last update, milliseconds since the epoch
 *      56    8 minimum recovery point LSN (0 = none)
 *      64    4 its timeline (0 = none)
 *      68    8 backup start LSN
 *      76    8 backup end LSN
 *      84    1 backup end required (0 or 1)
 *      85    2 n = length of the snapshot file name in UTF-8 bytes
 *      87    n snapshot file name
 *    87+n    4 CRC32C of bytes [0, 87+n)
 * </pre>
 *
 * <p>Checks on decode, in this order so that a flipped bit anywhere reads as {@code Corrupt} and
 * only a genuinely different format reads as {@code WrongVersion}: magic; length field equals the
 * file size; CRC; version; field values. Stateless.
 */
final class ControlFileFormat {

  static final int HEADER_BYTES = 12;
  static final int FIXED_BYTES = 87;
  static final int CRC_BYTES = 4;

  /** Larger than any valid file; a longer file is rejected before it is read into memory. */
  static final int MAX_FILE_BYTES = FIXED_BYTES + ControlData.MAX_SNAPSHOT_NAME_BYTES + CRC_BYTES;

  private ControlFileFormat() {}

  static byte[] encode(ControlData d) {
    byte[] name = d.checkpointSnapshot().getBytes(StandardCharsets.UTF_8);
    int length = FIXED_BYTES + name.length + CRC_BYTES;
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putInt(ControlData.MAGIC);
    b.putInt(ControlData.FORMAT_VERSION);
    b.putInt(length);
    b.putLong(d.systemIdentifier().value());
    b.putInt(d.state().code());
    b.putInt(d.timeline().value());
    b.putLong(d.checkpointLsn().value());
    b.putLong(d.redoLsn().value());
    b.putInt(d.walSegmentSize().bytes());
    b.putLong(d.lastUpdate().toEpochMilli());
    b.putLong(d.minRecoveryPoint().map(p -> p.lsn().value()).orElse(0L));
    b.putInt(d.minRecoveryPoint().map(p -> p.timeline().value()).orElse(0));
    b.putLong(d.backupStartLsn().value());
    b.putLong(d.backupEndLsn().value());
    b.put((byte) (d.backupEndRequired() ? 1 : 0));
    b.putShort((short) name.length);
    b.put(name);
    b.putInt(crc(b.array(), length - CRC_BYTES));
    return b.array();
  }

  static ControlFileReadResult decode(Path file, byte[] bytes) {
    if (bytes.length < HEADER_BYTES) {
      return new ControlFileReadResult.Corrupt(
          file, "file is " + bytes.length + " bytes long, too short for its header");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int magic = b.getInt();
    if (magic != ControlData.MAGIC) {
      return new ControlFileReadResult.Corrupt(
          file,
          String.format("bad magic number 0x%08X (expected 0x%08X)", magic, ControlData.MAGIC));
    }
    int version = b.getInt();
    int length = b.getInt();
    if (length != bytes.length || length < HEADER_BYTES + CRC_BYTES) {
      return new ControlFileReadResult.Corrupt(
          file,
          "length field says " + length + " bytes but the file has " + bytes.length + " bytes");
    }
    int stored = ByteBuffer.wrap(bytes, length - CRC_BYTES, CRC_BYTES).getInt();
    if (stored != crc(bytes, length - CRC_BYTES)) {
      return new ControlFileReadResult.Corrupt(file, "checksum mismatch");
    }
    if (version != ControlData.FORMAT_VERSION) {
      return new ControlFileReadResult.WrongVersion(file, version, ControlData.FORMAT_VERSION);
    }
    try {
      return new ControlFileReadResult.Valid(body(b, length));
    } catch (BadField e) {
      return new ControlFileReadResult.Corrupt(file, e.getMessage());
    }
  }

  /** A field value that no writer of this version produces (the CRC matched anyway). */
  private static final class BadField extends Exception {
    BadField(String message) {
      super(message, null, false, false);
    }
  }

  private static ControlData body(ByteBuffer b, int length) throws BadField {
    if (length < FIXED_BYTES + CRC_BYTES) {
      throw new BadField("file is " + length + " bytes long, too short for version 1");
    }
    SystemIdentifier id = new SystemIdentifier(b.getLong());
    int stateCode = b.getInt();
    DbState state =
        DbState.fromCode(stateCode)
            .orElseThrow(() -> new BadField("unknown database state code " + stateCode));
    TimelineId tli = timeline(b.getInt(), "timeline");
    Lsn checkpoint = Lsn.of(b.getLong());
    Lsn redo = Lsn.of(b.getLong());
    WalSegmentSize segmentSize;
    int segBytes = b.getInt();
    try {
      segmentSize = new WalSegmentSize(segBytes);
    } catch (IllegalArgumentException e) {
      throw new BadField("invalid WAL segment size " + segBytes);
    }
    Instant lastUpdate = Instant.ofEpochMilli(b.getLong());
    Lsn minLsn = Lsn.of(b.getLong());
    int minTli = b.getInt();
    Optional<ControlData.MinRecoveryPoint> min;
    if (minLsn.isValid() != (minTli != 0)) {
      throw new BadField("minimum recovery point " + minLsn + " with timeline " + minTli);
    }
    min =
        minLsn.isValid()
            ? Optional.of(
                new ControlData.MinRecoveryPoint(minLsn, timeline(minTli, "recovery timeline")))
            : Optional.empty();
    Lsn backupStart = Lsn.of(b.getLong());
    Lsn backupEnd = Lsn.of(b.getLong());
    byte flag = b.get();
    if (flag != 0 && flag != 1) {
      throw new BadField("backup-end-required flag is " + flag);
    }
    int nameLength = Short.toUnsignedInt(b.getShort());
    if (FIXED_BYTES + nameLength + CRC_BYTES != length) {
      throw new BadField("snapshot name length " + nameLength + " does not fit the file length");
    }
    String name;
    try {
      name =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(b.slice(b.position(), nameLength))
              .toString();
    } catch (CharacterCodingException e) {
      throw new BadField("snapshot file name is not valid UTF-8");
    }
    try {
      return new ControlData(
          id,
          state,
          tli,
          checkpoint,
          redo,
          name,
          segmentSize,
          lastUpdate,
          min,
          backupStart,
          backupEnd,
          flag == 1);
    } catch (IllegalArgumentException e) {
      throw new BadField(e.getMessage());
    }
  }

  private static TimelineId timeline(int value, String what) throws BadField {
    if (value == 0) {
      throw new BadField(what + " is 0");
    }
    return new TimelineId(value);
  }

  static int crc(byte[] bytes, int length) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, length);
    return (int) c.getValue();
  }
}
