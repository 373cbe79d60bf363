package org.walden.wire.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first packet of a connection, which has no type byte: its Int32 code after the length says
 * what it is. Decoded by {@link #decode}; a malformed packet is a {@link ProtocolViolation}.
 */
public sealed interface StartupPacket {

  /** PostgreSQL's {@code NEGOTIATE_SSL_CODE} (1234.5679). */
  int SSL_REQUEST_CODE = 80877103;

  /** PostgreSQL's {@code NEGOTIATE_GSS_CODE} (1234.5680). */
  int GSSENC_REQUEST_CODE = 80877104;

  /** PostgreSQL's {@code CANCEL_REQUEST_CODE} (1234.5678). */
  int CANCEL_REQUEST_CODE = 80877102;

  /** Protocol 3.0 as an Int32 (major in the high 16 bits). */
  int PROTOCOL_3_0 = 3 << 16;

  /** SSLRequest: the server answers one byte, {@code S} or {@code N}. */
  record SslRequest() implements StartupPacket {}

  /** GSSENCRequest: the server answers one byte, {@code G} or {@code N}. */
  record GssEncRequest() implements StartupPacket {}

  /** CancelRequest: cancel the query running in the backend with this pid and secret key. */
  record CancelRequest(int processId, int secretKey) implements StartupPacket {}

  /**
   * StartupMessage: the protocol version asked for and the {@code name=value} parameters in the
   * order sent (unmodifiable). The version is checked by the session, not here.
   */
  record StartupMessage(int majorVersion, int minorVersion, Map<String, String> parameters)
      implements StartupPacket {}

  /** Decodes the body of a startup packet (the bytes after the Int32 length). */
  static StartupPacket decode(byte[] body, int length) {
    BodyReader r = new BodyReader(body, 0, length);
    int code = r.int32();
    StartupPacket p;
    switch (code) {
      case SSL_REQUEST_CODE -> p = new SslRequest();
      case GSSENC_REQUEST_CODE -> p = new GssEncRequest();
      case CANCEL_REQUEST_CODE -> p = new CancelRequest(r.int32(), r.int32());
      default -> {
        if ((code >>> 16) != 3) {
          // another protocol's layout; the session refuses the version, so don't parse it
          return new StartupMessage(code >>> 16, code & 0xFFFF, Map.of());
        }
        Map<String, String> params = new LinkedHashMap<>();
        // PostgreSQL 3.x: name\0value\0 pairs, then a final \0
        while (true) {
          String name = r.cstring();
          if (name.isEmpty()) {
            break;
          }
          if (r.remaining() == 0) {
            throw new ProtocolViolation(
                "invalid startup packet layout: expected terminator as last byte");
          }
          String value = r.cstring();
          params.put(name, value);
        }
        p = new StartupMessage(code >>> 16, code & 0xFFFF, Collections.unmodifiableMap(params));
      }
    }
    r.expectEnd();
    return p;
  }
}
