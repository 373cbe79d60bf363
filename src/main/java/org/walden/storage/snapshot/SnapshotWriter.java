package org.walden.storage.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.walden.fs.DurableFiles;
import org.walden.storage.catalog.Catalog;
import org.walden.storage.catalog.CatalogCodec;
import org.walden.storage.catalog.Role;
import org.walden.storage.table.Table;
import org.walden.storage.txn.CheckpointPoint;
import org.walden.storage.txn.RowCursor;
import org.walden.storage.txn.TransactionManager;
import org.walden.storage.type.ByteSink;

/**
 * Writes a checkpoint snapshot file: the catalog and every table's rows as visible at the
 * checkpoint's C, while writers go on (the {@link CheckpointPoint} keeps a snapshot registered at
 * C, so pruning leaves every version the writer needs). Writes a temp file beside the target,
 * forces it and renames it durably over the target, so a crash leaves the old or the new file.
 * Streams through one reusable block buffer. Runs on the checkpointer thread; stateless.
 */
public final class SnapshotWriter {
  private SnapshotWriter() {}

  /** Summary of a written file. */
  public record Written(long tables, long rows, long bytes) {}

  public static Written write(
      TransactionManager mgr, CheckpointPoint point, Path file, DurableFiles files)
      throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    files.io().delete(tmp);
    Catalog cat = mgr.catalogAt(point.consistentAt().value());
    List<Table> tables = new ArrayList<>(cat.tables());
    tables.sort(Comparator.comparingInt(Table::oid));
    long rows = 0;
    long bytes;
    try (FileChannel ch =
        files.io().open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      BlockOut out = new BlockOut(ch);
      ByteBuffer header = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES);
      header
          .put(SnapshotFormat.MAGIC)
          .putInt(SnapshotFormat.VERSION)
          .putLong(point.consistentAt().value())
          .putLong(mgr.nextXid().value());
      CRC32C crc = new CRC32C();
      crc.update(header.array(), 0, 28);
      header.putInt((int) crc.getValue()).flip();
      out.raw(header);

      ByteSink b = out.block;
      b.clear().putInt(cat.nextOid()).putInt(cat.roles().size());
      for (Role r : cat.roles()) {
        CatalogCodec.writeRole(b, r);
      }
      b.putInt(tables.size());
      for (Table t : tables) {
        CatalogCodec.writeSchema(b, t.schema());
        b.putLong(t.generation()).putLong(t.peekNextRowId());
      }
      out.flushBlock(SnapshotFormat.BLOCK_CATALOG);

      for (Table t : tables) {
        RowCursor c = mgr.scanAt(t, point.consistentAt());
        int count = 0;
        b.clear().putInt(t.oid()).putInt(0);
        while (c.next()) {
          t.schema().writeKey(b, c.key());
          b.putLengthPrefixed(c.row());
          count++;
          rows++;
          if (b.length() >= SnapshotFormat.TARGET_BLOCK) {
            patchCount(b, count);
            out.flushBlock(SnapshotFormat.BLOCK_ROWS);
            count = 0;
            b.clear().putInt(t.oid()).putInt(0);
          }
        }
        if (count > 0) {
          patchCount(b, count);
          out.flushBlock(SnapshotFormat.BLOCK_ROWS);
        }
      }
      b.clear().putInt(tables.size()).putLong(rows);
      out.flushBlock(SnapshotFormat.BLOCK_END);
      bytes = out.position;
      ch.force(true);
    }
    files.durableRename(tmp, file);
    return new Written(tables.size(), rows, bytes);
  }

  private static void patchCount(ByteSink b, int count) {
    byte[] a = b.array();
    a[4] = (byte) (count >>> 24);
    a[5] = (byte) (count >>> 16);
    a[6] = (byte) (count >>> 8);
    a[7] = (byte) count;
  }

  /** Frames blocks with type, length and CRC32C, writing through one reusable buffer. */
  private static final class BlockOut {
    final FileChannel ch;
    final ByteSink block = new ByteSink(SnapshotFormat.TARGET_BLOCK + (64 << 10));
    final ByteBuffer frame = ByteBuffer.allocate(5);
    final ByteBuffer trailer = ByteBuffer.allocate(4);
    final CRC32C crc = new CRC32C();
    long position;

    BlockOut(FileChannel ch) {
      this.ch = ch;
    }

    void raw(ByteBuffer buf) throws IOException {
      int n = buf.remaining();
      DurableFiles.writeFully(ch, buf, position);
      position += n;
    }

    void flushBlock(int type) throws IOException {
      frame.clear();
      frame.put((byte) type).putInt(block.length()).flip();
      crc.reset();
      crc.update(frame.array(), 0, 5);
      crc.update(block.array(), 0, block.length());
      raw(frame);
      raw(block.view());
      trailer.clear();
      trailer.putInt((int) crc.getValue()).flip();
      raw(trailer);
    }
  }
}
