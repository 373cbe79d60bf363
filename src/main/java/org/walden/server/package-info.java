/**
 * The session layer: what makes psql, pgjdbc and pgbench work against a node (PostgreSQL's {@code
 * postgres.c} exec_* functions, {@code xact.c}'s transaction blocks, {@code guc.c}'s session side,
 * {@code copyfrom.c}/{@code copyto.c}). See the protocol chapter of the PostgreSQL docs, "Message
 * Flow" (55.2), and "Transactions" for the block rules.
 *
 * <h2>Purpose</h2>
 *
 * Connects the wire ({@link org.walden.wire.session}) to the SQL executor ({@link
 * org.walden.sql.exec}) and the store ({@link org.walden.storage.txn}). {@link
 * org.walden.server.PgServer} is the node's front door (listener + hba + roles + sessions); one
 * {@code Session} per connection implements both the wire's {@code QueryHandler} and the executor's
 * {@code SqlSession}. A replication connection gets a {@link org.walden.server.ReplicationSession}
 * instead (the wire's {@code ReplicationHandler}): it answers the replication commands and runs a
 * {@code org.walden.replication.WalSender} over the CopyBoth stream, or (BASE_BACKUP) hands over to
 * {@code BaseBackupHandler}, which runs {@code org.walden.replication.backup.BaseBackup} on the
 * session thread and writes its result sets and COPY OUT stream; the monitoring functions and views
 * reach the node through the {@code ServerStatus} the factory is given.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li>The node starts {@link org.walden.server.PgServer} after recovery and stops it first at
 *       shutdown; the listener's threads are the wire package's.
 *   <li>Each session object lives on its connection's virtual thread and is called only from it:
 *       its transaction state, prepared statements, portals and settings need no locks.
 *   <li>Another connection's thread only touches a session through its cancel token.
 * </ul>
 *
 * <h2>Data flow</h2>
 *
 * Simple query: parse the whole string ({@code SqlParser.parseScript}) → per statement: prepare
 * (executor, or the session for transaction control/SET/SHOW/COPY/VACUUM/ALTER SYSTEM) → run to a
 * cursor → rows encoded per column format → CommandComplete; commit of the implicit transaction
 * before the last CommandComplete. Extended: Parse → {@code Plan} (named or unnamed); Bind → {@code
 * Portal} (parameters decoded by OID and format); Execute pulls up to max rows from the portal's
 * cursor (PortalSuspended if it stopped early); Sync commits the implicit transaction. COPY FROM
 * reads CopyData through the wire's {@code CopyIn} and inserts through the session's transaction.
 *
 * <p>Commit: the store transaction commits locally (flushed per {@code synchronous_commit},
 * visible, locks released), the block is IDLE again, and then, for a commit that wrote WAL at
 * remote_write / on / remote_apply, {@link org.walden.server.SyncRepWait} waits for the synchronous
 * standbys ({@code org.walden.replication.syncrep}) and reports a cancel (WARNING 01000, the commit
 * completes), a terminate (WARNING 57P01, the connection closes without another message) or
 * Walden's {@code synchronous_commit_timeout} (WARNING 01W01) before the CommandComplete (simple
 * query) or ReadyForQuery (Sync).
 *
 * <h2>Shared state</h2>
 *
 * The store ({@code TransactionManager}, thread-safe, shared by all sessions); the server {@code
 * Config} (an immutable snapshot replaced on reload; sessions read the current one for defaults);
 * the {@link org.walden.server.WaldenBackendFactory}'s count of open sessions (guarded by its
 * lock); the node's {@link org.walden.sql.exec.ServerStatus} (thread-safe; one per server, passed
 * to every session by the factory), behind the replication monitoring functions and views and ALTER
 * SYSTEM.
 *
 * <p>While the store is in recovery (hot standby) every transaction is read-only: writing
 * statements fail with 25006 "cannot execute INSERT in a read-only transaction", {@code SHOW
 * transaction_read_only} is on, READ WRITE is refused (0A000) and VACUUM/ANALYZE fail with 25006
 * "cannot execute VACUUM during recovery".
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Every statement runs inside a transaction: an explicit block's or an implicit one; the
 *       store transaction itself is begun lazily at the first statement that touches the store.
 *   <li>A failed statement inside a block rolls back the store transaction at once (its locks are
 *       released) and leaves the block FAILED: everything but COMMIT/ROLLBACK gets 25P02, and
 *       COMMIT answers ROLLBACK.
 *   <li>Portals die with their transaction; prepared statements live for the session.
 *   <li>A GUC_REPORT setting whose visible value changes is reported by ParameterStatus before the
 *       CommandComplete (or ReadyForQuery) that follows the change; SET inside a transaction that
 *       rolls back is undone, SET LOCAL ends with the transaction.
 *   <li>A DataRow is encoded fully before it is written, so an encoding error never leaves a
 *       half-written message.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * Client errors (parser, executor, store, configuration) become ErrorResponse with their SQLSTATE
 * and the session continues; a WAL failure is FATAL for the session; an unexpected exception is
 * logged, reported as XX000 and the transaction rolled back. A session that ends (client gone,
 * FATAL, shutdown) rolls back whatever it had open.
 *
 * <p>Not yet: savepoints, cursors (DECLARE/FETCH), COPY BINARY, WITH HOLD portals, sending 57P01 to
 * sessions at fast shutdown; {@code statement_timeout} and cancel are seen only where the executor
 * polls, not while a statement waits for a row lock.
 */
package org.walden.server;
