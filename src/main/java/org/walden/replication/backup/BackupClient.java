package org.walden.replication.backup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.replication.receiver.ConnInfo;
import org.walden.replication.receiver.ScramSha256Client;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * {@code walden basebackup}'s client (a small pg_basebackup): one replication connection runs
 * BASE_BACKUP and unpacks {@code base.tar} into the target directory as it arrives (plain format),
 * writes {@code backup_manifest}, and with {@code -X stream} a second connection ({@link
 * WalStreamer}) receives the WAL from the start point to the end point into {@code pg_wal}. Every
 * file and directory is forced before the tool reports success; {@code -R} adds {@code
 * standby.signal} and {@code primary_conninfo}.
 *
 * <p>Threads: the caller's thread for the main connection; one "walden-basebackup-wal" thread for
 * {@code -X stream}, joined before {@link #run} returns. Authentication: trust, password, md5 and
 * SCRAM-SHA-256 with the password from the conninfo or {@code PGPASSWORD} (no .pgpass, no SSL).
 */
public final class BackupClient {

  /** What to do with WAL (pg_basebackup's -X). */
  public enum WalMethod {
    NONE,
    FETCH,
    STREAM
  }

  /** The tool's options. */
  public record Options(
      ConnInfo conninfo,
      Path target,
      WalMethod wal,
      boolean writeRecoveryConf,
      boolean progress,
      boolean fastCheckpoint,
      String label,
      boolean manifest,
      int maxRateKb) {}

  private final Options o;
  private final PrintStream err;
  private final DurableFiles durable = new DurableFiles(FileIo.nio());
  private Socket socket;
  private DataInputStream in;
  private OutputStream out;

  public BackupClient(Options options, PrintStream err) {
    this.o = options;
    this.err = err;
  }

  /** A failure reported to the user, as pg_basebackup words them. */
  public static final class BackupFailed extends Exception {
    public BackupFailed(String message) {
      super(message);
    }
  }

  /** Takes the backup; on failure removes the target directory it created. */
  public void run() throws BackupFailed, IOException, InterruptedException {
    Path target = o.target().toAbsolutePath().normalize();
    if (Files.exists(target)) {
      try (var s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new BackupFailed("directory \"" + target + "\" exists but is not empty");
        }
      }
    }
    boolean created = !Files.exists(target);
    Files.createDirectories(target);
    Files.setPosixFilePermissions(
        target, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    WalStreamer streamer = null;
    boolean ok = false;
    try {
      connect(o.conninfo());
      List<List<String>> id = query("IDENTIFY_SYSTEM");
      long systemId = Long.parseUnsignedLong(id.get(0).get(0));
      int segBytes = parseSegmentSize(query("SHOW wal_segment_size").get(0).get(0));
      StringBuilder cmd = new StringBuilder("BASE_BACKUP ( LABEL '");
      cmd.append(o.label().replace("'", "''")).append("'");
      if (o.progress()) {
        cmd.append(", PROGRESS");
      }
      if (o.fastCheckpoint()) {
        cmd.append(", CHECKPOINT 'fast'");
      }
      if (o.wal() == WalMethod.FETCH) {
        cmd.append(", WAL");
      }
      if (o.wal() != WalMethod.NONE) {
        cmd.append(", WAIT 0");
      }
      if (o.maxRateKb() > 0) {
        cmd.append(", MAX_RATE ").append(o.maxRateKb());
      }
      cmd.append(o.manifest() ? ", MANIFEST 'yes'" : "").append(")");
      send('Q', cstring(cmd.toString()));
      List<String> startRow = readResultSet();
      Lsn start = Lsn.parse(startRow.get(0));
      TimelineId tli = new TimelineId(Integer.parseInt(startRow.get(1)));
      List<String> spc = readResultSet();
      long totalKb = spc.get(2) == null ? -1 : Long.parseLong(spc.get(2));
      if (o.wal() == WalMethod.STREAM) {
        Files.createDirectories(target.resolve("pg_wal/archive_status"));
        streamer = new WalStreamer(o.conninfo(), systemId, segBytes, target.resolve("pg_wal"));
        streamer.start(start, tli);
      }
      receiveCopy(target, totalKb);
      List<String> endRow = readResultSet();
      Lsn end = Lsn.parse(endRow.get(0));
      expectCommandCompleteAndReady();
      if (streamer != null) {
        streamer.finish(end);
        streamer = null;
      }
      if (o.writeRecoveryConf()) {
        writeRecoveryConf(target);
      }
      syncTree(target);
      if (o.manifest()) {
        durable.durableRename(
            target.resolve("backup_manifest.tmp"), target.resolve("backup_manifest"));
      }
      ok = true;
    } finally {
      close();
      if (streamer != null) {
        streamer.abort();
      }
      if (!ok) {
        err.println("walden basebackup: removing data directory \"" + target + "\"");
        deleteTree(target, created);
      }
    }
  }

  static int parseSegmentSize(String show) {
    if (show.endsWith("GB")) {
      return Integer.parseInt(show.substring(0, show.length() - 2)) << 30;
    }
    if (show.endsWith("MB")) {
      return Integer.parseInt(show.substring(0, show.length() - 2)) << 20;
    }
    throw new IllegalArgumentException("unexpected wal_segment_size " + show);
  }

  // ------------------------------------------------------------------ COPY stream → files

  private void receiveCopy(Path target, long totalKb) throws IOException, BackupFailed {
    Frame f = next();
    if (f.type != 'H') {
      throw unexpected(f, "CopyOutResponse");
    }
    TarExtractor tar = new TarExtractor(target);
    OutputStream manifest = null;
    long received = 0;
    long lastReport = 0;
    try {
      while (true) {
        f = next();
        if (f.type == 'c') {
          break;
        }
        if (f.type != 'd') {
          throw unexpected(f, "CopyData");
        }
        byte[] b = f.body;
        switch (b[0]) {
          case 'n' -> {
            // a new archive: only base.tar (Walden has no other tablespaces)
          }
          case 'd' -> {
            if (manifest != null) {
              manifest.write(b, 1, b.length - 1);
            } else {
              tar.feed(b, 1, b.length - 1);
              received += b.length - 1;
              if (o.progress() && received - lastReport >= (1 << 20)) {
                report(received, totalKb);
                lastReport = received;
              }
            }
          }
          case 'p' -> {
            // server progress; the bar follows the bytes received
          }
          case 'm' -> {
            tar.finish();
            manifest = Files.newOutputStream(target.resolve("backup_manifest.tmp"));
          }
          default -> throw new BackupFailed("unrecognized copy data type \"" + (char) b[0] + "\"");
        }
      }
      if (o.progress()) {
        report(received, totalKb);
        err.println();
      }
    } finally {
      if (manifest != null) {
        manifest.close();
      }
    }
  }

  private void report(long bytes, long totalKb) {
    long kb = bytes / 1024;
    long total = Math.max(totalKb, kb);
    int pct = total == 0 ? 100 : (int) (kb * 100 / total);
    err.print("\r" + kb + "/" + total + " kB (" + pct + "%), 1/1 tablespace");
    err.flush();
  }

  private void writeRecoveryConf(Path target) throws IOException {
    Map<String, String> kv = new LinkedHashMap<>(o.conninfo().asMap());
    kv.remove("dbname");
    kv.remove("replication");
    kv.remove("fallback_application_name");
    StringBuilder ci = new StringBuilder();
    for (Map.Entry<String, String> e : kv.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) {
        continue;
      }
      if (ci.length() > 0) {
        ci.append(' ');
      }
      ci.append(e.getKey())
          .append("='")
          .append(e.getValue().replace("\\", "\\\\").replace("'", "\\'"))
          .append('\'');
    }
    String line =
        "# Recovery settings generated by walden basebackup\nprimary_conninfo = '"
            + ci.toString().replace("'", "''")
            + "'\n";
    Path auto = target.resolve("postgresql.auto.conf");
    Files.writeString(
        auto,
        line,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Files.write(target.resolve("standby.signal"), new byte[0]);
  }

  private void syncTree(Path root) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (var s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (Files.isDirectory(p)) {
          dirs.add(p);
        } else {
          durable.fsyncFile(p);
        }
      }
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      durable.fsyncDirectory(dirs.get(i));
    }
  }

  private static void deleteTree(Path root, boolean includingRoot) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var s = Files.walk(root)) {
      List<Path> all = new ArrayList<>(s.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        if (!p.equals(root) || includingRoot) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  // ------------------------------------------------------------------ protocol

  private record Frame(char type, byte[] body) {}

  private void connect(ConnInfo ci) throws IOException, BackupFailed {
    String host = ci.hosts().get(0).strip();
    int port = ci.port(0);
    Socket s = new Socket();
    s.connect(new InetSocketAddress(host, port), 30_000);
    s.setTcpNoDelay(true);
    socket = s;
    in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 256 * 1024));
    out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", ci.user());
    params.put("database", "replication");
    params.put("replication", "true");
    params.put("application_name", ci.nonEmpty("application_name").orElse("walden_basebackup"));
    for (Map.Entry<String, String> e : params.entrySet()) {
      body.writeBytes(cstring(e.getKey()));
      body.writeBytes(cstring(e.getValue()));
    }
    body.write(0);
    byte[] b = body.toByteArray();
    out.write(ByteBuffer.allocate(8).putInt(8 + b.length).putInt(196608).array());
    out.write(b);
    out.flush();
    ScramSha256Client scram = null;
    while (true) {
      Frame f = next();
      switch (f.type) {
        case 'R' -> {
          ByteBuffer r = ByteBuffer.wrap(f.body);
          int code = r.getInt();
          switch (code) {
            case 0 -> {}
            case 3 -> send('p', cstring(password(ci)));
            case 5 -> {
              byte[] salt = new byte[4];
              r.get(salt);
              send('p', cstring(md5(ci.user(), password(ci), salt)));
            }
            case 10 -> {
              scram = new ScramSha256Client(password(ci));
              byte[] first = scram.clientFirstMessage().getBytes(StandardCharsets.UTF_8);
              ByteArrayOutputStream p = new ByteArrayOutputStream();
              p.writeBytes(cstring("SCRAM-SHA-256"));
              p.writeBytes(ByteBuffer.allocate(4).putInt(first.length).array());
              p.writeBytes(first);
              send('p', p.toByteArray());
            }
            case 11 -> {
              String serverFirst = new String(f.body, 4, f.body.length - 4, StandardCharsets.UTF_8);
              send('p', scram.clientFinalMessage(serverFirst).getBytes(StandardCharsets.UTF_8));
            }
            case 12 ->
                scram.verifyServerFinal(
                    new String(f.body, 4, f.body.length - 4, StandardCharsets.UTF_8));
            default -> throw new BackupFailed("authentication method " + code + " not supported");
          }
        }
        case 'Z' -> {
          return;
        }
        case 'S', 'K', 'N' -> {}
        default -> throw unexpected(f, "authentication");
      }
    }
  }

  private static String password(ConnInfo ci) throws BackupFailed {
    return ci.get("password")
        .filter(p -> !p.isEmpty())
        .or(() -> Optional.ofNullable(System.getenv("PGPASSWORD")))
        .orElseThrow(() -> new BackupFailed("fe_sendauth: no password supplied"));
  }

  private static String md5(String user, String password, byte[] salt) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      String inner =
          HexFormat.of().formatHex(md.digest((password + user).getBytes(StandardCharsets.UTF_8)));
      md.reset();
      md.update(inner.getBytes(StandardCharsets.US_ASCII));
      md.update(salt);
      return "md5" + HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<List<String>> query(String sql) throws IOException, BackupFailed {
    send('Q', cstring(sql));
    List<List<String>> rows = new ArrayList<>();
    while (true) {
      Frame f = next();
      switch (f.type) {
        case 'T', 'C', 'N', 'S' -> {}
        case 'D' -> rows.add(dataRow(f.body));
        case 'Z' -> {
          return rows;
        }
        default -> throw unexpected(f, "query result");
      }
    }
  }

  /** One result set of BASE_BACKUP: its single row, up to CommandComplete. */
  private List<String> readResultSet() throws IOException, BackupFailed {
    List<String> row = null;
    while (true) {
      Frame f = next();
      switch (f.type) {
        case 'T', 'N', 'S' -> {}
        case 'D' -> {
          if (row == null) {
            row = dataRow(f.body);
          }
        }
        case 'C' -> {
          if (row == null) {
            throw new BackupFailed("no data returned from server");
          }
          return row;
        }
        default -> throw unexpected(f, "result set");
      }
    }
  }

  private void expectCommandCompleteAndReady() throws IOException, BackupFailed {
    while (true) {
      Frame f = next();
      switch (f.type) {
        case 'C', 'N', 'S' -> {}
        case 'Z' -> {
          return;
        }
        default -> throw unexpected(f, "end of BASE_BACKUP");
      }
    }
  }

  private static List<String> dataRow(byte[] body) {
    ByteBuffer b = ByteBuffer.wrap(body);
    int n = b.getShort();
    List<String> cols = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = b.getInt();
      if (len < 0) {
        cols.add(null);
      } else {
        cols.add(new String(body, b.position(), len, StandardCharsets.UTF_8));
        b.position(b.position() + len);
      }
    }
    return cols;
  }

  private BackupFailed unexpected(Frame f, String while_) {
    if (f.type == 'E') {
      return new BackupFailed(errorText(f.body));
    }
    return new BackupFailed("unexpected message type \"" + f.type + "\" during " + while_);
  }

  static String errorText(byte[] body) {
    String severity = "ERROR";
    String message = "";
    int i = 0;
    while (i < body.length && body[i] != 0) {
      char code = (char) body[i++];
      int e = i;
      while (body[e] != 0) {
        e++;
      }
      String v = new String(body, i, e - i, StandardCharsets.UTF_8);
      if (code == 'S') {
        severity = v;
      } else if (code == 'M') {
        message = v;
      }
      i = e + 1;
    }
    return severity + ":  " + message;
  }

  private Frame next() throws IOException {
    char type = (char) in.readUnsignedByte();
    int len = in.readInt();
    byte[] body = new byte[len - 4];
    in.readFully(body);
    return new Frame(type, body);
  }

  private void send(char type, byte[] body) throws IOException {
    out.write(type);
    out.write(ByteBuffer.allocate(4).putInt(body.length + 4).array());
    out.write(body);
    out.flush();
  }

  private static byte[] cstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] r = new byte[b.length + 1];
    System.arraycopy(b, 0, r, 0, b.length);
    return r;
  }

  private void close() {
    Socket s = socket;
    if (s != null) {
      try {
        out.write('X');
        out.write(ByteBuffer.allocate(4).putInt(4).array());
        out.flush();
      } catch (IOException e) {
        // closing anyway
      }
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
