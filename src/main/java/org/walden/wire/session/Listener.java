package org.walden.wire.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.wire.auth.ClientAuthentication;

/**
 * The postmaster's listening half: binds {@code listen_addresses:port}, accepts connections and
 * runs one {@link Session} per connection on its own virtual thread.
 *
 * <p><b>Threads.</b> One platform thread per bound address ({@code walden-listener-…}) blocks in
 * {@code accept}; each accepted socket gets a virtual thread ({@code walden-session-N}). Both are
 * started by {@link #start} and stopped by {@link #close}.
 *
 * <p><b>Shared state.</b> {@code sessions} (live sessions, for shutdown) is written by accept
 * threads (add) and session threads (remove on exit). The {@link SessionRegistry} holds pids,
 * cancel keys and the {@code max_connections} slot count.
 *
 * <p><b>Stop.</b> {@link #close} closes the server sockets (the accept loops end), then every
 * session's socket (each session ends at its next read or write and releases its slot), then waits
 * a bounded time for the threads. A session blocked inside the SQL layer ends when that returns.
 * {@link #closeExceptWalSenders} does the same but leaves replication connections open: at shutdown
 * PostgreSQL's postmaster ends walsenders only after the shutdown checkpoint, so that standbys
 * receive it (seed README, "Walsender IPC"); the node calls {@link #close} after that.
 *
 * <p><b>Failure.</b> An accept error while running is logged and the loop continues; a failing
 * session never affects the listener.
 */
public final class Listener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Listener.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final ListenerConfig config;
  private final ClientAuthentication authentication;
  private final BackendFactory factory;
  private final SessionRegistry registry;
  private final List<ServerSocket> serverSockets = new ArrayList<>();
  private final List<Thread> acceptThreads = new ArrayList<>();
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final Map<Session, Thread> sessionThreads = new ConcurrentHashMap<>();
  private final AtomicLong sessionCounter = new AtomicLong();
  private volatile boolean stopping;

  private Listener(
      ListenerConfig config, ClientAuthentication authentication, BackendFactory factory) {
    this.config = config;
    this.authentication = authentication;
    this.factory = factory;
    this.registry = new SessionRegistry(config.maxConnections());
  }

  /** Binds and starts accepting; throws if no address can be bound. */
  public static Listener start(
      ListenerConfig config, ClientAuthentication authentication, BackendFactory factory)
      throws IOException {
    Listener l = new Listener(config, authentication, factory);
    try {
      l.bind();
    } catch (IOException | RuntimeException e) {
      l.close();
      throw e;
    }
    for (ServerSocket ss : l.serverSockets) {
      Thread t =
          Thread.ofPlatform()
              .name("walden-listener-" + ss.getLocalSocketAddress())
              .daemon(true)
              .start(() -> l.acceptLoop(ss));
      l.acceptThreads.add(t);
    }
    return l;
  }

  private void bind() throws IOException {
    int port = config.port();
    for (InetAddress addr : addresses(config.listenAddresses())) {
      ServerSocket ss = new ServerSocket();
      ss.setReuseAddress(true);
      try {
        ss.bind(new InetSocketAddress(addr, port), 128);
      } catch (IOException e) {
        ss.close();
        throw new IOException("could not bind to " + addr.getHostAddress() + ":" + port, e);
      }
      serverSockets.add(ss);
      // with port 0 every further address reuses the port the first one got
      port = ss.getLocalPort();
      log.info("listening on {}", ss.getLocalSocketAddress());
    }
    if (serverSockets.isEmpty()) {
      throw new IOException("no listen_addresses to bind: \"" + config.listenAddresses() + "\"");
    }
  }

  private static Set<InetAddress> addresses(String listenAddresses) throws IOException {
    Set<InetAddress> out = new LinkedHashSet<>();
    for (String part : listenAddresses.split(",")) {
      String a = part.trim();
      if (a.isEmpty()) {
        continue;
      }
      if (a.equals("*")) {
        out.add(new InetSocketAddress(0).getAddress());
      } else if (a.equals("localhost")) {
        out.add(InetAddress.getLoopbackAddress());
      } else {
        out.add(InetAddress.getByName(a));
      }
    }
    return out;
  }

  /** The bound port (the same on every address). */
  public int port() {
    return serverSockets.get(0).getLocalPort();
  }

  public List<InetSocketAddress> boundAddresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (ServerSocket ss : serverSockets) {
      out.add((InetSocketAddress) ss.getLocalSocketAddress());
    }
    return out;
  }

  /** Sessions whose thread is still running (logging in or logged in). */
  public int activeSessions() {
    return sessions.size();
  }

  /** The backend table (cancel keys, connection slots). */
  public SessionRegistry registry() {
    return registry;
  }

  private void acceptLoop(ServerSocket ss) {
    while (!stopping) {
      Socket s;
      try {
        s = ss.accept();
      } catch (SocketException e) {
        if (!stopping) {
          log.error("accept on {} failed; listener stops", ss.getLocalSocketAddress(), e);
        }
        return;
      } catch (IOException e) {
        log.warn("accept on {} failed: {}", ss.getLocalSocketAddress(), e.toString());
        continue;
      }
      startSession(s);
    }
  }

  private void startSession(Socket s) {
    Session[] holder = new Session[1];
    Thread[] thread = new Thread[1];
    Session session =
        new Session(
            s,
            config,
            registry,
            authentication,
            factory,
            () -> {
              sessions.remove(holder[0]);
              sessionThreads.remove(holder[0]);
            });
    holder[0] = session;
    sessions.add(session);
    thread[0] =
        Thread.ofVirtual()
            .name("walden-session-" + sessionCounter.incrementAndGet())
            .unstarted(session);
    sessionThreads.put(session, thread[0]);
    if (stopping) {
      // close() may have swept the set before we added to it
      session.terminate();
    }
    thread[0].start();
  }

  /** Stops accepting, closes every session, waits (bounded) for the threads. */
  @Override
  public void close() {
    stopAccepting();
    closeSessions(true);
  }

  /**
   * Stops accepting and closes every session except replication connections (walsenders), which
   * stay until {@link #close}; waits (bounded) for the closed sessions' threads.
   */
  public void closeExceptWalSenders() {
    stopAccepting();
    closeSessions(false);
  }

  private void stopAccepting() {
    stopping = true;
    for (ServerSocket ss : serverSockets) {
      try {
        ss.close();
      } catch (IOException e) {
        log.debug("closing {}", ss, e);
      }
    }
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    for (Thread t : acceptThreads) {
      join(t, deadline);
    }
  }

  private void closeSessions(boolean walSendersToo) {
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    List<Session> closing = new ArrayList<>();
    for (Session s : sessions) {
      if (walSendersToo || !s.isWalSender()) {
        s.requestTerminate();
        closing.add(s);
      }
    }
    for (Session s : closing) {
      Thread t = sessionThreads.get(s);
      if (t != null) {
        join(t, deadline);
      }
    }
    long left = closing.stream().filter(sessions::contains).count();
    if (left > 0) {
      log.warn("{} sessions still running after listener stop", left);
    }
  }

  private static void join(Thread t, long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      t.join(Duration.ofNanos(left));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
