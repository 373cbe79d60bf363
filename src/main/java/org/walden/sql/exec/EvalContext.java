package org.walden.sql.exec;

import org.walden.storage.txn.Transaction;

/**
 * The per-execution state an {@link Eval} reads: bind parameters, the current row (decoded, in
 * column order), the proposed row of {@code ON CONFLICT DO UPDATE} ({@code EXCLUDED}), and for
 * grouped queries the group key and aggregate results. Owned by one execution on one thread; the
 * plan drivers overwrite the row fields as they iterate (no guard needed).
 */
final class EvalContext {
  final Object[] params;
  final SqlSession session;
  final Transaction txn;
  Object[] row;
  Object[] excluded;
  Object[] groupKey;
  Object[] aggs;

  EvalContext(Object[] params, SqlSession session) {
    this.params = params;
    this.session = session;
    this.txn = session.transaction();
  }
}
