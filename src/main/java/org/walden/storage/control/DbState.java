package org.walden.storage.control;

import java.util.Optional;

/**
 * The database system state recorded in the control file (PostgreSQL's {@code DBState}), with the
 * code stored on disk and the words {@code pg_controldata} prints. Start-up reads it to decide
 * whether crash recovery is needed: anything but {@link #SHUT_DOWN} or {@link
 * #SHUT_DOWN_IN_RECOVERY} means the server did not stop cleanly.
 */
public enum DbState {
  STARTING_UP(0, "starting up"),
  SHUT_DOWN(1, "shut down"),
  SHUT_DOWN_IN_RECOVERY(2, "shut down in recovery"),
  SHUTTING_DOWN(3, "shutting down"),
  IN_CRASH_RECOVERY(4, "in crash recovery"),
  IN_ARCHIVE_RECOVERY(5, "in archive recovery"),
  IN_PRODUCTION(6, "in production");

  private final int code;
  private final String text;

  DbState(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The value stored in the control file. Never renumber: it is an on-disk format. */
  public int code() {
    return code;
  }

  /** As {@code pg_controldata} prints it ("in production"). */
  public String text() {
    return text;
  }

  static Optional<DbState> fromCode(int code) {
    for (DbState s : values()) {
      if (s.code == code) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
