package org.walden.replication.receiver;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.replication.receiver.StreamMessage.EndOfStream;
import org.walden.replication.receiver.StreamMessage.EndOfStream.Reason;
import org.walden.replication.receiver.StreamMessage.FromPrimary;
import org.walden.replication.receiver.StreamMessage.ToPrimary;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * The default {@link WalReceiverTransport}: the PostgreSQL frontend/backend protocol v3 over a
 * plain TCP socket, as libpqwalreceiver speaks it through libpq. It is its own small client codec
 * (the {@code replication} package may not use the server's {@code wire} classes).
 *
 * <p>Connection: for each host of the conninfo in turn, a TCP connect bounded by {@code
 * connect_timeout} (which also bounds the whole startup exchange, as in libpq); a StartupMessage
 * with {@code user}, {@code database=replication}, {@code replication=true}, {@code
 * application_name} (default {@code walreceiver}) and {@code options}; then authentication: trust,
 * cleartext, MD5, or SCRAM-SHA-256 (with the server's signature verified). The password is the
 * conninfo's {@code password}, else the password file's entry for host, port, {@code replication}
 * and user.
 *
 * <p>No TLS: {@code sslmode} disable, allow and prefer connect without it (no SSLRequest is sent,
 * which is where prefer ends up against a server without TLS); require, verify-ca and verify-full
 * fail with a clear error, as does {@code channel_binding=require}.
 *
 * <p>Not thread-safe except {@link #disconnect}, which may be called from another thread to break a
 * blocked read.
 */
public final class PgWalReceiverTransport implements WalReceiverTransport {

  private static final Logger log = LoggerFactory.getLogger(PgWalReceiverTransport.class);

  private static final int PROTOCOL_3_0 = 196608;
  private static final int MAX_MESSAGE = 64 << 20;
  private static final String DEFAULT_APPLICATION_NAME = "walreceiver";

  private final long expectedSystemId;

  /** Set by {@link #connect}; closed by {@link #disconnect} (any thread). */
  private volatile Socket socket;

  private InputStream in;
  private OutputStream out;

  /**
   * Keeps each message's bytes together on {@link #out}: {@link #send} may come from recovery's
   * thread while the walreceiver's thread is in {@link #receive} (which writes CopyDone).
   */
  private final Object writeLock = new Object();

  /**
   * Set, under writeLock, once our CopyDone is written: later CopyData would break the protocol.
   */
  private boolean copyDoneSent;

  private final FrameReader frames = new FrameReader();

  /** The last XLogData decoded (start+length), for the message of a framing error. */
  private String lastGood = "none";

  private boolean streaming;
  private boolean ended;

  /**
   * @param expectedSystemId our system identifier; a primary with another is refused
   */
  public PgWalReceiverTransport(long expectedSystemId) {
    this(expectedSystemId, TimelineHistorySink.NONE);
  }

  /**
   * @param histories where the primary's newer timelines' history files go before streaming
   */
  public PgWalReceiverTransport(long expectedSystemId, TimelineHistorySink histories) {
    this.expectedSystemId = expectedSystemId;
    this.histories = histories;
  }

  private final TimelineHistorySink histories;

  @Override
  public PrimaryInfo connect(
      ConnInfo ci, Lsn startPoint, TimelineId timeline, Optional<String> slotName)
      throws IOException {
    String sslmode = ci.sslmode();
    if (sslmode.equals("require") || sslmode.startsWith("verify")) {
      throw new IOException(
          "sslmode value \"" + sslmode + "\" invalid: Walden's walreceiver does not support SSL");
    }
    if (ci.nonEmpty("channel_binding").orElse("prefer").equals("require")) {
      throw new IOException("channel binding required, but SSL not in use");
    }
    int timeoutMs = connectTimeoutMillis(ci);
    List<String> hosts = ci.hosts();
    IOException last = null;
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i).strip();
      int port = ci.port(i);
      String addr = ci.nonEmpty("hostaddr").filter(a -> hosts.size() == 1).orElse(host);
      if (addr.startsWith("/")) {
        last = new IOException("Unix-domain socket connections are not supported: " + addr);
        continue;
      }
      try {
        openAndStart(ci, host, addr, port, timeoutMs);
      } catch (PrimaryErrorException | AuthenticationFailedException e) {
        disconnect();
        throw e;
      } catch (IOException e) {
        disconnect();
        last =
            new IOException(
                "connection to server at \""
                    + addr
                    + "\", port "
                    + port
                    + " failed: "
                    + e.getMessage(),
                e);
        if (!(e instanceof java.net.ConnectException || e instanceof SocketTimeoutException)) {
          throw last;
        }
        continue;
      }
      try {
        PrimaryInfo info = identifySystem(host, port);
        fetchTimelineHistories(timeline, info.timeline());
        startReplication(startPoint, timeline, slotName);
        return info;
      } catch (IOException | RuntimeException e) {
        disconnect();
        throw e;
      }
    }
    throw last;
  }

  /** libpq: seconds; zero, negative or absent = wait forever; 1 counts as 2. */
  static int connectTimeoutMillis(ConnInfo ci) {
    int s = ci.nonEmpty("connect_timeout").map(String::strip).map(Integer::parseInt).orElse(0);
    if (s <= 0) {
      return 0;
    }
    return Math.max(s, 2) * 1000;
  }

  private void openAndStart(ConnInfo ci, String host, String addr, int port, int timeoutMs)
      throws IOException {
    Socket s = new Socket();
    socket = s;
    s.connect(new InetSocketAddress(addr, port), timeoutMs);
    s.setTcpNoDelay(true);
    s.setKeepAlive(true);
    s.setSoTimeout(timeoutMs);
    in = new TimeoutSafeInputStream(s.getInputStream(), 64 * 1024);
    out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    String user = ci.user();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", user);
    params.put("database", "replication");
    params.put("replication", "true");
    params.put(
        "application_name",
        ci.nonEmpty("application_name")
            .or(() -> ci.nonEmpty("fallback_application_name"))
            .orElse(DEFAULT_APPLICATION_NAME));
    ci.nonEmpty("options").ifPresent(o -> params.put("options", o));
    sendStartup(params);
    authenticate(ci, host, port, user);
  }

  private void sendStartup(Map<String, String> params) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : params.entrySet()) {
      cstring(body, e.getKey());
      cstring(body, e.getValue());
    }
    body.write(0);
    byte[] b = body.toByteArray();
    ByteBuffer head = ByteBuffer.allocate(8).putInt(8 + b.length).putInt(PROTOCOL_3_0);
    out.write(head.array());
    out.write(b);
    out.flush();
  }

  private void authenticate(ConnInfo ci, String host, int port, String user) throws IOException {
    ScramSha256Client scram = null;
    boolean scramDone = false;
    while (true) {
      Frame f = readFrameBlocking();
      switch (f.type) {
        case 'R' -> {
          ByteBuffer b = ByteBuffer.wrap(f.body);
          int code = b.getInt();
          switch (code) {
            case 0 -> {
              if (scram != null && !scramDone) {
                throw new AuthenticationFailedException(
                    "server sent AuthenticationOk before SCRAM exchange was complete");
              }
            }
            case 3 -> sendPassword(password(ci, host, port, user).getBytes(StandardCharsets.UTF_8));
            case 5 -> {
              byte[] salt = new byte[4];
              b.get(salt);
              sendPassword(md5Password(user, password(ci, host, port, user), salt));
            }
            case 10 -> {
              List<String> mechs = new ArrayList<>();
              String m;
              while (!(m = readCString(b)).isEmpty()) {
                mechs.add(m);
              }
              if (!mechs.contains(ScramSha256Client.MECHANISM)) {
                throw new AuthenticationFailedException(
                    "none of the server's SASL authentication mechanisms are supported: " + mechs);
              }
              scram = new ScramSha256Client(password(ci, host, port, user));
              byte[] first = scram.clientFirstMessage().getBytes(StandardCharsets.UTF_8);
              ByteArrayOutputStream p = new ByteArrayOutputStream();
              cstring(p, ScramSha256Client.MECHANISM);
              p.write(ByteBuffer.allocate(4).putInt(first.length).array());
              p.write(first);
              writeMessage('p', p.toByteArray());
            }
            case 11 -> {
              if (scram == null) {
                throw new ProtocolViolationException("SASLContinue without SASL");
              }
              String serverFirst = rest(b);
              writeMessage(
                  'p', scram.clientFinalMessage(serverFirst).getBytes(StandardCharsets.UTF_8));
            }
            case 12 -> {
              if (scram == null) {
                throw new ProtocolViolationException("SASLFinal without SASL");
              }
              scram.verifyServerFinal(rest(b));
              scramDone = true;
            }
            default ->
                throw new AuthenticationFailedException(
                    "authentication method " + code + " not supported");
          }
        }
        case 'E' -> throw PrimaryErrorException.fromFields(errorFields(f.body));
        case 'N' -> logNotice(f.body);
        case 'S', 'K' -> {
          // ParameterStatus, BackendKeyData: nothing the walreceiver needs
        }
        case 'Z' -> {
          return;
        }
        default ->
            throw new ProtocolViolationException(
                "unexpected message type \"" + f.type + "\" during startup");
      }
    }
  }

  private static String password(ConnInfo ci, String host, int port, String user)
      throws IOException {
    Optional<String> pw = ci.get("password").filter(p -> !p.isEmpty());
    if (pw.isPresent()) {
      return pw.get();
    }
    return PgPassFile.lookup(PgPassFile.locate(ci), host, port, "replication", user)
        .orElseThrow(() -> new AuthenticationFailedException("fe_sendauth: no password supplied"));
  }

  static byte[] md5Password(String user, String password, byte[] salt) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      String inner =
          HexFormat.of().formatHex(md.digest((password + user).getBytes(StandardCharsets.UTF_8)));
      md.reset();
      md.update(inner.getBytes(StandardCharsets.US_ASCII));
      md.update(salt);
      return ("md5" + HexFormat.of().formatHex(md.digest())).getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }

  private void sendPassword(byte[] pw) throws IOException {
    byte[] body = new byte[pw.length + 1];
    System.arraycopy(pw, 0, body, 0, pw.length);
    writeMessage('p', body);
  }

  /** IDENTIFY_SYSTEM, with PostgreSQL's checks of the answer. */
  private PrimaryInfo identifySystem(String host, int port) throws IOException {
    List<List<String>> rows = simpleQuery("IDENTIFY_SYSTEM");
    if (rows.size() != 1 || rows.get(0).size() < 3) {
      throw new IOException(
          "invalid response from primary server\nDETAIL:  Could not identify system: got "
              + rows.size()
              + " rows and "
              + (rows.isEmpty() ? 0 : rows.get(0).size())
              + " fields, expected 1 rows and 3 or more fields.");
    }
    List<String> row = rows.get(0);
    long systemId = Long.parseUnsignedLong(row.get(0));
    if (systemId != expectedSystemId) {
      throw new IOException(
          "database system identifier differs between the primary and standby\nDETAIL:  The"
              + " primary's identifier is "
              + Long.toUnsignedString(systemId)
              + ", the standby's identifier is "
              + Long.toUnsignedString(expectedSystemId)
              + ".");
    }
    TimelineId tli = new TimelineId(Integer.parseInt(row.get(1)));
    return new PrimaryInfo(systemId, tli, Lsn.parse(row.get(2)), host, port);
  }

  private void startReplication(Lsn startPoint, TimelineId timeline, Optional<String> slotName)
      throws IOException {
    StringBuilder cmd = new StringBuilder("START_REPLICATION ");
    slotName.ifPresent(s -> cmd.append("SLOT \"").append(s.replace("\"", "\"\"")).append("\" "));
    cmd.append(startPoint).append(" TIMELINE ").append(timeline);
    writeMessage('Q', cstringBytes(cmd.toString()));
    PrimaryErrorException error = null;
    while (true) {
      Frame f = readFrameBlocking();
      switch (f.type) {
        case 'W' -> {
          streaming = true;
          socket.setSoTimeout(0);
          return;
        }
        case 'E' -> error = PrimaryErrorException.fromFields(errorFields(f.body));
        case 'N' -> logNotice(f.body);
        case 'Z' -> {
          if (error != null) {
            throw error;
          }
          throw new IOException("primary did not start streaming in answer to " + cmd);
        }
        default -> {
          // results of an end-of-timeline answer (next_tli) when starting at a switch point
        }
      }
    }
  }

  /**
   * {@code TIMELINE_HISTORY n} for each timeline after ours up to the primary's that we lack
   * (PostgreSQL's {@code WalRcvFetchTimeLineHistoryFiles}; timeline 1 has no file).
   */
  private void fetchTimelineHistories(TimelineId ours, TimelineId primary) throws IOException {
    for (TimelineId t = ours.next(); t.compareTo(primary) <= 0; t = t.next()) {
      if (histories.has(t)) {
        continue;
      }
      List<List<String>> rows = simpleQuery("TIMELINE_HISTORY " + t);
      if (rows.size() != 1 || rows.get(0).size() != 2 || rows.get(0).get(1) == null) {
        throw new IOException(
            "invalid response from primary server\nDETAIL:  Expected 1 tuple with 2 fields, got "
                + rows.size()
                + " tuples.");
      }
      log.info("fetching timeline history file for timeline {} from primary server", t);
      histories.store(t, rows.get(0).get(1).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A simple query; the rows as text (null for NULL); an ErrorResponse is thrown. */
  private List<List<String>> simpleQuery(String sql) throws IOException {
    writeMessage('Q', cstringBytes(sql));
    List<List<String>> rows = new ArrayList<>();
    PrimaryErrorException error = null;
    while (true) {
      Frame f = readFrameBlocking();
      switch (f.type) {
        case 'D' -> rows.add(dataRow(f.body));
        case 'E' -> error = PrimaryErrorException.fromFields(errorFields(f.body));
        case 'N' -> logNotice(f.body);
        case 'Z' -> {
          if (error != null) {
            throw error;
          }
          return rows;
        }
        default -> {
          // 'T' RowDescription, 'C' CommandComplete, 'S' ParameterStatus
        }
      }
    }
  }

  private static List<String> dataRow(byte[] body) {
    ByteBuffer b = ByteBuffer.wrap(body);
    int n = b.getShort();
    List<String> row = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = b.getInt();
      if (len < 0) {
        row.add(null);
      } else {
        row.add(new String(body, b.position(), len, StandardCharsets.UTF_8));
        b.position(b.position() + len);
      }
    }
    return row;
  }

  @Override
  public Optional<FromPrimary> receive(Duration timeout) {
    if (ended) {
      throw new IllegalStateException("receive after end of stream");
    }
    if (!streaming) {
      throw new IllegalStateException("receive before connect");
    }
    try {
      Socket s = socket;
      if (s == null) {
        return Optional.of(end(EndOfStream.of(Reason.CONNECTION_LOST, "connection closed")));
      }
      s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      while (true) {
        Frame f = frames.poll(in);
        if (f == null) {
          return Optional.empty();
        }
        switch (f.type) {
          case 'd' -> {
            try {
              FromPrimary m = StreamCodec.decodeFromPrimary(f.body);
              if (m instanceof StreamMessage.XLogData w) {
                lastGood = w.dataStart() + "+" + w.data().length;
              }
              return Optional.of(m);
            } catch (ProtocolViolationException e) {
              throw new ProtocolViolationException(
                  e.getMessage() + "; the last XLogData before it was " + lastGood);
            }
          }
          case 'c' -> {
            return Optional.of(end(endOfCopy()));
          }
          case 'C' -> {
            String tag = readCString(ByteBuffer.wrap(f.body));
            return Optional.of(end(EndOfStream.of(Reason.COMMAND_COMPLETE, tag)));
          }
          case 'E' -> {
            PrimaryErrorException e = PrimaryErrorException.fromFields(errorFields(f.body));
            return Optional.of(end(EndOfStream.of(Reason.ERROR, e.getMessage())));
          }
          case 'N' -> logNotice(f.body);
          case 'S' -> {
            // ParameterStatus may arrive at any time
          }
          default ->
              throw new ProtocolViolationException(
                  "unexpected message type \"" + f.type + "\" in the replication stream");
        }
      }
    } catch (ProtocolViolationException e) {
      return Optional.of(end(EndOfStream.of(Reason.ERROR, e.getMessage())));
    } catch (EOFException e) {
      return Optional.of(
          end(
              EndOfStream.of(
                  Reason.CONNECTION_LOST,
                  "server closed the connection unexpectedly\n\tThis probably means the server"
                      + " terminated abnormally\n\tbefore or while processing the request.")));
    } catch (IOException e) {
      return Optional.of(
          end(EndOfStream.of(Reason.CONNECTION_LOST, String.valueOf(e.getMessage()))));
    }
  }

  /**
   * The primary ended COPY (end of its timeline): answer with CopyDone, as {@code
   * walrcv_endstreaming} does, and read the next-timeline result and the command tags up to
   * ReadyForQuery.
   */
  private EndOfStream endOfCopy() throws IOException {
    synchronized (writeLock) {
      copyDoneSent = true;
      writeMessage('c', new byte[0]);
    }
    socket.setSoTimeout(30_000);
    Optional<TimelineId> next = Optional.empty();
    String detail = "primary ended the stream";
    while (true) {
      Frame f = readFrameBlocking();
      switch (f.type) {
        case 'D' -> {
          List<String> row = dataRow(f.body);
          if (!row.isEmpty() && row.get(0) != null) {
            next = Optional.of(new TimelineId(Integer.parseInt(row.get(0))));
            detail =
                "next timeline " + row.get(0) + (row.size() > 1 ? " starts at " + row.get(1) : "");
          }
        }
        case 'E' -> {
          detail = PrimaryErrorException.fromFields(errorFields(f.body)).getMessage();
        }
        case 'Z' -> {
          if (next.isPresent()) {
            // as PostgreSQL's walreceiver after walrcv_endstreaming: fetch the next timeline's
            // history on this connection, so recovery can follow it at once
            try {
              fetchTimelineHistories(
                  next.get().value() > 1 ? new TimelineId(next.get().value() - 1) : next.get(),
                  next.get());
            } catch (IOException e) {
              detail += "; could not fetch its history: " + e.getMessage();
            }
          }
          return new EndOfStream(Reason.COPY_DONE, detail, next);
        }
        default -> {
          // 'T', 'C', 'N', 'S', 'd' after our CopyDone
        }
      }
    }
  }

  private EndOfStream end(EndOfStream e) {
    ended = true;
    return e;
  }

  @Override
  public void send(ToPrimary message) throws IOException {
    if (socket == null) {
      throw new IOException("not connected");
    }
    byte[] body = StreamCodec.encode(message);
    synchronized (writeLock) {
      if (!copyDoneSent) {
        writeMessage('d', body);
      }
    }
  }

  @Override
  public void disconnect() {
    Socket s = socket;
    socket = null;
    if (s == null) {
      return;
    }
    try {
      if (!s.isClosed() && out != null) {
        s.setSoTimeout(1);
        out.write(new byte[] {'X', 0, 0, 0, 4});
        out.flush();
      }
    } catch (IOException | RuntimeException ignored) {
      // closing anyway
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }

  private void writeMessage(char type, byte[] body) throws IOException {
    OutputStream o = out;
    o.write(type);
    o.write(ByteBuffer.allocate(4).putInt(body.length + 4).array());
    o.write(body);
    o.flush();
  }

  private Frame readFrameBlocking() throws IOException {
    Frame f = frames.poll(in);
    if (f == null) {
      throw new SocketTimeoutException("timeout expired");
    }
    return f;
  }

  private static Map<Character, String> errorFields(byte[] body) {
    Map<Character, String> m = new LinkedHashMap<>();
    ByteBuffer b = ByteBuffer.wrap(body);
    while (b.hasRemaining()) {
      byte code = b.get();
      if (code == 0) {
        break;
      }
      m.put((char) code, readCString(b));
    }
    return m;
  }

  private static void logNotice(byte[] body) {
    Map<Character, String> m = errorFields(body);
    log.info("primary: {}: {}", m.getOrDefault('V', "NOTICE"), m.getOrDefault('M', ""));
  }

  private static String readCString(ByteBuffer b) {
    int start = b.position();
    while (b.hasRemaining() && b.get() != 0) {
      // scan to NUL
    }
    int end = b.position() - 1;
    if (end < start) {
      return "";
    }
    return new String(b.array(), start, end - start, StandardCharsets.UTF_8);
  }

  private static String rest(ByteBuffer b) {
    return new String(b.array(), b.position(), b.remaining(), StandardCharsets.UTF_8);
  }

  private static void cstring(ByteArrayOutputStream o, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    o.write(b, 0, b.length);
    o.write(0);
  }

  private static byte[] cstringBytes(String s) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    cstring(o, s);
    return o.toByteArray();
  }

  /** One backend message: type and body. */
  private record Frame(char type, byte[] body) {}

  /**
   * Reads backend messages across read timeouts: a timeout mid-message keeps what was read, so the
   * next poll continues the same message (the stream never loses its framing).
   */
  private static final class FrameReader {
    private final byte[] header = new byte[5];
    private int headerFilled;
    private byte[] body;
    private int bodyFilled;

    /** The next message, or null if the read timed out first. */
    Frame poll(InputStream in) throws IOException {
      try {
        while (headerFilled < 5) {
          int n = in.read(header, headerFilled, 5 - headerFilled);
          if (n < 0) {
            throw new EOFException("end of stream");
          }
          headerFilled += n;
        }
        if (body == null) {
          int len = ByteBuffer.wrap(header, 1, 4).getInt();
          if (len < 4 || len > MAX_MESSAGE) {
            throw new ProtocolViolationException("invalid message length " + len);
          }
          body = new byte[len - 4];
          bodyFilled = 0;
        }
        while (bodyFilled < body.length) {
          int n = in.read(body, bodyFilled, body.length - bodyFilled);
          if (n < 0) {
            throw new EOFException("end of stream");
          }
          bodyFilled += n;
        }
      } catch (SocketTimeoutException e) {
        return null;
      }
      Frame f = new Frame((char) header[0], body);
      headerFilled = 0;
      body = null;
      return f;
    }
  }
}
