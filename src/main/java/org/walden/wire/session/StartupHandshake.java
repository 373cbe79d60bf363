package org.walden.wire.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.walden.wire.PgError;
import org.walden.wire.SqlState;
import org.walden.wire.codec.FrameReader;
import org.walden.wire.codec.MessageWriter;
import org.walden.wire.codec.ProtocolViolation;
import org.walden.wire.codec.StartupPacket;
import org.walden.wire.codec.StartupPacket.CancelRequest;
import org.walden.wire.codec.StartupPacket.GssEncRequest;
import org.walden.wire.codec.StartupPacket.SslRequest;
import org.walden.wire.codec.StartupPacket.StartupMessage;

/**
 * The pre-authentication part of a connection (PostgreSQL's {@code ProcessStartupPacket}): answers
 * SSLRequest and GSSENCRequest with {@code N} (Walden has neither TLS nor GSSAPI encryption; the
 * client continues in the clear on the same socket), and returns at the first CancelRequest or
 * StartupMessage.
 *
 * <p>Protocol 3.0 is accepted; 3.x with x > 0, and {@code _pq_.} protocol options, are answered
 * with NegotiateProtocolVersion (3.0, the options not understood) and then carry on as 3.0, as
 * PostgreSQL 15 does. Any other major version is FATAL 0A000 "unsupported frontend protocol".
 *
 * <p>Stateless; runs on the session thread.
 */
final class StartupHandshake {
  private StartupHandshake() {}

  sealed interface Outcome {}

  /** The client sent a CancelRequest: handle it and close without a reply. */
  record Cancel(int processId, int secretKey) implements Outcome {}

  /** The client sent a StartupMessage. */
  record Startup(StartupMessage message) implements Outcome {}

  /** The client closed the connection before a startup packet. */
  record Gone() implements Outcome {}

  static Outcome run(FrameReader reader, MessageWriter writer) throws IOException {
    boolean sslAnswered = false;
    boolean gssAnswered = false;
    while (true) {
      int len = reader.readStartupPacket();
      if (len < 0) {
        return new Gone();
      }
      StartupPacket p = StartupPacket.decode(reader.buffer(), len);
      switch (p) {
        case SslRequest s -> {
          if (sslAnswered) {
            throw new ProtocolViolation("SSLRequest sent twice");
          }
          sslAnswered = true;
          writer.rawByte('N');
          writer.flush();
        }
        case GssEncRequest g -> {
          if (gssAnswered) {
            throw new ProtocolViolation("GSSENCRequest sent twice");
          }
          gssAnswered = true;
          writer.rawByte('N');
          writer.flush();
        }
        case CancelRequest c -> {
          return new Cancel(c.processId(), c.secretKey());
        }
        case StartupMessage m -> {
          checkVersion(m, writer);
          return new Startup(m);
        }
      }
    }
  }

  private static void checkVersion(StartupMessage m, MessageWriter writer) throws IOException {
    if (m.majorVersion() != 3) {
      throw PgError.fatal(
              SqlState.FEATURE_NOT_SUPPORTED,
              "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0"
                  .formatted(m.majorVersion(), m.minorVersion()))
          .toException();
    }
    List<String> unrecognized = new ArrayList<>();
    for (String name : m.parameters().keySet()) {
      if (name.startsWith("_pq_.")) {
        unrecognized.add(name);
      }
    }
    if (m.minorVersion() > 0 || !unrecognized.isEmpty()) {
      writer.negotiateProtocolVersion(0, unrecognized);
    }
  }
}
