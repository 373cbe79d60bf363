package org.walden.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback converter printing a log event's level with PostgreSQL's severity names, so the server
 * log reads like PostgreSQL's ({@code LOG: checkpoint starting}). Used as {@code %pglevel} in
 * {@code logback.xml}. INFO is PostgreSQL's LOG (its ordinary server-log level), WARN its WARNING,
 * DEBUG and TRACE its DEBUG1 and DEBUG2. Stateless.
 */
public final class PgLevelConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return pgName(event.getLevel());
  }

  static String pgName(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "ERROR";
      case Level.WARN_INT -> "WARNING";
      case Level.INFO_INT -> "LOG";
      case Level.DEBUG_INT -> "DEBUG1";
      default -> "DEBUG2";
    };
  }
}
