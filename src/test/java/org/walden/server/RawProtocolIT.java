package org.walden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol rules no driver exercises on purpose, checked message by message with a minimal
 * hand-written frontend: unknown statements and portals, errors skipping to Sync, Describe,
 * PortalSuspended, empty queries, transaction-block warnings and read-only transactions.
 */
class RawProtocolIT {

  @TempDir static Path tmp;
  static TestServer server;

  Socket socket;
  DataOutputStream out;
  DataInputStream in;
  int backendPid;
  int backendSecret;

  record Msg(char type, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** An ErrorResponse/NoticeResponse field, e.g. 'C' for the SQLSTATE. */
    String field(char code) {
      int i = 0;
      while (i < body.length && body[i] != 0) {
        int end = i + 1;
        while (body[end] != 0) {
          end++;
        }
        if (body[i] == code) {
          return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
        }
        i = end + 1;
      }
      return null;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(tmp);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void connect() throws IOException {
    socket = new Socket("127.0.0.1", server.port);
    socket.setSoTimeout(30_000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(196608);
    for (String s : new String[] {"user", TestServer.SUPERUSER, "database", "postgres"}) {
      d.write(s.getBytes(StandardCharsets.UTF_8));
      d.write(0);
    }
    d.write(0);
    out.writeInt(b.size() + 4);
    out.write(b.toByteArray());
    out.flush();
    List<Msg> login = untilReady();
    assertThat(login).extracting(Msg::type).contains('R', 'S', 'K', 'Z');
    Msg key = login.stream().filter(m -> m.type() == 'K').findFirst().orElseThrow();
    java.nio.ByteBuffer kb = java.nio.ByteBuffer.wrap(key.body());
    backendPid = kb.getInt();
    backendSecret = kb.getInt();
  }

  @AfterEach
  void disconnect() throws IOException {
    send('X', new byte[0]);
    socket.close();
  }

  @Test
  void bindUnknownStatement_is26000AndSkipsToSync() throws IOException {
    send('B', concat(cstr(""), cstr("nope"), shorts(0), shorts(0), shorts(0)));
    send('E', concat(cstr(""), ints(0)));
    send('S', new byte[0]);
    List<Msg> r = untilReady();
    assertThat(r).extracting(Msg::type).containsExactly('E', 'Z');
    assertThat(r.get(0).field('C')).isEqualTo("26000");
    assertThat(r.get(1).text()).isEqualTo("I");
  }

  @Test
  void executeUnknownPortal_is34000() throws IOException {
    send('E', concat(cstr("nope"), ints(0)));
    send('S', new byte[0]);
    List<Msg> r = untilReady();
    assertThat(r).extracting(Msg::type).containsExactly('E', 'Z');
    assertThat(r.get(0).field('C')).isEqualTo("34000");
  }

  @Test
  void executeWithMaxRows_suspendsThenCompletes() throws IOException {
    send('P', concat(cstr("s1"), cstr("show all"), shorts(0)));
    send('D', concat(new byte[] {'S'}, cstr("s1")));
    send('B', concat(cstr("p1"), cstr("s1"), shorts(0), shorts(0), shorts(0)));
    send('E', concat(cstr("p1"), ints(3)));
    send('H', new byte[0]);
    List<Msg> first = read(7);
    assertThat(first).extracting(Msg::type).containsExactly('1', 't', 'T', '2', 'D', 'D', 'D');
    assertThat(read(1)).extracting(Msg::type).containsExactly('s');
    send('E', concat(cstr("p1"), ints(0)));
    send('S', new byte[0]);
    List<Msg> rest = untilReady();
    assertThat(rest.get(rest.size() - 2).type()).isEqualTo('C');
    assertThat(rest.get(rest.size() - 2).text()).startsWith("SHOW");
    assertThat(rest.stream().filter(m -> m.type() == 'D').count()).isGreaterThan(10);
  }

  @Test
  void emptyQuery_answersEmptyQueryResponse() throws IOException {
    send('Q', cstr(""));
    assertThat(untilReady()).extracting(Msg::type).containsExactly('I', 'Z');
  }

  @Test
  void transactionBlock_warningsFailedStateAndStatus() throws IOException {
    List<Msg> r = query("begin; begin");
    assertThat(r).extracting(Msg::type).containsExactly('C', 'N', 'C', 'Z');
    assertThat(r.get(1).field('C')).isEqualTo("25001");
    assertThat(r.get(3).text()).isEqualTo("T");
    r = query("show no_such_parameter");
    assertThat(r.get(0).field('C')).isEqualTo("42704");
    assertThat(r.get(r.size() - 1).text()).isEqualTo("E");
    r = query("show application_name");
    assertThat(r.get(0).field('C')).isEqualTo("25P02");
    r = query("commit");
    assertThat(r).extracting(Msg::type).containsExactly('C', 'Z');
    assertThat(r.get(0).text()).isEqualTo("ROLLBACK\0");
    assertThat(r.get(1).text()).isEqualTo("I");
    r = query("rollback");
    assertThat(r).extracting(Msg::type).containsExactly('N', 'C', 'Z');
    assertThat(r.get(0).field('C')).isEqualTo("25P01");
  }

  @Test
  void readOnlyTransaction_refusesWrites() throws IOException {
    query("create table ro (id int primary key)");
    List<Msg> r = query("begin read only; insert into ro values (1)");
    assertThat(r.stream().filter(m -> m.type() == 'E').findFirst().orElseThrow().field('C'))
        .isEqualTo("25006");
    r = query("rollback; show transaction_read_only");
    assertThat(r.stream().filter(m -> m.type() == 'D').findFirst().orElseThrow().text())
        .contains("off");
  }

  @Test
  void setReportedParameter_sendsParameterStatusBeforeCommandComplete() throws IOException {
    List<Msg> r = query("set application_name = 'raw'");
    assertThat(r).extracting(Msg::type).containsExactly('S', 'C', 'Z');
    assertThat(r.get(0).text()).isEqualTo("application_name\0raw\0");
  }

  @Test
  void cancelRequest_stopsARunningQueryWith57014() throws Exception {
    send('Q', cstr("select count(*) from generate_series(1, 2000000000) as g"));
    // a cancel that arrives before the query has started is discarded (as in PostgreSQL), so
    // keep sending them until the query ends
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread canceller =
        Thread.ofVirtual()
            .start(() -> {
              while (!done.get()) {
                try (Socket c = new Socket("127.0.0.1", server.port)) {
                  DataOutputStream d = new DataOutputStream(c.getOutputStream());
                  d.writeInt(16);
                  d.writeInt(80877102);
                  d.writeInt(backendPid);
                  d.writeInt(backendSecret);
                  d.flush();
                  c.getInputStream().read(); // the server closes without a reply
                } catch (IOException e) {
                  return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
              }
            });
    List<Msg> r;
    try {
      r = untilReady();
    } finally {
      done.set(true);
      canceller.join(java.time.Duration.ofSeconds(10));
    }
    // a RowDescription may precede the error, depending on when the executor computes the count
    assertThat(r.get(r.size() - 1).type()).isEqualTo('Z');
    Msg error = r.get(r.size() - 2);
    assertThat(error.type()).isEqualTo('E');
    assertThat(error.field('C')).isEqualTo("57014");
    assertThat(error.field('M')).isEqualTo("canceling statement due to user request");
  }

  // ---- a minimal frontend ----

  private List<Msg> query(String sql) throws IOException {
    send('Q', cstr(sql));
    return untilReady();
  }

  private void send(char type, byte[] body) throws IOException {
    out.write(type);
    out.writeInt(body.length + 4);
    out.write(body);
    if (type == 'S' || type == 'Q' || type == 'H' || type == 'X') {
      out.flush();
    }
  }

  private Msg readOne() throws IOException {
    char type = (char) in.readUnsignedByte();
    byte[] body = new byte[in.readInt() - 4];
    in.readFully(body);
    return new Msg(type, body);
  }

  private List<Msg> read(int n) throws IOException {
    List<Msg> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      r.add(readOne());
    }
    return r;
  }

  private List<Msg> untilReady() throws IOException {
    List<Msg> r = new ArrayList<>();
    while (true) {
      Msg m = readOne();
      r.add(m);
      if (m.type() == 'Z') {
        return r;
      }
    }
  }

  private static byte[] cstr(String s) {
    return concat(s.getBytes(StandardCharsets.UTF_8), new byte[] {0});
  }

  private static byte[] shorts(int... v) {
    byte[] b = new byte[v.length * 2];
    for (int i = 0; i < v.length; i++) {
      b[2 * i] = (byte) (v[i] >> 8);
      b[2 * i + 1] = (byte) v[i];
    }
    return b;
  }

  private static byte[] ints(int... v) {
    byte[] b = new byte[v.length * 4];
    for (int i = 0; i < v.length; i++) {
      b[4 * i] = (byte) (v[i] >> 24);
      b[4 * i + 1] = (byte) (v[i] >> 16);
      b[4 * i + 2] = (byte) (v[i] >> 8);
      b[4 * i + 3] = (byte) v[i];
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }
}
