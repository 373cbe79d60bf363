package org.walden.replication.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.walden.replication.receiver.StreamMessage.EndOfStream;
import org.walden.replication.receiver.StreamMessage.FromPrimary;
import org.walden.replication.receiver.StreamMessage.XLogData;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * The transport against a hand-played primary on a real socket: framing across read timeouts and
 * the end-of-timeline exchange (server CopyDone, our CopyDone, the next-timeline result).
 */
class PgWalReceiverTransportTest {

  private final ServerSocket server;
  private Socket conn;
  private DataInputStream in;
  private DataOutputStream out;
  private final PgWalReceiverTransport transport = new PgWalReceiverTransport(7L);

  PgWalReceiverTransportTest() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    transport.disconnect();
    if (conn != null) {
      conn.close();
    }
    server.close();
  }

  private void send(char type, byte[] body) throws IOException {
    out.write(type);
    out.writeInt(body.length + 4);
    out.write(body);
    out.flush();
  }

  /** Reads one frontend message; returns its type and body. */
  private Object[] read() throws IOException {
    char type = (char) in.readUnsignedByte();
    byte[] body = new byte[in.readInt() - 4];
    in.readFully(body);
    return new Object[] {type, body};
  }

  private static byte[] cstr(String... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String p : parts) {
      b.writeBytes(p.getBytes(StandardCharsets.UTF_8));
      b.write(0);
    }
    return b.toByteArray();
  }

  private static byte[] dataRow(String... cols) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0);
    b.write(cols.length);
    for (String c : cols) {
      byte[] v = c.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
      b.writeBytes(v);
    }
    return b.toByteArray();
  }

  /** Plays the primary up to CopyBothResponse; returns the START_REPLICATION command. */
  private String handshake() throws Exception {
    conn = server.accept();
    in = new DataInputStream(conn.getInputStream());
    out = new DataOutputStream(conn.getOutputStream());
    byte[] startup = new byte[in.readInt() - 4];
    in.readFully(startup);
    String params = new String(startup, 4, startup.length - 4, StandardCharsets.UTF_8);
    assertThat(params).contains("replication\0true\0").contains("application_name\0walreceiver\0");
    send('R', new byte[] {0, 0, 0, 0});
    send('Z', new byte[] {'I'});
    Object[] q = read();
    assertThat(new String((byte[]) q[1], StandardCharsets.UTF_8)).isEqualTo("IDENTIFY_SYSTEM\0");
    send('T', new byte[] {0, 4}); // field descriptions are not read
    send('D', dataRow("7", "2", "0/5000000"));
    send('C', cstr("IDENTIFY_SYSTEM"));
    send('Z', new byte[] {'I'});
    Object[] start = read();
    send('W', new byte[] {0, 0, 0});
    return new String((byte[]) start[1], StandardCharsets.UTF_8);
  }

  @Test
  void framingSurvivesTimeouts_andEndOfTimelineIsReported() throws Exception {
    CompletableFuture<String> primary =
        CompletableFuture.supplyAsync(() -> {
          try {
            return handshake();
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    WalReceiverTransport.PrimaryInfo info =
        transport.connect(
            ConnInfo.parse("host=127.0.0.1 port=" + server.getLocalPort()),
            Lsn.parse("0/1000000"),
            TimelineId.FIRST,
            Optional.of("s1"));
    assertThat(primary.get(10, TimeUnit.SECONDS))
        .isEqualTo("START_REPLICATION SLOT \"s1\" 0/1000000 TIMELINE 1\0");
    assertThat(info.timeline()).isEqualTo(new TimelineId(2));
    assertThat(info.xlogpos()).isEqualTo(Lsn.parse("0/5000000"));

    // Nothing sent yet: the timeout passes with no message.
    assertThat(transport.receive(Duration.ofMillis(20))).isEmpty();

    // Half a message, then a timeout, then the rest: one whole message, framing intact.
    byte[] payload =
        StreamCodec.encode(
            new XLogData(
                Lsn.parse("0/1000000"), Lsn.parse("0/1000004"), 0, new byte[] {9, 8, 7, 6}));
    ByteBuffer frame = ByteBuffer.allocate(5 + payload.length);
    frame.put((byte) 'd').putInt(payload.length + 4).put(payload);
    out.write(frame.array(), 0, 12);
    out.flush();
    assertThat(transport.receive(Duration.ofMillis(50))).isEmpty();
    out.write(frame.array(), 12, frame.capacity() - 12);
    out.flush();
    FromPrimary m = transport.receive(Duration.ofSeconds(10)).orElseThrow();
    assertThat(m).isInstanceOf(XLogData.class);
    assertThat(((XLogData) m).data()).containsExactly(9, 8, 7, 6);

    // End of the timeline: CopyDone; we answer CopyDone; the primary names the next timeline.
    send('c', new byte[0]);
    CompletableFuture<Character> ourCopyDone =
        CompletableFuture.supplyAsync(() -> {
          try {
            char t = (char) read()[0];
            send('T', new byte[] {0, 2});
            send('D', dataRow("2", "0/1000004"));
            send('C', cstr("START_STREAMING"));
            send('C', cstr("START_REPLICATION"));
            send('Z', new byte[] {'I'});
            return t;
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
    FromPrimary end = transport.receive(Duration.ofSeconds(10)).orElseThrow();
    assertThat(ourCopyDone.get(10, TimeUnit.SECONDS)).isEqualTo('c');
    assertThat(end).isInstanceOf(EndOfStream.class);
    EndOfStream e = (EndOfStream) end;
    assertThat(e.reason()).isEqualTo(EndOfStream.Reason.COPY_DONE);
    assertThat(e.nextTimeline()).contains(new TimelineId(2));
    assertThat(e.detail()).isEqualTo("next timeline 2 starts at 0/1000004");
  }

  @Test
  void connectionDroppedMidStream_isConnectionLost() throws Exception {
    CompletableFuture<String> primary =
        CompletableFuture.supplyAsync(() -> {
          try {
            return handshake();
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    transport.connect(
        ConnInfo.parse("host=127.0.0.1 port=" + server.getLocalPort()),
        Lsn.parse("0/1000000"),
        TimelineId.FIRST,
        Optional.empty());
    primary.get(10, TimeUnit.SECONDS);
    conn.close();
    FromPrimary end = transport.receive(Duration.ofSeconds(10)).orElseThrow();
    assertThat(end).isInstanceOf(EndOfStream.class);
    assertThat(((EndOfStream) end).reason()).isEqualTo(EndOfStream.Reason.CONNECTION_LOST);
    assertThat(((EndOfStream) end).detail())
        .startsWith("server closed the connection unexpectedly");
  }

  @Test
  void connectTimeout_boundsASilentServer() throws Exception {
    // The server accepts (the backlog does) but never answers the startup packet.
    long t0 = System.nanoTime();
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            transport.connect(
                ConnInfo.parse("host=127.0.0.1 connect_timeout=2 port=" + server.getLocalPort()),
                Lsn.INVALID,
                TimelineId.FIRST,
                Optional.empty()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("timeout expired");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void hostList_fallsThroughToTheNextHostWhenRefused() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    CompletableFuture<String> primary =
        CompletableFuture.supplyAsync(() -> {
          try {
            return handshake();
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    WalReceiverTransport.PrimaryInfo info =
        transport.connect(
            ConnInfo.parse(
                "host=127.0.0.1,127.0.0.1 port=" + closedPort + "," + server.getLocalPort()),
            Lsn.INVALID,
            TimelineId.FIRST,
            Optional.empty());
    primary.get(10, TimeUnit.SECONDS);
    assertThat(info.senderPort()).isEqualTo(server.getLocalPort());
  }
}
