package org.walden.replication;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.walden.storage.type.PgTimestamp;
import org.walden.wal.Lsn;

/**
 * A minimal frontend speaking protocol 3.0 over a socket, for walsender tests: a {@code
 * replication=true} startup with trust authentication, simple queries, and the CopyBoth
 * sub-protocol (XLogData, keepalives, status updates). Every read is bounded by a socket timeout so
 * a broken server fails the test instead of hanging it.
 */
final class ReplicationClient implements AutoCloseable {

  record Message(char type, byte[] body) {
    String cstring() {
      return new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
    }
  }

  /** What a simple query returned: columns, rows (null = NULL), tags, and an error if any. */
  record Result(
      List<String> columns,
      List<Integer> types,
      List<List<String>> rows,
      List<String> tags,
      Map<Character, String> error) {}

  /** A decoded CopyData from the server. */
  sealed interface Stream {
    record XLogData(Lsn dataStart, Lsn walEnd, byte[] data) implements Stream {}

    record Keepalive(Lsn walEnd, boolean replyRequested) implements Stream {}
  }

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private ReplicationClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = socket.getOutputStream();
  }

  static ReplicationClient connect(int port, String applicationName) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(20_000);
    s.setTcpNoDelay(true);
    ReplicationClient c = new ReplicationClient(s);
    c.startup(applicationName);
    return c;
  }

  /** Startup; returns the first ErrorResponse's fields if the login failed, else null. */
  private Map<Character, String> startupResult;

  Map<Character, String> loginError() {
    return startupResult;
  }

  private void startup(String applicationName) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {0, 3, 0, 0});
    for (String kv :
        new String[] {
          "user",
          Primary.USER,
          "database",
          "replication",
          "replication",
          "true",
          "application_name",
          applicationName
        }) {
      b.writeBytes(kv.getBytes(StandardCharsets.UTF_8));
      b.write(0);
    }
    b.write(0);
    byte[] body = b.toByteArray();
    out.write(ByteBuffer.allocate(4).putInt(body.length + 4).array());
    out.write(body);
    out.flush();
    while (true) {
      Message m = read();
      if (m.type() == 'E') {
        startupResult = fields(m.body());
        return;
      }
      if (m.type() == 'Z') {
        return;
      }
    }
  }

  Message read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("server closed the connection");
    }
    int len = in.readInt();
    byte[] body = new byte[len - 4];
    in.readFully(body);
    return new Message((char) type, body);
  }

  /** True if the server has closed the connection (reads to EOF, skipping what is left). */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        read();
      }
    } catch (EOFException | java.net.SocketException e) {
      return true;
    }
  }

  void send(char type, byte[] body) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(5 + body.length);
    b.put((byte) type).putInt(4 + body.length).put(body);
    out.write(b.array());
    out.flush();
  }

  void sendQuery(String sql) throws IOException {
    byte[] q = sql.getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[q.length + 1];
    System.arraycopy(q, 0, body, 0, q.length);
    send('Q', body);
  }

  /** Runs a simple query and collects everything up to ReadyForQuery. */
  Result query(String sql) throws IOException {
    sendQuery(sql);
    return collect();
  }

  /** Collects messages up to ReadyForQuery. */
  Result collect() throws IOException {
    List<String> cols = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    Map<Character, String> error = null;
    while (true) {
      Message m = read();
      ByteBuffer b = ByteBuffer.wrap(m.body());
      switch (m.type()) {
        case 'T' -> {
          int n = b.getShort();
          for (int i = 0; i < n; i++) {
            cols.add(cstring(b));
            b.getInt();
            b.getShort();
            types.add(b.getInt());
            b.getShort();
            b.getInt();
            b.getShort();
          }
        }
        case 'D' -> {
          int n = b.getShort();
          List<String> row = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            int len = b.getInt();
            if (len < 0) {
              row.add(null);
            } else {
              byte[] v = new byte[len];
              b.get(v);
              row.add(new String(v, StandardCharsets.UTF_8));
            }
          }
          rows.add(row);
        }
        case 'C' -> tags.add(m.cstring());
        case 'E' -> error = fields(m.body());
        case 'Z' -> {
          return new Result(cols, types, rows, tags, error);
        }
        default -> {}
      }
    }
  }

  /** START_REPLICATION …; expects CopyBothResponse. */
  void startReplication(String command) throws IOException {
    sendQuery(command);
    Message m = read();
    if (m.type() != 'W') {
      throw new AssertionError("expected CopyBothResponse, got " + m.type() + " " + fieldsOf(m));
    }
  }

  private static Object fieldsOf(Message m) {
    return m.type() == 'E' ? fields(m.body()) : "";
  }

  /** The next CopyData of the stream; any other message is returned raw via the exception. */
  Stream readStream() throws IOException {
    Message m = read();
    if (m.type() != 'd') {
      throw new UnexpectedMessage(m);
    }
    return decode(m.body());
  }

  static Stream decode(byte[] d) {
    ByteBuffer b = ByteBuffer.wrap(d);
    byte kind = b.get();
    if (kind == 'w') {
      Lsn start = Lsn.of(b.getLong());
      Lsn end = Lsn.of(b.getLong());
      b.getLong();
      byte[] data = new byte[b.remaining()];
      b.get(data);
      return new Stream.XLogData(start, end, data);
    }
    if (kind == 'k') {
      Lsn end = Lsn.of(b.getLong());
      b.getLong();
      return new Stream.Keepalive(end, b.get() != 0);
    }
    throw new AssertionError("unknown stream message " + (char) kind);
  }

  static final class UnexpectedMessage extends IOException {
    final Message message;

    UnexpectedMessage(Message m) {
      super("unexpected message " + m.type() + " " + fieldsOf(m));
      this.message = m;
    }
  }

  /** StandbyStatusUpdate {@code r}. */
  void statusUpdate(Lsn write, Lsn flush, Lsn apply, boolean replyRequested) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(34);
    b.put((byte) 'r')
        .putLong(write.value())
        .putLong(flush.value())
        .putLong(apply.value())
        .putLong(PgTimestamp.of(java.time.Instant.now()).micros())
        .put((byte) (replyRequested ? 1 : 0));
    send('d', b.array());
  }

  void copyDone() throws IOException {
    send('c', new byte[0]);
  }

  static Map<Character, String> fields(byte[] body) {
    Map<Character, String> f = new HashMap<>();
    ByteBuffer b = ByteBuffer.wrap(body);
    while (b.hasRemaining()) {
      char code = (char) b.get();
      if (code == 0) {
        break;
      }
      f.put(code, cstring(b));
    }
    return f;
  }

  private static String cstring(ByteBuffer b) {
    int start = b.position();
    while (b.get() != 0) {
      // scan
    }
    return new String(b.array(), start, b.position() - start - 1, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
