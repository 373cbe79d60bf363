package org.walden.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.Config;
import org.walden.config.Settings;
import org.walden.replication.WalSenderServices;
import org.walden.sql.exec.ServerStatus;
import org.walden.storage.txn.TransactionManager;
import org.walden.wire.auth.ClientAuthentication;
import org.walden.wire.auth.HbaConfig;
import org.walden.wire.auth.HbaParseException;
import org.walden.wire.session.Listener;
import org.walden.wire.session.ListenerConfig;
import org.walden.wire.session.SessionRegistry;

/**
 * A node's PostgreSQL-protocol front door: the {@link Listener} on {@code listen_addresses:port}
 * with {@code max_connections}, client authentication from {@code hba.conf} and the catalog's
 * roles, and a {@link WaldenBackendFactory} opening SQL sessions over the node's store.
 *
 * <p><b>Lifecycle.</b> {@link #start} binds (failing if the port is taken) and accepts at once; the
 * node starts it after recovery. {@link #reloadHba} re-reads {@code hba.conf} (SIGHUP); a bad file
 * keeps the old rules, as PostgreSQL does. Stop with {@link #stopSmart} (no new logins, wait for
 * the clients to leave, then close) or {@link #stopFast} (close every connection now; each session
 * rolls its open transaction back as its thread ends). Both leave walsender connections open, as
 * PostgreSQL's postmaster does until after the shutdown checkpoint (seed README, "Walsender IPC"):
 * the node then lets them finish ({@link org.walden.replication.WalSenderTable#finishAll}) and
 * calls {@link #close}, which closes whatever is left. Stopping twice is harmless.
 */
public final class PgServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgServer.class);

  private final Listener listener;
  private final HbaConfig hba;
  private final WaldenBackendFactory factory;

  private PgServer(Listener listener, HbaConfig hba, WaldenBackendFactory factory) {
    this.listener = listener;
    this.hba = hba;
    this.factory = factory;
  }

  /** Starts listening with Walden's executor and no server status; see the full overload. */
  public static PgServer start(Supplier<Config> config, TransactionManager store, Path hbaFile)
      throws IOException, HbaParseException {
    return start(config, store, hbaFile, ServerStatus.NONE);
  }

  /**
   * Starts listening with Walden's executor on the configured port; {@code status} answers the
   * replication monitoring functions and views and ALTER SYSTEM in every session.
   */
  public static PgServer start(
      Supplier<Config> config, TransactionManager store, Path hbaFile, ServerStatus status)
      throws IOException, HbaParseException {
    return start(config, store, hbaFile, status, null);
  }

  /**
   * As {@link #start(Supplier, TransactionManager, Path, ServerStatus)}, also serving walsenders.
   */
  public static PgServer start(
      Supplier<Config> config,
      TransactionManager store,
      Path hbaFile,
      ServerStatus status,
      WalSenderServices walSenders)
      throws IOException, HbaParseException {
    return start(
        config,
        store,
        hbaFile,
        new ExecutorEngine(),
        new PgWireValues(),
        config.get().get(Settings.PORT),
        status,
        walSenders);
  }

  /** As {@link #start(Supplier, TransactionManager, Path)}, also serving walsenders. */
  public static PgServer start(
      Supplier<Config> config, TransactionManager store, Path hbaFile, WalSenderServices walSenders)
      throws IOException, HbaParseException {
    return start(config, store, hbaFile, ServerStatus.NONE, walSenders);
  }

  /**
   * Starts listening with the configuration's {@code listen_addresses}, {@code port} and {@code
   * max_connections}.
   *
   * @throws IOException if no address can be bound or {@code hba.conf} cannot be read
   * @throws HbaParseException if {@code hba.conf} is malformed
   */
  public static PgServer start(
      Supplier<Config> config,
      TransactionManager store,
      Path hbaFile,
      SqlEngine engine,
      WireValues values)
      throws IOException, HbaParseException {
    Config c = config.get();
    return start(config, store, hbaFile, engine, values, c.get(Settings.PORT));
  }

  /**
   * As {@link #start(Supplier, TransactionManager, Path, SqlEngine, WireValues)} on {@code port} (0
   * = any free one).
   */
  public static PgServer start(
      Supplier<Config> config,
      TransactionManager store,
      Path hbaFile,
      SqlEngine engine,
      WireValues values,
      int port)
      throws IOException, HbaParseException {
    return start(config, store, hbaFile, engine, values, port, ServerStatus.NONE, null);
  }

  /**
   * The full overload; {@code walSenders} null refuses replication connections, {@code status}
   * {@link ServerStatus#NONE} knows nothing of replication.
   */
  public static PgServer start(
      Supplier<Config> config,
      TransactionManager store,
      Path hbaFile,
      SqlEngine engine,
      WireValues values,
      int port,
      ServerStatus status,
      WalSenderServices walSenders)
      throws IOException, HbaParseException {
    Config c = config.get();
    HbaConfig hba = HbaConfig.load(hbaFile);
    ListenerConfig lc =
        ListenerConfig.defaults(port)
            .withListenAddresses(c.get(Settings.LISTEN_ADDRESSES))
            .withMaxConnections(c.get(Settings.MAX_CONNECTIONS))
            .withInHotStandby(store::isInRecovery);
    lc =
        new ListenerConfig(
            lc.listenAddresses(),
            lc.port(),
            lc.maxConnections(),
            lc.authenticationTimeout(),
            lc.messageTimeout(),
            c.show(Settings.SERVER_VERSION),
            c.show(Settings.TIME_ZONE),
            lc.inHotStandby());
    WaldenBackendFactory factory =
        new WaldenBackendFactory(store, config, engine, values, status, walSenders);
    Listener listener =
        Listener.start(lc, new ClientAuthentication(hba, new CatalogRoleStore(store)), factory);
    return new PgServer(listener, hba, factory);
  }

  public int port() {
    return listener.port();
  }

  /** The listener's backends (pg_cancel_backend, pg_terminate_backend). */
  public SessionRegistry sessions() {
    return listener.registry();
  }

  public WaldenBackendFactory backends() {
    return factory;
  }

  /** Re-reads {@code hba.conf}; on error logs it and keeps the rules in force. */
  public void reloadHba() {
    try {
      hba.reload();
    } catch (IOException | HbaParseException e) {
      log.warn("hba.conf was not reloaded: {}", e.getMessage());
    }
  }

  /**
   * Smart shutdown: refuse new logins, wait (up to {@code patience}) for the clients to leave;
   * walsender connections stay open until {@link #close}.
   */
  public void stopSmart(Duration patience) {
    factory.refuseNewSessions();
    try {
      if (!factory.awaitNoSessions(patience)) {
        log.warn("{} sessions still open after {}; closing them", factory.openSessions(), patience);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    listener.closeExceptWalSenders();
  }

  /** Fast shutdown: stop accepting and close every connection but the walsenders' now. */
  public void stopFast() {
    factory.refuseNewSessions();
    listener.closeExceptWalSenders();
  }

  /** Closes everything, walsender connections too. */
  @Override
  public void close() {
    factory.refuseNewSessions();
    listener.close();
  }
}
