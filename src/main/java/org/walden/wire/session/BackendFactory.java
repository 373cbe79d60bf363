package org.walden.wire.session;

import org.walden.wire.PgError;
import org.walden.wire.SqlState;

/**
 * Creates the per-session handlers once a client has authenticated (the SQL layer's entry point).
 * Called on the session's thread, concurrently for different sessions. May throw a FATAL {@link
 * org.walden.wire.PgException}, e.g. 3D000 "database "x" does not exist", which ends the login.
 */
public interface BackendFactory {

  QueryHandler openSession(SessionContext context);

  /** A walsender's handler; by default replication connections are refused. */
  default ReplicationHandler openReplication(SessionContext context) {
    throw PgError.fatal(
            SqlState.FEATURE_NOT_SUPPORTED, "replication connections are not supported yet")
        .toException();
  }
}
