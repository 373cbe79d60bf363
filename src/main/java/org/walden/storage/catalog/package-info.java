/**
 * Catalog objects: {@link org.walden.storage.catalog.TableSchema} (columns, NOT NULL, defaults,
 * primary key or a hidden row id), {@link org.walden.storage.catalog.Role}, and the versioned
 * {@link org.walden.storage.catalog.Catalog}.
 *
 * <p>Shared state: the chain of catalog versions, each stamped with the commit LSN that produced
 * it. Written only by the transaction holding the DDL lock (at its commit) or by redo; read by any
 * session through its snapshot. Invariant: a version is installed before the horizon reaches its
 * commit LSN, and the chain is cut only below what the oldest snapshot sees. {@link
 * org.walden.storage.catalog.CatalogCodec} is the binary form shared by DDL WAL records and
 * snapshot files.
 */
package org.walden.storage.catalog;
