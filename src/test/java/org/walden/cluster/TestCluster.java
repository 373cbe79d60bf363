package org.walden.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.walden.node.DataDirectory;
import org.walden.node.InitOptions;
import org.walden.node.Node;
import org.walden.node.StandbyClone;
import org.walden.wal.WalSegmentSize;

/**
 * A primary and its standbys in one temporary directory, each a real node on its own free port; the
 * replication integration tests' fixture. Standbys are made with {@link StandbyClone} from the
 * primary's directory before the primary first starts (a fresh directory ends with a shutdown
 * checkpoint). {@link #close} stops every node that is still running (fast).
 */
final class TestCluster implements AutoCloseable {
  static final String SUPERUSER = "tester";

  final Path root;
  final Path primaryDir;
  final int primaryPort;
  private final List<Node> running = new ArrayList<>();

  private TestCluster(Path root, int primaryPort) {
    this.root = root;
    this.primaryDir = root.resolve("primary");
    this.primaryPort = primaryPort;
  }

  /** Creates the primary's directory (1 MiB WAL segments); nothing runs yet. */
  static TestCluster create(Path tmp) throws Exception {
    return create(tmp, 1);
  }

  /** As {@link #create(Path)} with segments of {@code segmentMb} MiB. */
  static TestCluster create(Path tmp, int segmentMb) throws Exception {
    TestCluster c = new TestCluster(tmp, freePort());
    Node.init(
        new InitOptions(c.primaryDir, new WalSegmentSize(segmentMb << 20), SUPERUSER, "trust"));
    return c;
  }

  /** Clones the (stopped) primary into {@code name}; returns the standby's directory. */
  Path cloneStandby(String name, Map<String, String> settings) throws Exception {
    Path d = root.resolve(name);
    Map<String, String> s = new HashMap<>(settings);
    s.putIfAbsent("primary_conninfo", conninfo(name));
    StandbyClone.cloneStopped(primaryDir, d, s);
    return d;
  }

  String conninfo(String applicationName) {
    return conninfo(applicationName, primaryPort);
  }

  /** A conninfo to the primary through {@code port} (a proxy in front of it). */
  static String conninfo(String applicationName, int port) {
    return "host=127.0.0.1 port="
        + port
        + " user="
        + SUPERUSER
        + " application_name="
        + applicationName;
  }

  Node startPrimary(Map<String, String> overrides) throws Exception {
    Map<String, String> o = new HashMap<>(overrides);
    o.put("port", Integer.toString(primaryPort));
    return track(Node.start(new DataDirectory(primaryDir), o));
  }

  Node start(Path dir, Map<String, String> overrides) throws Exception {
    Map<String, String> o = new HashMap<>(overrides);
    o.putIfAbsent("port", Integer.toString(freePort()));
    return track(Node.start(new DataDirectory(dir), o));
  }

  private synchronized Node track(Node n) {
    running.add(n);
    return n;
  }

  /** Waits (bounded) until {@code standby} has replayed up to {@code end}. */
  static void awaitReplayed(Node standby, org.walden.wal.Lsn end, java.time.Duration atMost) {
    org.awaitility.Awaitility.await()
        .atMost(atMost)
        .until(() -> standby.lastReplayedLsn().map(l -> l.isAtOrAfter(end)).orElse(false));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Connection connect(Node n) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", SUPERUSER);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + n.port() + "/postgres", p);
  }

  /** The result of a one-column query, or null for no row. */
  static String query(Node n, String sql) throws SQLException {
    try (Connection c = connect(n);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static void exec(Node n, String sql) throws SQLException {
    try (Connection c = connect(n);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public synchronized void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      Node n = running.get(i);
      if (!n.isTerminated()) {
        n.close();
      }
    }
  }
}
