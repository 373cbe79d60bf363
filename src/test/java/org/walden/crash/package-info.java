/**
 * Process-level crash testing: a child JVM ({@link org.walden.crash.CrashWorker}) runs a TPC-B-like
 * load against an embedded node and is killed with SIGKILL by {@link org.walden.crash.CrashIT},
 * which then recovers the directory in its own JVM and checks that no acknowledged commit was lost
 * and no transaction is half visible.
 *
 * <h2>Processes and threads</h2>
 *
 * The test starts one child per round and always kills it (SIGKILL, never a clean exit) in a {@code
 * finally}. In the child, eight worker threads and one checkpoint loop run until the kill; in the
 * parent, one daemon thread pumps the child's stdout into a queue so every wait is bounded.
 *
 * <h2>Data flow</h2>
 *
 * The child writes one line per event to stdout: {@code BOOT} (about to start the node, i.e. to run
 * crash recovery), {@code READY} (schema present), {@code ACK txid acct delta} (that commit
 * returned with synchronous_commit on). The parent keeps every ACK of every round; stderr goes to a
 * file per round and is shown on failure.
 *
 * <h2>Invariants checked after each kill</h2>
 *
 * Every ACKed txid is in history with its account and delta; each account's and each branch's
 * balance equals the sum of its history deltas (balances start at 0), so a transaction is either
 * entirely present or entirely absent. The directory is reused across rounds, after a fast or an
 * immediate shutdown of the verifying node, so recovery is tested from clean, crashed and
 * interrupted-recovery states.
 *
 * <h2>Failure behaviour</h2>
 *
 * The seed (print, {@code -Dwalden.crash.seed} to replay) and round are in every failure. The kill
 * timing still depends on scheduling, so a replay repeats the choices, not the interleaving.
 */
package org.walden.crash;
