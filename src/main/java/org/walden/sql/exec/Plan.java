package org.walden.sql.exec;

import java.util.List;
import org.walden.storage.txn.Transaction;

/**
 * An executable form of one statement, built by {@link Executor#prepare}. Immutable and shared by
 * every execution (and every session holding the same {@link Prepared}); all per-execution state
 * lives in the {@link EvalContext} and the returned cursor.
 */
interface Plan {

  ResultCursor run(EvalContext c);

  List<ResultColumn> columns();

  /**
   * True if the catalog {@code txn} sees differs from the one this plan was made against in a way
   * that matters (a table dropped, recreated or altered), so the statement must be prepared again.
   */
  default boolean stale(Transaction txn) {
    return false;
  }
}
