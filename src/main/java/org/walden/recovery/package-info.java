/**
 * WAL replay: the redo loop that crash recovery runs to the end of WAL, and that a standby will run
 * record by record as WAL arrives (PostgreSQL's startup process).
 *
 * <h2>Data flow</h2>
 *
 * {@link org.walden.recovery.Replay} pulls records from a {@link org.walden.wal.WalReader} and
 * hands each to a {@link org.walden.recovery.RedoTarget} (the storage engine's redo, which buffers
 * a transaction until its commit record and then publishes it whole). Each {@code step} either
 * applies one record or reports where the available WAL ends, without advancing, so the caller can
 * wait for more WAL (a standby) or stop (crash recovery).
 *
 * <h2>Outcomes</h2>
 *
 * End of WAL and a torn tail end recovery normally: the WAL writer then overwrites from there. A
 * corrupt record with valid WAL after it, a segment missing while later ones exist, or a record
 * that cannot be applied stop recovery with a {@link org.walden.recovery.RecoveryException} that
 * names the position or file; nothing after the damage is discarded silently.
 *
 * <h2>Threads</h2>
 *
 * Single-threaded: the thread that starts the node (later, a standby's recovery thread).
 */
package org.walden.recovery;
