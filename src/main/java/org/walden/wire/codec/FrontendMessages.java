package org.walden.wire.codec;

import org.walden.wire.codec.FrontendMessage.Bind;
import org.walden.wire.codec.FrontendMessage.Close;
import org.walden.wire.codec.FrontendMessage.CopyData;
import org.walden.wire.codec.FrontendMessage.CopyDone;
import org.walden.wire.codec.FrontendMessage.CopyFail;
import org.walden.wire.codec.FrontendMessage.Describe;
import org.walden.wire.codec.FrontendMessage.Execute;
import org.walden.wire.codec.FrontendMessage.Flush;
import org.walden.wire.codec.FrontendMessage.Parse;
import org.walden.wire.codec.FrontendMessage.PasswordMessage;
import org.walden.wire.codec.FrontendMessage.Query;
import org.walden.wire.codec.FrontendMessage.Sync;
import org.walden.wire.codec.FrontendMessage.Target;
import org.walden.wire.codec.FrontendMessage.Terminate;

/**
 * Decodes one typed frontend message body into a {@link FrontendMessage}. Every field is read
 * through a {@link BodyReader}, and the whole body must be consumed, so any malformed body (short,
 * long, missing NUL, negative count, unknown subtype) ends in {@link ProtocolViolation} and nothing
 * else. Unknown message types are protocol violations too.
 *
 * <p>Stateless and thread-safe.
 */
public final class FrontendMessages {
  private FrontendMessages() {}

  private static final Sync SYNC = new Sync();
  private static final Flush FLUSH = new Flush();
  private static final Terminate TERMINATE = new Terminate();
  private static final CopyDone COPY_DONE = new CopyDone();

  /** Decodes the message last read by {@code reader}. */
  public static FrontendMessage decode(FrameReader reader) {
    return decode(reader.type(), reader.buffer(), reader.bodyLength());
  }

  /** Decodes a body of {@code length} bytes at the start of {@code body}. */
  public static FrontendMessage decode(int type, byte[] body, int length) {
    BodyReader r = new BodyReader(body, 0, length);
    FrontendMessage m =
        switch (type) {
          case 'Q' -> new Query(r.cstring());
          case 'P' -> parse(r);
          case 'B' -> bind(r);
          case 'D' -> new Describe(target(r, "DESCRIBE"), r.cstring());
          case 'E' -> new Execute(r.cstring(), r.int32());
          case 'C' -> new Close(target(r, "CLOSE"), r.cstring());
          case 'S' -> SYNC;
          case 'H' -> FLUSH;
          case 'X' -> TERMINATE;
          case 'd' -> new CopyData(r.rest());
          case 'c' -> COPY_DONE;
          case 'f' -> new CopyFail(r.cstring());
          case 'p' -> new PasswordMessage(r.rest());
          default ->
              throw new ProtocolViolation(
                  "invalid frontend message type %d".formatted(type & 0xFF));
        };
    r.expectEnd();
    return m;
  }

  private static Parse parse(BodyReader r) {
    String name = r.cstring();
    String query = r.cstring();
    int n = r.count16();
    // each type is 4 bytes; check before allocating so a lying count costs nothing
    if (n > r.remaining() / 4) {
      throw new ProtocolViolation("insufficient data left in message");
    }
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      types[i] = r.int32();
    }
    return new Parse(name, query, types);
  }

  private static Bind bind(BodyReader r) {
    String portal = r.cstring();
    String statement = r.cstring();
    short[] formats = shorts(r);
    int nparams = r.count16();
    if (nparams > r.remaining() / 4) {
      throw new ProtocolViolation("insufficient data left in message");
    }
    byte[][] params = new byte[nparams][];
    for (int i = 0; i < nparams; i++) {
      int len = r.int32();
      if (len == -1) {
        params[i] = null;
      } else if (len < 0) {
        throw new ProtocolViolation("invalid argument size " + len + " in Bind message");
      } else {
        params[i] = r.bytes(len);
      }
    }
    short[] resultFormats = shorts(r);
    return new Bind(portal, statement, formats, params, resultFormats);
  }

  private static short[] shorts(BodyReader r) {
    int n = r.count16();
    if (n > r.remaining() / 2) {
      throw new ProtocolViolation("insufficient data left in message");
    }
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.int16();
    }
    return out;
  }

  private static Target target(BodyReader r, String what) {
    int kind = r.int8();
    return switch (kind) {
      case 'S' -> Target.STATEMENT;
      case 'P' -> Target.PORTAL;
      default -> throw new ProtocolViolation("invalid %s message subtype %d".formatted(what, kind));
    };
  }
}
