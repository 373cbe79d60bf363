package org.walden.storage.snapshot;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.walden.fs.FileIo;
import org.walden.storage.catalog.Catalog;
import org.walden.storage.catalog.CatalogCodec;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.table.RowVersion;
import org.walden.storage.table.Table;
import org.walden.storage.type.ByteSink;
import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/**
 * Reads a checkpoint snapshot file into a fresh catalog and tables. Every block's CRC32C is checked
 * before its content is used; a bad magic, version, checksum, length, ordering or a missing END
 * block yields {@link SnapshotLoad.Corrupt} (never an exception, never a partial store). Rows are
 * inserted in key order and stamped with the file's LSN. Streams through a 1 MiB buffered reader
 * and one reusable block array. Stateless.
 */
public final class SnapshotReader {
  private SnapshotReader() {}

  public static SnapshotLoad load(Path file, FileIo io) throws IOException {
    try (FileChannel ch = io.open(file, StandardOpenOption.READ);
        InputStream raw = new BufferedInputStream(Channels.newInputStream(ch), 1 << 20)) {
      return read(new DataInputStream(raw));
    } catch (CorruptException e) {
      return new SnapshotLoad.Corrupt(e.getMessage());
    }
  }

  private static final class CorruptException extends Exception {
    CorruptException(String m) {
      super(m, null, false, false);
    }
  }

  private static SnapshotLoad read(DataInputStream in) throws IOException, CorruptException {
    byte[] header = new byte[SnapshotFormat.HEADER_BYTES];
    readFully(in, header, "header");
    ByteBuffer h = ByteBuffer.wrap(header);
    byte[] magic = new byte[8];
    h.get(magic);
    if (!Arrays.equals(magic, SnapshotFormat.MAGIC)) {
      throw new CorruptException("not a Walden snapshot file (bad magic)");
    }
    int version = h.getInt();
    long lsn = h.getLong();
    long nextXid = h.getLong();
    CRC32C crc = new CRC32C();
    crc.update(header, 0, 28);
    if ((int) crc.getValue() != h.getInt()) {
      throw new CorruptException("header checksum mismatch");
    }
    if (version != SnapshotFormat.VERSION) {
      throw new CorruptException("unsupported snapshot version " + version);
    }
    if (lsn == 0) {
      throw new CorruptException("snapshot LSN is 0/0");
    }
    byte[] block = new byte[SnapshotFormat.TARGET_BLOCK + (64 << 10)];
    int blockNo = 0;
    Catalog.Builder cb = null;
    Map<Integer, Table> byOid = new HashMap<>();
    long rows = 0;
    while (true) {
      int type = in.read();
      if (type < 0) {
        throw new CorruptException("file ends without an END block (torn write?)");
      }
      int len = readInt(in, "block " + blockNo + " length");
      if (len < 0 || len > SnapshotFormat.MAX_BLOCK) {
        throw new CorruptException("block " + blockNo + " has impossible length " + len);
      }
      if (len > block.length) {
        block = new byte[len];
      }
      readFully(in, block, len, "block " + blockNo);
      int stored = readInt(in, "block " + blockNo + " checksum");
      crc.reset();
      crc.update(type);
      crc.update(len >>> 24);
      crc.update(len >>> 16);
      crc.update(len >>> 8);
      crc.update(len);
      crc.update(block, 0, len);
      if ((int) crc.getValue() != stored) {
        throw new CorruptException(
            "checksum mismatch in block " + blockNo + " (type " + type + ")");
      }
      ByteBuffer b = ByteBuffer.wrap(block, 0, len);
      try {
        switch (type) {
          case SnapshotFormat.BLOCK_CATALOG -> {
            if (cb != null) {
              throw new CorruptException("second CATALOG block " + blockNo);
            }
            cb = Catalog.empty(lsn).toBuilder();
            cb.noteOid(b.getInt() - 1);
            int roles = b.getInt();
            for (int i = 0; i < roles; i++) {
              cb.putRole(CatalogCodec.readRole(b));
            }
            int tables = b.getInt();
            for (int i = 0; i < tables; i++) {
              TableSchema s = CatalogCodec.readSchema(b);
              Table t = new Table(s, b.getLong());
              t.noteRowId(b.getLong() - 1);
              cb.putTable(t);
              byOid.put(s.oid(), t);
            }
          }
          case SnapshotFormat.BLOCK_ROWS -> {
            if (cb == null) {
              throw new CorruptException("ROWS block " + blockNo + " before the catalog");
            }
            Table t = byOid.get(b.getInt());
            if (t == null) {
              throw new CorruptException("ROWS block " + blockNo + " for an unknown table");
            }
            int count = b.getInt();
            TableSchema s = t.schema();
            for (int i = 0; i < count; i++) {
              Object key = s.readKey(b);
              byte[] row = ByteSink.getLengthPrefixed(b);
              if (row == null
                  || t.index().putIfAbsent(key, new RowVersion(row, lsn, null)) != null) {
                throw new CorruptException("bad or duplicate row " + key + " in block " + blockNo);
              }
            }
            rows += count;
          }
          case SnapshotFormat.BLOCK_END -> {
            int tables = b.getInt();
            long total = b.getLong();
            if (cb == null || tables != byOid.size() || total != rows) {
              throw new CorruptException("END block totals do not match the content");
            }
            if (in.read() >= 0) {
              throw new CorruptException("data after the END block");
            }
            return new SnapshotLoad.Loaded(
                cb.build(lsn, null), Lsn.of(lsn), Xid.of(nextXid), tables, rows);
          }
          default ->
              throw new CorruptException("unknown block type " + type + " at block " + blockNo);
        }
        if (b.hasRemaining()) {
          throw new CorruptException(b.remaining() + " unread bytes in block " + blockNo);
        }
      } catch (RuntimeException e) {
        throw new CorruptException("undecodable block " + blockNo + ": " + e);
      }
      blockNo++;
    }
  }

  private static int readInt(DataInputStream in, String what) throws IOException, CorruptException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new CorruptException("file ends inside " + what);
    }
  }

  private static void readFully(DataInputStream in, byte[] b, String what)
      throws IOException, CorruptException {
    readFully(in, b, b.length, what);
  }

  private static void readFully(DataInputStream in, byte[] b, int len, String what)
      throws IOException, CorruptException {
    try {
      in.readFully(b, 0, len);
    } catch (EOFException e) {
      throw new CorruptException("file ends inside " + what);
    }
  }
}
