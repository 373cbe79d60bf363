package org.walden.wire.session;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A hand-driven protocol client for abuse tests: raw bytes out, backend frames in. */
final class RawClient implements AutoCloseable {
  record Msg(char type, byte[] body) {
    /** The fields of an ErrorResponse/NoticeResponse. */
    Map<Character, String> fields() {
      Map<Character, String> out = new HashMap<>();
      int i = 0;
      while (i < body.length && body[i] != 0) {
        char code = (char) body[i++];
        int start = i;
        while (body[i] != 0) {
          i++;
        }
        out.put(code, new String(body, start, i - start, StandardCharsets.UTF_8));
        i++;
      }
      return out;
    }
  }

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  int readByte() throws IOException {
    return in.read();
  }

  Msg read() throws IOException {
    int t = in.read();
    if (t < 0) {
      throw new EOFException("server closed");
    }
    int len = in.readInt();
    byte[] body = new byte[len - 4];
    in.readFully(body);
    return new Msg((char) t, body);
  }

  /** Reads until the server closes; true if it closed (false on timeout). */
  boolean drainsToClose() throws IOException {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // discard
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by peer counts as closed
    }
  }

  static byte[] startup(String... kv) {
    Frame f = new Frame();
    f.int32(0).int32(3 << 16);
    for (String s : kv) {
      f.cstr(s);
    }
    f.int8(0);
    return f.patchLength(0).bytes();
  }

  static byte[] message(char type, byte[] body) {
    Frame f = new Frame();
    f.int8(type).int32(body.length + 4);
    f.raw(body);
    return f.bytes();
  }

  /** Logs in with trust and returns after the first ReadyForQuery. */
  static RawClient loggedIn(int port, String... extra) throws IOException {
    RawClient c = new RawClient(port);
    String[] kv = new String[4 + extra.length];
    kv[0] = "user";
    kv[1] = "alice";
    kv[2] = "database";
    kv[3] = "trustdb";
    System.arraycopy(extra, 0, kv, 4, extra.length);
    c.send(startup(kv));
    while (true) {
      Msg m = c.read();
      if (m.type() == 'E') {
        throw new IOException("login failed: " + m.fields());
      }
      if (m.type() == 'Z') {
        return c;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A tiny big-endian byte builder. */
  static final class Frame {
    private final java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    private byte[] patched;

    Frame int8(int v) {
      b.write(v);
      return this;
    }

    Frame int16(int v) {
      b.write(v >>> 8);
      b.write(v);
      return this;
    }

    Frame int32(int v) {
      b.write(v >>> 24);
      b.write(v >>> 16);
      b.write(v >>> 8);
      b.write(v);
      return this;
    }

    Frame cstr(String s) {
      raw(s.getBytes(StandardCharsets.UTF_8));
      return int8(0);
    }

    Frame raw(byte[] r) {
      b.write(r, 0, r.length);
      return this;
    }

    Frame patchLength(int at) {
      patched = b.toByteArray();
      int len = patched.length - at;
      patched[at] = (byte) (len >>> 24);
      patched[at + 1] = (byte) (len >>> 16);
      patched[at + 2] = (byte) (len >>> 8);
      patched[at + 3] = (byte) len;
      return this;
    }

    byte[] bytes() {
      return patched != null ? patched : b.toByteArray();
    }
  }
}
