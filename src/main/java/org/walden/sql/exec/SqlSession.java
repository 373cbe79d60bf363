package org.walden.sql.exec;

import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;

/**
 * What the executor needs from the session it runs for. Implemented by the session layer ({@code
 * org.walden.server}), which owns transaction blocks, session settings and cancellation; the
 * executor never begins or ends a transaction itself.
 */
public interface SqlSession {

  /** The table store. */
  TransactionManager store();

  /**
   * The transaction the statement runs in: an explicit block's, or the implicit one the session
   * opened for this statement. Never null while a statement executes.
   */
  Transaction transaction();

  /** The session's current value of a setting, in SHOW form (e.g. "ISO, MDY"), or null. */
  String setting(String name);

  /** {@code set_config(name, value, is_local)}: sets a setting, returns its new SHOW form. */
  String setSetting(String name, String value, boolean local);

  String user();

  String database();

  int backendPid();

  boolean isSuperuser();

  /** Throws SqlException 57014 if the client cancelled the running statement. */
  void checkCancel();

  /**
   * Sends a NoticeResponse (severity NOTICE) to the client, e.g. {@code table "x" does not exist,
   * skipping} for DROP TABLE IF EXISTS. The default drops it, for sessions that have no client.
   */
  default void notice(String sqlState, String message) {}

  /**
   * The server's replication and WAL status and controls (monitoring functions, system views,
   * {@code ALTER SYSTEM}). The default knows nothing ({@link ServerStatus#NONE}).
   */
  default ServerStatus serverStatus() {
    return ServerStatus.NONE;
  }
}
