package org.walden.wire.auth;

/**
 * An hba.conf line that cannot be understood; the message names the file and the line, as
 * PostgreSQL's "line N of configuration file" context does. On reload the previous rules stay in
 * force.
 */
public final class HbaParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final int line;

  public HbaParseException(String fileName, int line, String problem) {
    super(problem + ", line " + line + " of configuration file \"" + fileName + "\"");
    this.fileName = fileName;
    this.line = line;
  }

  public String fileName() {
    return fileName;
  }

  public int line() {
    return line;
  }
}
