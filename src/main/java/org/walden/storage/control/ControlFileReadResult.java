package org.walden.storage.control;

import java.nio.file.Path;

/**
 * The outcome of reading the control file. Every case is explicit, because each calls for a
 * different reaction: {@link Valid} starts the server; {@link Missing} means this is not an
 * initialized data directory; {@link Corrupt} and {@link WrongVersion} stop start-up with a message
 * saying what to do. Nothing here is ever "repaired" silently.
 */
public sealed interface ControlFileReadResult {

  /** A human-readable account for the server log or the CLI ({@code FATAL: …}). */
  String describe();

  /** The file was read and checks out. */
  record Valid(ControlData data) implements ControlFileReadResult {
    @Override
    public String describe() {
      return "control file is valid (state: " + data.state().text() + ")";
    }
  }

  /** There is no control file. */
  record Missing(Path file) implements ControlFileReadResult {
    @Override
    public String describe() {
      return "could not open file \""
          + file
          + "\": No such file or directory; is this a data directory made by walden init?";
    }
  }

  /** The file exists but fails a check: bad magic, wrong length, checksum mismatch, bad field. */
  record Corrupt(Path file, String reason) implements ControlFileReadResult {
    @Override
    public String describe() {
      return "control file \""
          + file
          + "\" is corrupt: "
          + reason
          + "; restore the data directory from a backup";
    }
  }

  /** An intact file of another format version (checksum good, version different). */
  record WrongVersion(Path file, int found, int expected) implements ControlFileReadResult {
    @Override
    public String describe() {
      return "control file \""
          + file
          + "\" has format version "
          + found
          + ", but this walden build reads version "
          + expected
          + "; the data directory was initialized by an incompatible walden release, so run"
          + " that release or make a new data directory (walden init) and reload the data";
    }
  }
}
