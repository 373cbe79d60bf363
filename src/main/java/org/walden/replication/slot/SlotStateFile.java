package org.walden.replication.slot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.walden.fs.DurableFiles;
import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/**
 * The on-disk form of one persistent slot, {@code pg_replslot/<name>/state} (PostgreSQL's
 * SaveSlotToPath / RestoreSlotFromDisk, in Walden's own format):
 *
 * <pre>
 *   int32  magic     0x57534C54 ("WSLT")
 *   int32  version   1
 *   int32  length    of the whole file
 *   int32  crc32c    of every byte after this field
 *   int8   kind      0 = physical
 *   int16  name length, then the name's UTF-8 bytes
 *   int64  restart_lsn      (0 = none)
 *   int64  xmin             (0 = none)
 *   int64  invalidated_at   (0 = not invalidated)
 * </pre>
 *
 * Written only through {@link DurableFiles#atomicReplace} (temporary file, force, durable rename),
 * so a crash leaves the old state or the new one. Reading returns an explicit {@link ReadResult};
 * nothing is repaired silently. Stateless.
 */
final class SlotStateFile {
  static final String FILE_NAME = "state";
  static final int MAGIC = 0x57534C54;
  static final int VERSION = 1;
  private static final int HEADER = 16;
  private static final int MAX_LENGTH = 4096;

  private SlotStateFile() {}

  /** The outcome of reading a slot's state file. */
  sealed interface ReadResult {
    record Valid(SlotState state) implements ReadResult {}

    record Missing(Path file) implements ReadResult {}

    record Corrupt(Path file, String reason) implements ReadResult {}
  }

  static byte[] encode(SlotState s) {
    byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
    int length = HEADER + 1 + 2 + name.length + 24;
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putInt(MAGIC).putInt(VERSION).putInt(length).putInt(0);
    b.put((byte) 0).putShort((short) name.length).put(name);
    b.putLong(s.restartLsn().value()).putLong(s.xmin().value()).putLong(s.invalidatedAt().value());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), HEADER, length - HEADER);
    b.putInt(12, (int) crc.getValue());
    return b.array();
  }

  static void write(DurableFiles durable, Path file, SlotState s) throws IOException {
    durable.atomicReplace(file, encode(s));
  }

  static ReadResult read(DurableFiles durable, Path file) throws IOException {
    byte[] bytes;
    try (var ch = durable.io().open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > MAX_LENGTH) {
        return new ReadResult.Corrupt(file, "file is " + size + " bytes, more than any slot");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      DurableFiles.readFully(ch, buf, 0);
      bytes = buf.array();
    } catch (NoSuchFileException e) {
      return new ReadResult.Missing(file);
    }
    return decode(file, bytes);
  }

  static ReadResult decode(Path file, byte[] bytes) {
    if (bytes.length < HEADER) {
      return new ReadResult.Corrupt(file, "file is " + bytes.length + " bytes, too short");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int magic = b.getInt();
    if (magic != MAGIC) {
      return new ReadResult.Corrupt(
          file, "wrong magic number: " + Integer.toUnsignedString(magic) + " instead of " + MAGIC);
    }
    int version = b.getInt();
    if (version != VERSION) {
      return new ReadResult.Corrupt(
          file, "unsupported version " + version + " (this build reads " + VERSION + ")");
    }
    int length = b.getInt();
    if (length != bytes.length) {
      return new ReadResult.Corrupt(
          file, "corrupted length " + bytes.length + " (the header says " + length + ")");
    }
    int stored = b.getInt();
    CRC32C crc = new CRC32C();
    crc.update(bytes, HEADER, bytes.length - HEADER);
    if (stored != (int) crc.getValue()) {
      return new ReadResult.Corrupt(
          file,
          "checksum mismatch: is "
              + Integer.toUnsignedString((int) crc.getValue())
              + ", should be "
              + Integer.toUnsignedString(stored));
    }
    try {
      byte kind = b.get();
      if (kind != 0) {
        return new ReadResult.Corrupt(file, "unknown slot kind " + kind);
      }
      int nameLength = b.getShort() & 0xFFFF;
      byte[] name = new byte[nameLength];
      b.get(name);
      SlotState s =
          new SlotState(
              new String(name, StandardCharsets.UTF_8),
              Lsn.of(b.getLong()),
              Xid.of(b.getLong()),
              Lsn.of(b.getLong()));
      if (b.hasRemaining()) {
        return new ReadResult.Corrupt(file, b.remaining() + " bytes after the last field");
      }
      return new ReadResult.Valid(s);
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      return new ReadResult.Corrupt(file, "truncated or invalid body: " + e);
    }
  }
}
