package org.walden.replication.receiver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny TCP proxy for tests: forwards one loopback port to a target, and can go silent (drop what
 * the server sends, keeping the connection open) to play a primary that stopped talking.
 */
final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean silent;

  TcpProxy(String host, int port) throws IOException {
    this.target = new InetSocketAddress(host, port);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
    acceptor.setDaemon(true);
    threads.add(acceptor);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** From now on, bytes from the server are dropped. */
  void goSilent() {
    silent = true;
  }

  private void acceptLoop() {
    try {
      while (!server.isClosed()) {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 5000);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, false);
        pump(upstream, client, true);
      }
    } catch (IOException closed) {
      // proxy closed
    }
  }

  private void pump(Socket from, Socket to, boolean fromServer) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (fromServer && silent) {
                    continue;
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException closed) {
                // either side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-proxy-pump");
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    sockets.forEach(TcpProxy::closeQuietly);
    for (Thread t : threads) {
      t.join(5000);
    }
  }
}
