/**
 * The control file, {@code global/control}: the small record of facts a server needs before it can
 * read anything else (PostgreSQL's {@code pg_control}, {@code src/include/catalog/pg_control.h}; <a
 * href="https://www.postgresql.org/docs/15/app-pgcontroldata.html">pg_controldata</a>).
 *
 * <h2>Content</h2>
 *
 * <p>{@link org.walden.storage.control.ControlData}: system identifier, database state, timeline,
 * latest checkpoint and its redo point and table snapshot file, {@code wal_segment_size}, time of
 * the last update, minimum recovery point, and the base-backup start/end positions.
 *
 * <h2>Threads and data flow</h2>
 *
 * <p>No threads of its own. {@code walden init} writes the first version. At start-up the node
 * reads it ({@link org.walden.storage.control.ControlFileStore#read}) and chooses: clean start,
 * crash recovery, or archive/standby recovery. After that the checkpointer writes it after each
 * checkpoint, recovery writes it when the minimum recovery point advances or on promotion, and
 * shutdown writes the final state. All writes go through one {@code ControlFileStore} per data
 * directory, which serializes them; the writer keeps the current {@code ControlData} in memory and
 * hands the store a new immutable copy each time.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>The file is replaced atomically and durably ({@code DurableFiles.atomicReplace}); it is
 *       never written in place.
 *   <li>It carries magic, format version, length and a CRC32C over everything before the CRC.
 *   <li>The redo point is never after the checkpoint location.
 * </ul>
 *
 * <h2>Failure behaviour</h2>
 *
 * <p>Reading never guesses: {@code Valid}, {@code Missing}, {@code Corrupt(reason)} or {@code
 * WrongVersion(found, expected)}, each with a message telling the operator what to do. A corrupt
 * control file stops the server; it is not rebuilt from the WAL (PostgreSQL's {@code pg_resetwal}
 * has no Walden counterpart yet). A failed write is an {@code IOException}; the caller (the
 * checkpointer) treats it as fatal, since the old file is still intact.
 *
 * <h2>Layering</h2>
 *
 * <p>Imports only {@code org.walden.wal} (LSN, timeline, segment size) and {@code org.walden.fs}.
 */
package org.walden.storage.control;
