package org.walden.wire.session;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.Severity;
import org.walden.wire.SqlState;
import org.walden.wire.auth.ClientAuthentication;
import org.walden.wire.auth.ConnectionRequest;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;
import org.walden.wire.auth.Role;
import org.walden.wire.codec.FrameReader;
import org.walden.wire.codec.MessageWriter;
import org.walden.wire.codec.ReadPhaseListener;

/**
 * One client connection, from the first byte to the close (PostgreSQL's backend: {@code
 * BackendInitialize} + {@code PostgresMain}).
 *
 * <p><b>Lifecycle.</b> Created by {@link Listener} for an accepted socket and run on its own
 * virtual thread. Phases: startup packets ({@link StartupHandshake}); a CancelRequest is handled
 * and the socket closed; otherwise a {@code max_connections} slot is taken (FATAL 53300 if none),
 * the client authenticates, the handler is opened, ParameterStatus × 13, BackendKeyData and
 * ReadyForQuery are sent, and the {@link MessageLoop} runs until Terminate, end of stream, a FATAL
 * error, or {@link #terminate} (listener shutdown closes the socket under the loop).
 *
 * <p><b>Timeouts.</b> Until authenticated, every read is bounded by {@code authentication_timeout}.
 * Afterwards the session may wait for the next message forever, but once a message has begun the
 * rest must arrive within {@code messageTimeout}; a stalled or truncated message therefore never
 * pins a session (or its slot) for good.
 *
 * <p><b>Failure.</b> A {@link PgException} of FATAL severity is sent as ErrorResponse and the
 * connection closed. A vanished client (EOF, reset, timeout) ends the session quietly (DEBUG log).
 * Any other exception is a Walden bug: logged with its stack trace and reported as FATAL XX000. The
 * connection slot, registry entry and handler are always released.
 *
 * <p>Fields are confined to the session thread except {@code socket}, which {@link #terminate} may
 * close from the listener's thread (closing is the only cross-thread operation).
 */
