package org.walden.storage.txn;

/**
 * Transaction isolation. READ COMMITTED takes a new snapshot per statement ({@link
 * Transaction#newStatementSnapshot()}); REPEATABLE READ keeps the first one for the whole
 * transaction and fails with 40001 when it would update a row changed since. SERIALIZABLE is
 * accepted by the SQL layer as REPEATABLE READ (snapshot isolation), as PostgreSQL did before 9.1.
 */
public enum IsolationLevel {
  READ_COMMITTED,
  REPEATABLE_READ
}
