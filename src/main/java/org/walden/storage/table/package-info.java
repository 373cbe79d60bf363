/**
 * Table generations and row versions.
 *
 * <p>{@link org.walden.storage.table.Table}: a schema and a primary-key {@link
 * org.walden.storage.index.OrderedIndex} of version chains (the index implementation is chosen in
 * one place, {@code Table.newPrimaryIndex}). {@link org.walden.storage.table.RowVersion}: row
 * bytes, commit LSN stamp, uncommitted owner, older link — 32 bytes plus the row array.
 *
 * <p>Threads and shared state: index values (chain heads) are replaced by compare-and-set by
 * writers holding the row (or, in redo, by the single applying thread); readers traverse without
 * locks. A head's stamp is written once before the commit is published; {@code older} is only cut
 * below the oldest snapshot's visible version. {@link org.walden.storage.table.TableRewriter}
 * builds a new generation for ALTER TABLE identically on primary and in redo.
 */
package org.walden.storage.table;
