package org.walden.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.ConfigException;
import org.walden.sql.exec.SqlException;
import org.walden.sql.parse.SqlParseException;
import org.walden.storage.StorageException;
import org.walden.wal.WalFailedException;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.Severity;
import org.walden.wire.SqlState;

/**
 * Turns the exceptions the layers below throw into the client's {@link PgError}: the parser's, the
 * executor's, the store's and the configuration's client errors keep their SQLSTATE, message,
 * detail, hint and position. A failed WAL ends the session (FATAL): nothing more can be committed.
 * Anything else is a Walden bug; it is logged with its stack trace and reported as XX000, and the
 * session survives (its transaction is rolled back by the caller).
 */
final class Errors {
  private static final Logger log = LoggerFactory.getLogger(Errors.class);

  static final String ACTIVE_SQL_TRANSACTION = "25001";
  static final String NO_ACTIVE_SQL_TRANSACTION = "25P01";
  static final String IN_FAILED_SQL_TRANSACTION = "25P02";
  static final String READ_ONLY_SQL_TRANSACTION = "25006";
  static final String INVALID_SQL_STATEMENT_NAME = "26000";
  static final String INVALID_CURSOR_NAME = "34000";
  static final String DUPLICATE_PREPARED_STATEMENT = "42P05";
  static final String DUPLICATE_CURSOR = "42P03";
  static final String UNDEFINED_TABLE = "42P01";
  static final String UNDEFINED_COLUMN = "42703";
  static final String BAD_COPY_FILE_FORMAT = "22P04";
  static final String INVALID_TEXT_REPRESENTATION = "22P02";
  static final String PROTOCOL_VIOLATION = SqlState.PROTOCOL_VIOLATION;

  private Errors() {}

  static PgException error(String sqlState, String message) {
    return PgError.error(sqlState, message).toException();
  }

  /** The client-facing form of {@code t}. */
  static PgError toPgError(Throwable t) {
    return switch (t) {
      case PgException e -> e.error();
      case SqlException e ->
          new PgError(
              Severity.ERROR,
              e.sqlState(),
              e.getMessage(),
              e.detail(),
              e.hint(),
              Math.max(0, e.position()));
      case SqlParseException e ->
          new PgError(
              Severity.ERROR,
              e.sqlState(),
              e.getMessage(),
              null,
              e.hint(),
              Math.max(0, e.position()));
      case StorageException e ->
          new PgError(Severity.ERROR, e.sqlState(), e.getMessage(), e.detail(), e.hint(), 0);
      case ConfigException e ->
          new PgError(Severity.ERROR, e.sqlState(), e.getMessage(), e.detail(), e.hint(), 0);
      case WalFailedException e ->
          PgError.fatal(
                  SqlState.INTERNAL_ERROR, "the write-ahead log has failed: " + e.getMessage())
              .withHint("The server is stopping; the next start runs crash recovery.");
      default -> {
        log.error("internal error in a session", t);
        yield PgError.error(SqlState.INTERNAL_ERROR, "internal error: " + t);
      }
    };
  }

  static PgException toPg(Throwable t) {
    return t instanceof PgException p ? p : toPgError(t).toException();
  }
}
