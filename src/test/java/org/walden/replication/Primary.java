package org.walden.replication;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.wal.Lsn;
import org.walden.wal.WalSegmentSize;

/**
 * A primary node for walsender tests: 1 MiB WAL segments, trust authentication for {@code tester},
 * a free port, extra {@code -c} overrides. Close it to stop the node (fast).
 */
final class Primary implements AutoCloseable {
  static final String USER = "tester";
  static final int SEGMENT = 1 << 20;

  final Path dataDir;
  final Node node;

  private Primary(Path dataDir, Node node) {
    this.dataDir = dataDir;
    this.node = node;
  }

  static Primary start(Path tmp, Map<String, String> overrides) throws Exception {
    Path d = tmp.resolve("primary");
    Node.init(new InitOptions(d, new WalSegmentSize(SEGMENT), USER, "trust"));
    Map<String, String> o = new HashMap<>(overrides);
    o.put("port", Integer.toString(freePort()));
    return new Primary(d, Node.start(new DataDirectory(d), o));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  int port() {
    return node.port();
  }

  Path pgWal() {
    return dataDir.resolve("pg_wal");
  }

  Lsn flushed() {
    return node.wal().flushedUpto();
  }

  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/postgres", p);
  }

  /** Creates {@code t} if needed and inserts {@code rows} rows of about 1 KiB, one commit each. */
  void writeRows(int rows) throws SQLException {
    try (Connection c = connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("create table if not exists t (id int, v text)");
      }
      String filler = "x".repeat(1000);
      try (PreparedStatement ins = c.prepareStatement("insert into t values (?, ?)")) {
        for (int i = 0; i < rows; i++) {
          ins.setInt(1, i);
          ins.setString(2, filler);
          ins.executeUpdate();
        }
      }
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
