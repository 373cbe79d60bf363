/**
 * WAL record bodies owned by storage ({@link org.walden.storage.record.StorageRecords}): written by
 * transactions as changes are made, read by redo (and later logical decoding). Versioned by a
 * leading byte; stateless and thread-safe.
 */
package org.walden.storage.record;
