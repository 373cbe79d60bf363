package org.walden.recovery;

/**
 * Recovery cannot continue: WAL is corrupt, a needed segment is missing, or a record could not be
 * applied. The message says what is wrong and where (LSN, file); the hint what to do. The server
 * refuses to start rather than open with lost or damaged data.
 */
public final class RecoveryException extends Exception {

  private final String hint;

  public RecoveryException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public RecoveryException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
