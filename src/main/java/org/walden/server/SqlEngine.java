package org.walden.server;

import org.walden.sql.exec.Prepared;
import org.walden.sql.exec.ResultCursor;
import org.walden.sql.exec.SqlSession;
import org.walden.sql.parse.ast.Statement;

/**
 * The executor as the session layer uses it: prepare a statement (resolving names, inferring the
 * parameter types the client left as 0), then run it with bound parameters. Production binds it to
 * {@code org.walden.sql.exec.Executor} ({@link ExecutorEngine}); the seam exists so the session
 * layer's protocol logic depends on two calls only.
 *
 * <p>Implementations are shared by all sessions and must be thread-safe; every call runs on the
 * calling session's thread inside that session's transaction ({@link SqlSession#transaction()}).
 */
public interface SqlEngine {

  Prepared prepare(Statement statement, int[] parameterTypeOids, SqlSession session);

  ResultCursor execute(Prepared prepared, Object[] parameters, SqlSession session);
}
