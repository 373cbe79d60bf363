/**
 * The SQL executor: runs parsed statements ({@link org.walden.sql.parse.ast.Statement}) against the
 * storage engine, inside the transaction the session layer gives it.
 *
 * <h2>Purpose</h2>
 *
 * <p>PostgreSQL's analyzer, planner and executor in one small package, for Walden's dialect:
 * single-table SELECT (with WHERE, GROUP BY and count/sum/min/max/avg, HAVING, ORDER BY,
 * LIMIT/OFFSET, {@code generate_series} in FROM), INSERT … VALUES | SELECT with ON CONFLICT and
 * RETURNING, UPDATE and DELETE with RETURNING, table DDL, role DDL (passwords kept only as
 * SCRAM-SHA-256 verifiers), VACUUM/ANALYZE as no-ops and SHOW. Joins, subqueries, user views and
 * secondary indexes are refused with 0A000.
 *
 * <p>Replication monitoring: the {@code pg_lsn} type ({@link org.walden.wal.Lsn} values; not
 * storable in tables, like the other computed-only types interval, inet, oid, xid and name), the
 * WAL functions of xlogfuncs.c ({@code WalFunctions}) and the read-only system views {@code
 * pg_stat_replication}, {@code pg_stat_wal_receiver} and {@code pg_stat_archiver} ({@code
 * SystemViews}), all reading the server's {@link org.walden.sql.exec.ServerStatus} through {@link
 * org.walden.sql.exec.SqlSession#serverStatus()}.
 *
 * <h2>Contract with the session layer</h2>
 *
 * <pre>
 *   session                      executor                         storage
 *   -------                      --------                         -------
 *   parse ──► Executor.prepare(stmt, paramOids, session) ──► catalog of session.transaction()
 *              │ resolve names, type expressions, infer $n types, choose access paths
 *              ▼
 *            Prepared (immutable: statement, parameter OIDs, ResultColumns, Plan)
 *   Bind: PgValues.decodeText/decodeBinary(bytes, paramOid) ──► Object[] params
 *   Execute: Executor.execute(prepared, params, session) ──► ResultCursor
 *              │ new statement snapshot; re-prepare if the catalog changed
 *              ▼
 *   pull rows: cursor.next()/row() ──► PgValues.encodeText/encodeBinary(value, typeOid)
 *   CommandComplete: cursor.commandTag()
 * </pre>
 *
 * {@link org.walden.sql.exec.SqlSession} is what the executor needs from a session: the store, the
 * current transaction, settings, identity, cancellation and a notice channel. {@link
 * org.walden.sql.exec.SqlException} carries SQLSTATE, message, detail and hint; storage errors are
 * translated keeping theirs.
 *
 * <h2>Threads and shared state</h2>
 *
 * <p>The executor starts no threads. {@link org.walden.sql.exec.Executor} is one object per server
 * with no mutable state; it is called concurrently by every session's thread. A {@code Prepared}
 * and its plan are immutable and may be shared between sessions; per-execution state (parameters,
 * current row, aggregates) lives in an {@code EvalContext} and in the cursor, owned by the calling
 * session thread. The only shared mutable state is in the storage engine, which guards it.
 *
 * <h2>Plans</h2>
 *
 * <p>Expressions compile to closures ({@code Eval}) over an {@code EvalContext}. Rows are found
 * through an {@code AccessPath}: a point lookup when WHERE pins every primary key column with
 * {@code =} to constants or parameters, an ordered range scan when it bounds a single-column key,
 * else a full scan; WHERE is still applied to each row found unless a point lookup consumed it
 * entirely. The prepared pgbench {@code UPDATE … SET abalance = abalance + $1 WHERE aid = $2} is
 * one {@code get} and one {@code update}.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>The executor never begins, commits or rolls back a transaction. Each {@code execute} takes
 *       a fresh statement snapshot (READ COMMITTED semantics; a no-op under REPEATABLE READ).
 *   <li>UPDATE, DELETE and ON CONFLICT DO UPDATE write with the row image they evaluated as the
 *       basis. On a concurrent change (READ COMMITTED) they re-evaluate on the newest image and
 *       retry, as PostgreSQL's EvalPlanQual: no update is lost; a row that no longer matches, or
 *       was deleted, is skipped.
 *   <li>A plan whose table was dropped or altered since prepare is prepared again; if its result
 *       columns would change, execution fails with 0A000 "cached plan must not change result type".
 *   <li>Values are the storage engine's Java representations ({@link
 *       org.walden.storage.type.TypeKind}); text I/O is {@link
 *       org.walden.storage.type.ColumnType#format}/{@code parse} with DateStyle ISO and TimeZone
 *       UTC.
 * </ul>
 *
 * <h2>Failure behaviour</h2>
 *
 * <p>Client errors are thrown as {@code SqlException} from {@code prepare}, {@code execute} or a
 * cursor's {@code next}; the session layer aborts the transaction as PostgreSQL does. A statement
 * that fails midway may have written some rows in the transaction; only the transaction's rollback
 * removes them (there are no statement-level savepoints). Anything else thrown is a bug.
 */
package org.walden.sql.exec;
