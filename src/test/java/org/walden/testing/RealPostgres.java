package org.walden.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL 15 server for integration tests: initdb into a fresh temporary directory
 * ({@code --wal-segsize=1}), started on a free port on 127.0.0.1 with replication enabled, stopped
 * with {@code pg_ctl stop -m fast} and deleted by {@link #close}.
 *
 * <p>Authentication is {@code trust}, or, with {@link Builder#password}, {@code scram-sha-256} for
 * the superuser {@code postgres} (initdb's {@code --pwfile}); extra pg_hba lines go before the
 * general ones. PostgreSQL refuses to run as root: when the tests run as root every server command
 * runs through {@code runuser -u postgres --} and the directory is given to that user.
 *
 * <p>Tests call {@link #assumeAvailable} first, so a machine without the server binaries skips them
 * instead of failing (CI installs them).
 */
public final class RealPostgres implements AutoCloseable {

  public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  public static final String SUPERUSER = "postgres";
  public static final int SEGMENT_SIZE = 1 << 20;

  private static final long COMMAND_TIMEOUT_S = 60;

  private final Path root;
  private final Path data;
  private final Path log;
  private final String password;
  private final int port;
  private boolean running;

  private RealPostgres(Path root, String password, int port) {
    this.root = root;
    this.data = root.resolve("data");
    this.log = root.resolve("postgres.log");
    this.password = password;
    this.port = port;
  }

  /** True if the PostgreSQL 15 server binaries are installed. */
  public static boolean available() {
    return Files.isExecutable(BIN.resolve("initdb"))
        && Files.isExecutable(BIN.resolve("pg_ctl"))
        && Files.isExecutable(BIN.resolve("postgres"));
  }

  /** Skips the calling test when the binaries are missing. */
  public static void assumeAvailable() {
    Assumptions.assumeTrue(available(), "PostgreSQL 15 server binaries not installed at " + BIN);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How to set up the server. */
  public static final class Builder {
    private String password;
    private final List<String> hbaFirst = new ArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>();

    /** Superuser password; switches host authentication to scram-sha-256. */
    public Builder password(String pw) {
      this.password = pw;
      return this;
    }

    /** A pg_hba.conf line placed before the general ones. */
    public Builder hbaLine(String line) {
      hbaFirst.add(line);
      return this;
    }

    /** A server setting ({@code -c name=value}); the value must not need shell quoting. */
    public Builder setting(String name, String value) {
      settings.put(name, value);
      return this;
    }

    public RealPostgres start() throws IOException, InterruptedException {
      assumeAvailable();
      Path root = Files.createTempDirectory("walden-pg");
      RealPostgres pg = new RealPostgres(root, password, freePort());
      try {
        pg.init(hbaFirst);
        pg.startServer(settings);
        return pg;
      } catch (IOException | InterruptedException | RuntimeException e) {
        pg.close();
        throw e;
      }
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void init(List<String> hbaFirst) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BIN.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                SUPERUSER,
                "--wal-segsize=1",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync"));
    String method = password == null ? "trust" : "scram-sha-256";
    if (password != null) {
      Path pwfile = root.resolve("pwfile");
      Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
      cmd.add("--pwfile=" + pwfile);
    }
    cmd.add("-A");
    cmd.add(method);
    if (isRoot()) {
      run(List.of("chown", "-R", SUPERUSER + ":" + SUPERUSER, root.toString()), false);
    }
    run(cmd, true);
    StringBuilder hba = new StringBuilder("local all all trust\n");
    hbaFirst.forEach(l -> hba.append(l).append('\n'));
    hba.append("host all all 127.0.0.1/32 ").append(method).append('\n');
    hba.append("host replication all 127.0.0.1/32 ").append(method).append('\n');
    Files.writeString(data.resolve("pg_hba.conf"), hba.toString(), StandardCharsets.UTF_8);
  }

  private void startServer(Map<String, String> extra) throws IOException, InterruptedException {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("port", Integer.toString(port));
    s.put("listen_addresses", "127.0.0.1");
    s.put("unix_socket_directories", root.toString());
    s.put("wal_level", "replica");
    s.put("max_wal_senders", "5");
    s.put("fsync", "off");
    s.put("shared_buffers", "16MB");
    s.putAll(extra);
    StringBuilder opts = new StringBuilder();
    s.forEach((k, v) -> opts.append(" -c ").append(k).append('=').append(v));
    run(
        List.of(
            BIN.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            log.toString(),
            "-w",
            "-t",
            "30",
            "-o",
            opts.toString().strip(),
            "start"),
        true);
    running = true;
  }

  /** Runs a command (as the postgres user when we are root), failing with its output. */
  private void run(List<String> cmd, boolean asPostgres) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres && isRoot()) {
      full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
    }
    full.addAll(cmd);
    Path out = Files.createTempFile("walden-pg-cmd", ".out");
    try {
      Process p =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .directory(root.toFile())
              .start();
      if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + full);
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            "command failed ("
                + p.exitValue()
                + "): "
                + full
                + "\n"
                + Files.readString(out)
                + "\n--- server log ---\n"
                + serverLog());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The server log so far (for failure messages). */
  public String serverLog() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return data;
  }

  public Path walDir() {
    return data.resolve("pg_wal");
  }

  /** The temporary directory everything lives in (deleted by {@link #close}). */
  public Path root() {
    return root;
  }

  /** A libpq conninfo for this server's superuser, with the password if there is one. */
  public String conninfo() {
    return "host="
        + host()
        + " port="
        + port
        + " user="
        + SUPERUSER
        + (password == null
            ? ""
            : " password='" + password.replace("\\", "\\\\").replace("'", "\\'") + "'");
  }

  /** A pgjdbc connection to database {@code postgres} as the superuser. */
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", SUPERUSER);
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port + "/postgres", p);
  }

  /** Runs one SQL statement and returns the first column of the first row as text, or null. */
  public String queryOne(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      if (!st.execute(sql)) {
        return null;
      }
      try (ResultSet rs = st.getResultSet()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Runs SQL statements, ignoring results. */
  public void execute(String... sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** The server's system identifier (pg_control). */
  public long systemIdentifier() throws SQLException {
    return Long.parseUnsignedLong(queryOne("select system_identifier from pg_control_system()"));
  }

  /** {@code pg_ctl stop -m fast}; the directory stays until {@link #close}. */
  public void stop() throws IOException, InterruptedException {
    if (!running) {
      return;
    }
    running = false;
    try {
      run(
          List.of(
              BIN.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-m",
              "fast",
              "-w",
              "-t",
              "30",
              "stop"),
          true);
    } catch (IOException e) {
      run(
          List.of(
              BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"),
          true);
    }
  }

  /** Stops the server if running and deletes its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      stop();
    } finally {
      deleteRecursively(root);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(p -> {
            try {
              Files.deleteIfExists(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
