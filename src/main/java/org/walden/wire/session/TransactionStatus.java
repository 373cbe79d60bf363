package org.walden.wire.session;

/** The transaction status reported in ReadyForQuery. */
public enum TransactionStatus {
  /** {@code I}: not in a transaction block. */
  IDLE('I'),
  /** {@code T}: in a transaction block. */
  IN_BLOCK('T'),
  /** {@code E}: in a failed transaction block (queries rejected until the block ends). */
  FAILED('E');

  private final char code;

  TransactionStatus(char code) {
    this.code = code;
  }

  public char code() {
    return code;
  }
}
