package org.walden.config;

/** Values of {@code archive_mode}: whether completed segments are archived, and by whom. */
public enum ArchiveMode {
  OFF,
  ON,
  ALWAYS;
}
