package org.walden.storage.snapshot;

import org.walden.storage.catalog.Catalog;
import org.walden.wal.Lsn;
import org.walden.wal.Xid;

/** The explicit outcome of reading a snapshot file: loaded, or corrupt with a reason. */
public sealed interface SnapshotLoad {

  /**
   * A complete, checksummed snapshot: the catalog (tables filled, rows stamped at {@code
   * consistentAt}), the LSN it is consistent at, and the next xid to assign.
   */
  record Loaded(Catalog catalog, Lsn consistentAt, Xid nextXid, long tables, long rows)
      implements SnapshotLoad {}

  /** The file is unusable; {@code reason} says where and why. Never partially applied. */
  record Corrupt(String reason) implements SnapshotLoad {}
}
