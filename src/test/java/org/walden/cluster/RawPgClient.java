package org.walden.cluster;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal PostgreSQL v3 client for tests that must see exactly which messages a server sends
 * (NoticeResponse fields, whether a CommandComplete follows, whether the connection just closes)
 * and that send a real CancelRequest with the BackendKeyData secret. Trust authentication only. One
 * thread per client; {@link #close} closes the socket.
 */
final class RawPgClient implements AutoCloseable {

  /** One backend message: its type and, for notices and errors, the fields by code. */
  record Message(char type, Map<Character, String> fields, String tag) {
    String field(char code) {
      return fields.get(code);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  final int pid;
  final int secret;
  private final int port;

  private RawPgClient(Socket socket, int pid, int secret, int port, DataInputStream in)
      throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.pid = pid;
    this.secret = secret;
    this.port = port;
  }

  static RawPgClient connect(int port, String user, Map<String, String> options)
      throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(120_000);
    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeInt(body, 196608);
    cstr(body, "user");
    cstr(body, user);
    cstr(body, "database");
    cstr(body, "postgres");
    for (Map.Entry<String, String> e : options.entrySet()) {
      cstr(body, e.getKey());
      cstr(body, e.getValue());
    }
    body.write(0);
    OutputStream o = s.getOutputStream();
    byte[] b = body.toByteArray();
    o.write(ByteBuffer.allocate(4).putInt(b.length + 4).array());
    o.write(b);
    o.flush();
    int pid = 0;
    int secret = 0;
    while (true) {
      char t = (char) in.readUnsignedByte();
      byte[] m = new byte[in.readInt() - 4];
      in.readFully(m);
      if (t == 'E') {
        s.close();
        throw new IOException("login failed: " + fields(m));
      }
      if (t == 'K') {
        ByteBuffer bb = ByteBuffer.wrap(m);
        pid = bb.getInt();
        secret = bb.getInt();
      }
      if (t == 'Z') {
        return new RawPgClient(s, pid, secret, port, in);
      }
    }
  }

  /** Sends a simple Query. */
  void send(String sql) throws IOException {
    byte[] q = (sql + "\0").getBytes(StandardCharsets.UTF_8);
    out.write('Q');
    out.write(ByteBuffer.allocate(4).putInt(q.length + 4).array());
    out.write(q);
    out.flush();
  }

  /**
   * Reads messages until ReadyForQuery (included) or the end of the connection (then the last
   * element is a message of type {@code '\0'}).
   */
  List<Message> readUntilReady() throws IOException {
    List<Message> got = new ArrayList<>();
    while (true) {
      int t;
      try {
        t = in.read();
      } catch (IOException e) {
        t = -1;
      }
      if (t < 0) {
        got.add(new Message('\0', Map.of(), null));
        return got;
      }
      byte[] m;
      try {
        m = new byte[in.readInt() - 4];
        in.readFully(m);
      } catch (EOFException e) {
        got.add(new Message('\0', Map.of(), null));
        return got;
      }
      switch (t) {
        case 'N', 'E' -> got.add(new Message((char) t, fields(m), null));
        case 'C' ->
            got.add(
                new Message('C', Map.of(), new String(m, 0, m.length - 1, StandardCharsets.UTF_8)));
        default -> got.add(new Message((char) t, Map.of(), null));
      }
      if (t == 'Z') {
        return got;
      }
    }
  }

  /** Sends a CancelRequest for this backend on a new connection, as libpq's PQcancel does. */
  void cancel() throws IOException {
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
      c.getOutputStream()
          .write(
              ByteBuffer.allocate(16)
                  .putInt(16)
                  .putInt(80877102)
                  .putInt(pid)
                  .putInt(secret)
                  .array());
      c.getOutputStream().flush();
      c.getInputStream().read(); // the server closes it
    }
  }

  private static Map<Character, String> fields(byte[] m) {
    Map<Character, String> f = new HashMap<>();
    int i = 0;
    while (i < m.length && m[i] != 0) {
      char code = (char) m[i++];
      int start = i;
      while (m[i] != 0) {
        i++;
      }
      f.put(code, new String(m, start, i - start, StandardCharsets.UTF_8));
      i++;
    }
    return f;
  }

  private static void cstr(ByteArrayOutputStream b, String s) {
    b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    b.write(0);
  }

  private static void writeInt(ByteArrayOutputStream b, int v) {
    b.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
