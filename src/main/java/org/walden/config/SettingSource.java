package org.walden.config;

/**
 * Where a setting's effective value came from, in increasing priority (PostgreSQL's {@code
 * GucSource}, shown in {@code pg_settings.source}). A value from a higher source is not replaced by
 * a lower one: a {@code -c} command-line value survives a reload that changes the file.
 */
public enum SettingSource {
  DEFAULT("default"),
  /** {@code walden.conf}, its includes, or {@code postgresql.auto.conf} (read last). */
  CONFIGURATION_FILE("configuration file"),
  COMMAND_LINE("command line"),
  /** Set by the server itself, e.g. {@code wal_segment_size} from the control file. */
  OVERRIDE("override");

  private final String pgName;

  SettingSource(String pgName) {
    this.pgName = pgName;
  }

  /** The name {@code pg_settings.source} shows. */
  public String pgName() {
    return pgName;
  }
}
