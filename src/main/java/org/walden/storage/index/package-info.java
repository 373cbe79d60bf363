/**
 * Primary-key indexes: ordered maps from a table's key to the head of a row's version chain.
 *
 * <h2>Purpose</h2>
 *
 * Every table has one {@link org.walden.storage.index.OrderedIndex} over its primary key (or its
 * hidden row id). It answers point lookups and ascending key ranges for query execution, and is
 * updated by sessions inserting, updating and deleting rows, by WAL replay on standbys, and by
 * checkpoint loads. It is an in-memory structure rebuilt at startup; it is never written to disk
 * and never logged (the heap tuples are).
 *
 * <h2>Implementations</h2>
 *
 * <ul>
 *   <li>{@link org.walden.storage.index.LongKeyBTree}: {@code smallint}/{@code integer}/{@code
 *       bigint} keys and row ids, unboxed in {@code long[]} leaves; about 13 bytes per key when
 *       loaded in key order.
 *   <li>{@link org.walden.storage.index.ObjectKeyBTree}: any other key with a {@code Comparator}.
 *   <li>{@link org.walden.storage.index.SkipListIndex}: simple and heavier; the tests' oracle.
 * </ul>
 *
 * Create indexes through {@link org.walden.storage.index.OrderedIndexes}.
 *
 * <h2>Threads</h2>
 *
 * The package starts no threads. Any thread may call any method at any time: backends reading and
 * writing, the startup process replaying WAL, the checkpoint loader.
 *
 * <h2>Shared state and its writers</h2>
 *
 * A B+tree's nodes are shared by all threads. Writers ({@code putIfAbsent}, {@code replace}, {@code
 * remove}, {@code clear}) serialize on one lock per index, held for a single short operation;
 * readers ({@code get}, {@code range}) take no lock and are never blocked. Nodes are changed only
 * by appending behind a release-published count, by overwriting a value or child slot with a
 * release store, or by building new nodes and publishing them with one store (copy on write).
 * {@link org.walden.storage.index.AbstractBTree} gives the argument for why a reader never sees
 * torn state.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Keys strictly ascend within a node; child {@code i} of an inner node holds keys at or above
 *       separator {@code i-1} and below separator {@code i}; all leaves are at one depth.
 *   <li>No node below the root is empty; a root that is an inner node has at least two children.
 *   <li>Positions below a node's published count never change; a node that left the tree is never
 *       written again.
 *   <li>{@code size()} equals the number of keys (maintained under the writer lock).
 * </ul>
 *
 * Tests check these with {@code AbstractBTree.checkInvariants()}.
 *
 * <h2>Failure behaviour</h2>
 *
 * Bad arguments (null keys or values, non-integer keys for the integer index) throw before anything
 * changes. An exception thrown by a comparator inside a writer leaves the tree unchanged:
 * comparisons all happen during the descent, before any store. Out of memory during a copy-on-write
 * likewise happens before the publishing store.
 */
package org.walden.storage.index;
