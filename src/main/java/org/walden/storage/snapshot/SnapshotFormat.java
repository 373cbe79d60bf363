package org.walden.storage.snapshot;

/**
 * The layout of a checkpoint snapshot file ({@code base/snapshot}), shared by writer and reader.
 *
 * <pre>
 *   header   magic "WALDNSNP" (8) · version (int) · consistentAt LSN (long) · nextXid (long)
 *            · CRC32C of the preceding 28 bytes (int)
 *   blocks   type (byte) · payload length (int) · payload · CRC32C of type, length and payload (int)
 *     CATALOG  nextOid · roles (count, CatalogCodec roles) · tables (count; per table: schema,
 *              generation long, nextRowId long) — exactly one, first
 *     ROWS     table oid · row count · rows (key as TableSchema.writeKey, row length-prefixed), keys
 *              ascending within and across a table's blocks; at most ~1 MiB
 *     END      table count (int) · total rows (long) — last; a file without it is torn
 * </pre>
 */
final class SnapshotFormat {
  private SnapshotFormat() {}

  static final byte[] MAGIC = {'W', 'A', 'L', 'D', 'N', 'S', 'N', 'P'};
  static final int VERSION = 1;
  static final int HEADER_BYTES = 32;
  static final int BLOCK_CATALOG = 1;
  static final int BLOCK_ROWS = 2;
  static final int BLOCK_END = 3;

  /** Payload size at which a ROWS block is closed. */
  static final int TARGET_BLOCK = 1 << 20;

  /** The largest payload a reader accepts (guards against a corrupt length). */
  static final int MAX_BLOCK = 64 << 20;
}
