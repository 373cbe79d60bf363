package org.walden.storage.table;

import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import org.walden.storage.catalog.TableSchema;
import org.walden.storage.index.OrderedIndex;
import org.walden.storage.index.OrderedIndexes;
import org.walden.storage.txn.TableLock;

/**
 * One generation of a table's data: its schema and its primary-key index of version chains. CREATE
 * TABLE makes one; TRUNCATE and row-rewriting ALTER TABLE make a new generation (a new {@code
 * Table} with the same OID), leaving the old one to snapshots that still see it, as PostgreSQL's
 * relfilenode swap does. {@link #successor()} links an old generation to its replacement once the
 * DDL commits; {@link #isDropped()} marks a table removed by DROP TABLE.
 *
 * <p>Thread-safe: the index is concurrent; {@code successor}/{@code dropped} are volatile and
 * written once, by the committing DDL transaction or by redo.
 */
public final class Table {

  private final TableSchema schema;
  private final long generation;
  private final OrderedIndex<RowVersion> index;
  private final AtomicLong nextRowId;
  private final TableLock lock = new TableLock();
  private volatile Table successor;
  private volatile boolean dropped;

  public Table(TableSchema schema, long generation) {
    this.schema = schema;
    this.generation = generation;
    this.index = newPrimaryIndex(schema);
    this.nextRowId = new AtomicLong(1);
  }

  /**
   * The one place that chooses the index implementation: the unboxed B+tree for integer-family keys
   * (and the hidden row id), the general one otherwise.
   */
  static OrderedIndex<RowVersion> newPrimaryIndex(TableSchema schema) {
    if (schema.hasLongKey()) {
      return OrderedIndexes.forLongKeys();
    }
    return OrderedIndexes.forKeys(Comparator.naturalOrder());
  }

  public TableSchema schema() {
    return schema;
  }

  public int oid() {
    return schema.oid();
  }

  public String name() {
    return schema.name();
  }

  public long generation() {
    return generation;
  }

  public OrderedIndex<RowVersion> index() {
    return index;
  }

  public TableLock lock() {
    return lock;
  }

  /** A new hidden row id (tables without a primary key). */
  public long allocateRowId() {
    return nextRowId.getAndIncrement();
  }

  /** The next hidden row id, without taking it (snapshot files). */
  public long peekNextRowId() {
    return nextRowId.get();
  }

  /** Makes later row ids exceed {@code used} (redo and snapshot load). */
  public void noteRowId(long used) {
    nextRowId.accumulateAndGet(used + 1, Math::max);
  }

  public Table successor() {
    return successor;
  }

  public void setSuccessor(Table next) {
    this.successor = next;
  }

  public boolean isDropped() {
    return dropped;
  }

  public void markDropped() {
    this.dropped = true;
  }

  @Override
  public String toString() {
    return schema + "#" + generation;
  }
}
