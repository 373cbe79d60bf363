/**
 * Checkpoint snapshot files: the catalog and every table's rows as of a commit LSN C.
 *
 * <p>Thread: the checkpointer writes ({@link org.walden.storage.snapshot.SnapshotWriter}) while
 * sessions keep writing, protected by the snapshot registered in the {@link
 * org.walden.storage.txn.CheckpointPoint}; startup reads ({@link
 * org.walden.storage.snapshot.SnapshotReader}). Format ({@code SnapshotFormat}): magic, version,
 * LSN, next xid, then CRC32C-checked blocks (catalog, rows in key order, end). Written to a temp
 * file, forced, durably renamed ({@link org.walden.fs.DurableFiles}). Reading returns an explicit
 * {@link org.walden.storage.snapshot.SnapshotLoad} outcome; corruption is never partially applied.
 */
package org.walden.storage.snapshot;
