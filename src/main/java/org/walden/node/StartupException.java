package org.walden.node;

/**
 * The server cannot start: a bad data directory, control file, setting or WAL. The message is the
 * FATAL line (naming the file or setting and what is wrong), the hint what to do. Nothing has been
 * changed on disk that would lose acknowledged data.
 */
public final class StartupException extends Exception {

  private final String hint;

  public StartupException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public StartupException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
