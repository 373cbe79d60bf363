package org.walden.config;

/** Values of {@code default_transaction_isolation}. */
public enum TransactionIsolation {
  READ_UNCOMMITTED,
  READ_COMMITTED,
  REPEATABLE_READ,
  SERIALIZABLE;
}
