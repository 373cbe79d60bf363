package org.walden.recovery;

import org.walden.wal.WalRecord;

/**
 * What replay feeds: the storage engine's redo (tables, catalog, transactions). Called on the
 * recovery thread, one record at a time, in WAL order. The record's body is only valid during the
 * call.
 */
@FunctionalInterface
public interface RedoTarget {

  /**
   * Applies one record.
   *
   * @throws RuntimeException if the record cannot be applied (a malformed body, a change to a table
   *     that does not exist): WAL damage the CRC did not catch, which stops recovery
   */
  void redo(WalRecord record);
}
