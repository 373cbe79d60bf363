/**
 * Redo: replays storage WAL records into a store in recovery ({@link
 * org.walden.storage.redo.Redo}).
 *
 * <p>Thread: the startup/recovery thread only, record by record in WAL order, possibly while WAL
 * keeps arriving (standby) and hot-standby sessions read concurrently. Data flow: changes are
 * buffered per xid; a COMMIT applies them as versions stamped with the commit LSN, installs any
 * catalog change, then advances the visibility horizon, so readers see whole transactions; ABORT
 * discards. Commits at or before the loaded snapshot's LSN are skipped. Failure: a malformed body
 * or a change to a missing table throws {@link org.walden.storage.redo.RedoException} naming the
 * LSN; nothing is skipped silently.
 */
package org.walden.storage.redo;
