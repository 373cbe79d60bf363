package org.walden.replication;

import java.util.Locale;

/** A walsender's state as {@code pg_stat_replication.state} shows it (PostgreSQL's WalSndState). */
public enum WalSenderState {
  /** Connected, no START_REPLICATION yet. */
  STARTUP,
  /** Streaming, behind the flush position. */
  CATCHUP,
  /** Streaming, has sent everything flushed so far at least once. */
  STREAMING,
  /** Sending a base backup. */
  BACKUP,
  /** Shutting down: sending the last WAL and waiting for it to be confirmed. */
  STOPPING;

  /** The view's spelling: {@code startup}, {@code catchup}, … */
  public String viewName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
