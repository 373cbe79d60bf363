package org.walden.node;

/**
 * A data directory the server must not or cannot start on. The message names the directory or file
 * and what is wrong; the hint says what to do. Reported as a FATAL log line.
 */
public final class DataDirectoryException extends Exception {

  private final String hint;

  public DataDirectoryException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public DataDirectoryException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
