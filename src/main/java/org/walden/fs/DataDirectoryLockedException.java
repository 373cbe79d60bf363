package org.walden.fs;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * Another server holds the data directory's {@code postmaster.pid} lock. The message and hint are
 * PostgreSQL's ({@code lock file "postmaster.pid" already exists} / {@code Is another … running in
 * data directory …?}), so the start-up path can report it as a FATAL error with a hint.
 */
public final class DataDirectoryLockedException extends IOException {

  private final String hint;
  private final OptionalLong pid;

  DataDirectoryLockedException(String message, String hint, OptionalLong pid) {
    super(message);
    this.hint = hint;
    this.pid = pid;
  }

  public String hint() {
    return hint;
  }

  /** The pid recorded by the running server, if its lock file could be read. */
  public OptionalLong pid() {
    return pid;
  }
}
