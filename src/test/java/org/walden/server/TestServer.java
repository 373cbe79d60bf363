package org.walden.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.wal.WalSegmentSize;

/**
 * A real node in a temporary directory, listening on a free port with trust authentication for the
 * superuser {@code tester}; the integration tests' fixture. Close it to stop the node (fast).
 */
final class TestServer implements AutoCloseable {
  static final String SUPERUSER = "tester";

  final Path dataDir;
  final Node node;
  final int port;

  private TestServer(Path dataDir, Node node) {
    this.dataDir = dataDir;
    this.node = node;
    this.port = node.port();
  }

  static TestServer start(Path tmp) throws Exception {
    Path d = tmp.resolve("data");
    Node.init(new InitOptions(d, new WalSegmentSize(1 << 24), SUPERUSER, "trust"));
    Node node =
        Node.start(
            new DataDirectory(d),
            Map.of("port", Integer.toString(freePort()), "synchronous_commit", "off"));
    return new TestServer(d, node);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  Connection connect() throws SQLException {
    return connect(SUPERUSER, null);
  }

  Connection connect(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(url(), p);
  }

  /** Replaces hba.conf and reloads it. */
  void writeHba(String text) throws IOException {
    Files.writeString(dataDir.resolve("hba.conf"), text);
    node.reload();
  }

  @Override
  public void close() {
    node.close();
  }
}
