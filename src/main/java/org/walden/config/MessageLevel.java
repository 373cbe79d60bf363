package org.walden.config;

/**
 * Message severities for {@code log_min_messages} and {@code client_min_messages}, in PostgreSQL's
 * declaration order (its {@code elog.h} numbering). Note that for the server log PostgreSQL ranks
 * {@code LOG} between {@code ERROR} and {@code FATAL}; whoever filters by level must apply that
 * rule rather than {@link #compareTo}.
 */
public enum MessageLevel {
  DEBUG5,
  DEBUG4,
  DEBUG3,
  DEBUG2,
  DEBUG1,
  LOG,
  INFO,
  NOTICE,
  WARNING,
  ERROR,
  FATAL,
  PANIC
}
