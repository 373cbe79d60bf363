package org.walden.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects one class's log lines ("LEVEL message") for assertions. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level oldLevel;
  private final boolean oldAdditive;

  /** Captures INFO and above, and keeps it off the console while capturing. */
  public LogCapture(Class<?> of) {
    logger = (Logger) LoggerFactory.getLogger(of);
    oldLevel = logger.getLevel();
    oldAdditive = logger.isAdditive();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
  }

  public List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(oldLevel);
    logger.setAdditive(oldAdditive);
  }
}
