package org.walden.server;

import org.walden.sql.exec.Executor;
import org.walden.sql.exec.Prepared;
import org.walden.sql.exec.ResultCursor;
import org.walden.sql.exec.SqlSession;
import org.walden.sql.parse.ast.Statement;

/** The production {@link SqlEngine}: Walden's executor. Stateless and thread-safe. */
public final class ExecutorEngine implements SqlEngine {
  private final Executor executor = new Executor();

  @Override
  public Prepared prepare(Statement statement, int[] parameterTypeOids, SqlSession session) {
    return executor.prepare(statement, parameterTypeOids, session);
  }

  @Override
  public ResultCursor execute(Prepared prepared, Object[] parameters, SqlSession session) {
    return executor.execute(prepared, parameters, session);
  }
}