final class Session implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final Socket socket;
  private final ListenerConfig config;
  private final SessionRegistry registry;
  private final ClientAuthentication authentication;
  private final BackendFactory factory;
  private final Runnable onExit;

  /** Set once the startup packet asked for replication; read by the listener at shutdown. */
  private volatile boolean walSender;

  /** The logged-in session's cancel token; null before login. Read by the listener's thread. */
  private volatile CancelToken token;

  Session(
      Socket socket,
      ListenerConfig config,
      SessionRegistry registry,
      ClientAuthentication authentication,
      BackendFactory factory,
      Runnable onExit) {
    this.socket = socket;
    this.config = config;
    this.registry = registry;
    this.authentication = authentication;
    this.factory = factory;
    this.onExit = onExit;
  }

  /** Whether this is a replication connection (kept open by a fast shutdown until the end). */
  boolean isWalSender() {
    return walSender;
  }

  /**
   * Ends the session for a shutdown or pg_terminate_backend: through its cancel token once logged
   * in (a session waiting for synchronous replication sends its warning first), else by closing the
   * socket.
   */
  void requestTerminate() {
    CancelToken t = token;
    if (t != null) {
      t.terminate();
    } else {
      terminate();
    }
  }

  /** Closes the socket; the session thread then ends at its next read or write. */
  void terminate() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing session socket", e);
    }
  }

  @Override
  public void run() {
    String peer = String.valueOf(socket.getRemoteSocketAddress());
    MessageWriter writer = null;
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(toMillis(config.authenticationTimeout()));
      Timeouts timeouts = new Timeouts();
      FrameReader reader =
          new FrameReader(new BufferedInputStream(socket.getInputStream(), 8192), timeouts);
      writer = new MessageWriter(socket.getOutputStream());
      runPhases(reader, writer, timeouts);
    } catch (PgException e) {
      sendFatal(writer, e.error());
      log.debug("session {} ended: {}", peer, e.error());
    } catch (ConnectionTerminated e) {
      log.debug("session {} terminated: {}", peer, e.getMessage());
    } catch (SocketTimeoutException e) {
      log.info("session {} timed out while reading", peer);
    } catch (EOFException | SocketException e) {
      log.debug("session {} disconnected: {}", peer, e.toString());
    } catch (IOException e) {
      log.info("session {} I/O error: {}", peer, e.toString());
    } catch (RuntimeException | Error e) {
      log.error("session {} failed", peer, e);
      sendFatal(writer, PgError.fatal(SqlState.INTERNAL_ERROR, "internal error: " + e));
    } finally {
      terminate();
      onExit.run();
    }
  }

  private void runPhases(FrameReader reader, MessageWriter writer, Timeouts timeouts)
      throws IOException {
    StartupHandshake.Outcome outcome = StartupHandshake.run(reader, writer);
    switch (outcome) {
      case StartupHandshake.Gone g -> {}
      case StartupHandshake.Cancel c -> registry.cancel(c.processId(), c.secretKey());
      case StartupHandshake.Startup s -> {
        StartupParameters params = StartupParameters.of(s.message());
        walSender = params.replication() != ReplicationMode.NONE;
        // like PostgreSQL, count the slot only for a real login, so cancels work when full;
        // walsenders take no max_connections slot (PostgreSQL 12+: theirs are max_wal_senders,
        // checked by the replication handler)
        if (!walSender && !registry.tryReserveSlot()) {
          throw PgError.fatal(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already")
              .toException();
        }
        try {
          login(params, reader, writer, timeouts);
        } finally {
          if (!walSender) {
            registry.releaseSlot();
          }
        }
      }
    }
  }

  private void login(
      StartupParameters params, FrameReader reader, MessageWriter writer, Timeouts timeouts)
      throws IOException {
    ConnectionRequest req =
        new ConnectionRequest(
            socket.getInetAddress(),
            false,
            false,
            params.database(),
            params.user(),
            params.replication());
    Role role = authentication.authenticate(req, new SocketAuthConversation(reader, writer));
    CancelToken cancel = new CancelToken();
    cancel.onTerminate(this::terminate);
    token = cancel;
    SessionRegistry.Backend backend = registry.register(cancel);
    try {
      SessionContext ctx =
          new SessionContext(
              backend.processId(),
              role.name(),
              role.superuser(),
              params.database(),
              params.applicationName(),
              params.replication(),
              socket.getInetAddress(),
              params.settings(),
              cancel);
      MessageLoop.Dispatch dispatch =
          params.replication() == ReplicationMode.NONE
              ? new MessageLoop.Dispatch(factory.openSession(ctx), null)
              : new MessageLoop.Dispatch(null, factory.openReplication(ctx));
      try {
        for (Map.Entry<String, String> p : reportedParameters(params, role).entrySet()) {
          writer.parameterStatus(p.getKey(), p.getValue());
        }
        writer.backendKeyData(backend.processId(), backend.secretKey());
        writer.readyForQuery(dispatch.transactionStatus().code());
        writer.flush();
        socket.setSoTimeout(0);
        timeouts.authenticated = true;
        new MessageLoop(reader, writer, dispatch, cancel, params.replication()).run();
      } finally {
        dispatch.closed();
      }
    } finally {
      registry.unregister(backend);
    }
  }

  /** PostgreSQL 15's GUC_REPORT parameters, in its (alphabetical) order. */
  private Map<String, String> reportedParameters(StartupParameters params, Role role) {
    Map<String, String> s = params.settings();
    Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put("application_name", params.applicationName());
    out.put("client_encoding", s.getOrDefault("client_encoding", "UTF8"));
    out.put("DateStyle", dateStyle(s.get("DateStyle")));
    out.put("default_transaction_read_only", "off");
    out.put("in_hot_standby", config.inHotStandby().getAsBoolean() ? "on" : "off");
    out.put("integer_datetimes", "on");
    out.put("IntervalStyle", "postgres");
    out.put("is_superuser", role.superuser() ? "on" : "off");
    out.put("server_encoding", "UTF8");
    out.put("server_version", config.serverVersion());
    out.put("session_authorization", role.name());
    out.put("standard_conforming_strings", "on");
    out.put("TimeZone", s.getOrDefault("TimeZone", config.timeZone()));
    return out;
  }

  // PostgreSQL fills in the half not given: "ISO" reports as "ISO, MDY"
  private static String dateStyle(String requested) {
    if (requested == null || requested.isBlank()) {
      return "ISO, MDY";
    }
    return requested.contains(",") ? requested : requested.trim() + ", MDY";
  }

  private void sendFatal(MessageWriter writer, PgError error) {
    if (writer == null || socket.isClosed()) {
      return;
    }
    try {
      PgError e = error.severity() == Severity.FATAL ? error : error.withSeverity(Severity.FATAL);
      writer.errorResponse(e);
      writer.flush();
    } catch (IOException | RuntimeException ignored) {
      // the client is gone or the writer is mid-message; nothing more to tell anyone
    }
  }

  private static int toMillis(java.time.Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  /** Switches the socket timeout between "idle" (none) and "inside a message" once logged in. */
  private final class Timeouts implements ReadPhaseListener {
    boolean authenticated; // session thread only

    @Override
    public void messageStarted() {
      if (authenticated) {
        setTimeout(toMillis(config.messageTimeout()));
      }
    }

    @Override
    public void messageFinished() {
      if (authenticated) {
        setTimeout(0);
      }
    }

    private void setTimeout(int millis) {
      try {
        socket.setSoTimeout(millis);
      } catch (SocketException e) {
        // the socket is closed; the next read reports it
      }
    }
  }
}
