package org.walden.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fault-injecting TCP proxy on loopback for replication tests: clients connect to {@link
 * #port()}, each connection is forwarded to {@code upstream} (a server), both ways, byte for byte.
 *
 * <p><b>Faults.</b>
 *
 * <ul>
 *   <li>{@link #cut()} closes both sides of every current connection (a network partition that
 *       resets); new connections are still accepted.
 *   <li>{@link #stall()} stops reading from the upstream (server) side of every connection, current
 *       and future: the server's socket send buffer fills and its writes block, as with a standby
 *       that stopped reading. Bytes a pump had already begun reading when the stall came are held
 *       too, so nothing read from the server after {@code stall()} returns is forwarded.
 *       Client-to-server traffic keeps flowing. The proxy's own receive buffer on the upstream side
 *       is kept small so the stall bites quickly.
 *   <li>{@link #resume()} undoes {@link #stall()}.
 * </ul>
 *
 * <p><b>Threads.</b> One platform daemon thread accepts ({@code fault-proxy-accept}); each
 * connection has two daemon pump threads, one per direction. All are started by {@link #start} and
 * stopped by {@link #close}, which closes every socket and joins the threads (bounded). The proxy
 * is hermetic: loopback only, no shared state between instances.
 */
public final class FaultProxy implements AutoCloseable {
  private static final int UPSTREAM_RECEIVE_BUFFER = 16 * 1024;
  private static final Duration JOIN = Duration.ofSeconds(5);

  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> pumps = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition resumed = lock.newCondition();
  private boolean stalled; // guarded by lock
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor =
        Thread.ofPlatform().name("fault-proxy-accept").daemon(true).unstarted(this::accept);
  }

  /** Starts a proxy to {@code 127.0.0.1:upstreamPort}. */
  public static FaultProxy start(int upstreamPort) throws IOException {
    FaultProxy p =
        new FaultProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
    p.acceptor.start();
    return p;
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  public void stall() {
    lock.lock();
    try {
      stalled = true;
    } finally {
      lock.unlock();
    }
  }

  public void resume() {
    lock.lock();
    try {
      stalled = false;
      resumed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Closes both sides of every current connection. */
  public void cut() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket up = new Socket();
      try {
        up.setReceiveBufferSize(UPSTREAM_RECEIVE_BUFFER);
        up.connect(upstream, 10_000);
        client.setTcpNoDelay(true);
        up.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(up);
        continue;
      }
      sockets.add(client);
      sockets.add(up);
      pump("fault-proxy-up", client, up, false);
      pump("fault-proxy-down", up, client, true);
    }
  }

  private void pump(String name, Socket from, Socket to, boolean stallable) {
    Thread t =
        Thread.ofPlatform()
            .name(name)
            .daemon(true)
            .start(() -> {
              byte[] buf = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                while (true) {
                  if (stallable) {
                    awaitNotStalled();
                  }
                  int n = in.read(buf);
                  if (n < 0) {
                    break;
                  }
                  if (stallable) {
                    // a read that was already blocked when stall() came must not slip through:
                    // bytes it returns are held until resume()
                    awaitNotStalled();
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // a side closed, or the proxy is closing
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            });
    pumps.add(t);
  }

  private void awaitNotStalled() throws InterruptedException, SocketException {
    lock.lock();
    try {
      while (stalled && !closed) {
        resumed.await();
      }
      if (closed) {
        throw new SocketException("proxy closed");
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    cut();
    resume(); // wake stalled pumps; they see closed
    long deadline = System.nanoTime() + JOIN.toNanos();
    join(acceptor, deadline);
    for (Thread t : pumps) {
      join(t, deadline);
    }
  }

  private static void join(Thread t, long deadline) {
    long left = deadline - System.nanoTime();
    if (left > 0) {
      try {
        t.join(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already closed
    }
  }
}
