package org.walden.wire.codec;

import java.util.Arrays;

/**
 * A decoded frontend (client → server) message of the v3 protocol after startup, named as in the
 * protocol documentation. Produced by {@link FrontendMessages#decode}; immutable once built (the
 * arrays inside are fresh copies owned by the record; callers must not modify them).
 *
 * <p>PasswordMessage ({@code p}) is one wire type for cleartext/md5 passwords, SASLInitialResponse
 * and SASLResponse; which one it is depends on the authentication state, so it is decoded as a raw
 * {@link PasswordMessage} and interpreted by the authenticator with its {@code as…} helpers.
 */
public sealed interface FrontendMessage {

  /** The wire type byte. */
  char type();

  /** {@code Q}: one or more {@code ;}-separated statements. */
  record Query(String sql) implements FrontendMessage {
    @Override
    public char type() {
      return 'Q';
    }
  }

  /** {@code P}: prepare {@code query} as {@code statement} ("" = unnamed); OID 0 = unspecified. */
  record Parse(String statement, String query, int[] parameterTypes) implements FrontendMessage {
    @Override
    public char type() {
      return 'P';
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parse p
          && statement.equals(p.statement)
          && query.equals(p.query)
          && Arrays.equals(parameterTypes, p.parameterTypes);
    }

    @Override
    public int hashCode() {
      return statement.hashCode() * 31 + query.hashCode();
    }

    @Override
    public String toString() {
      return "Parse[" + statement + ", " + query + ", " + Arrays.toString(parameterTypes) + "]";
    }
  }

  /**
   * {@code B}: bind {@code statement} into {@code portal}. Format codes are as sent (0 codes = all
   * text, 1 code = applies to all); a {@code null} parameter value is SQL NULL.
   */
  record Bind(
      String portal,
      String statement,
      short[] parameterFormats,
      byte[][] parameters,
      short[] resultFormats)
      implements FrontendMessage {
    @Override
    public char type() {
      return 'B';
    }

    /** The format code (0 text, 1 binary) of parameter {@code i}, applying the protocol's rule. */
    public int parameterFormat(int i) {
      return formatOf(parameterFormats, i);
    }

    /** The format code requested for result column {@code i}. */
    public int resultFormat(int i) {
      return formatOf(resultFormats, i);
    }

    private static int formatOf(short[] codes, int i) {
      return switch (codes.length) {
        case 0 -> 0;
        case 1 -> codes[0];
        default -> i < codes.length ? codes[i] : 0;
      };
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bind b
          && portal.equals(b.portal)
          && statement.equals(b.statement)
          && Arrays.equals(parameterFormats, b.parameterFormats)
          && Arrays.deepEquals(parameters, b.parameters)
          && Arrays.equals(resultFormats, b.resultFormats);
    }

    @Override
    public int hashCode() {
      return portal.hashCode() * 31 + statement.hashCode();
    }

    @Override
    public String toString() {
      return "Bind[" + portal + ", " + statement + ", " + parameters.length + " params]";
    }
  }

  /** What a Describe or Close names: a prepared statement ({@code S}) or a portal ({@code P}). */
  enum Target {
    STATEMENT,
    PORTAL
  }

  /** {@code D}: describe a statement (→ ParameterDescription + RowDescription/NoData) or portal. */
  record Describe(Target target, String name) implements FrontendMessage {
    @Override
    public char type() {
      return 'D';
    }
  }

  /** {@code E}: run {@code portal}; {@code maxRows} 0 = no limit. */
  record Execute(String portal, int maxRows) implements FrontendMessage {
    @Override
    public char type() {
      return 'E';
    }
  }

  /** {@code C}: close a statement or portal (→ CloseComplete, even if it did not exist). */
  record Close(Target target, String name) implements FrontendMessage {
    @Override
    public char type() {
      return 'C';
    }
  }

  /** {@code S}: end of an extended-query batch; resynchronization point after an error. */
  record Sync() implements FrontendMessage {
    @Override
    public char type() {
      return 'S';
    }
  }

  /** {@code H}: send whatever output is buffered. */
  record Flush() implements FrontendMessage {
    @Override
    public char type() {
      return 'H';
    }
  }

  /** {@code X}: the client is leaving. */
  record Terminate() implements FrontendMessage {
    @Override
    public char type() {
      return 'X';
    }
  }

  /** {@code d}: a chunk of COPY data (in COPY FROM STDIN, or CopyBoth). */
  record CopyData(byte[] data) implements FrontendMessage {
    @Override
    public char type() {
      return 'd';
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CopyData c && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "CopyData[" + data.length + " bytes]";
    }
  }

  /** {@code c}: the end of the client's COPY data. */
  record CopyDone() implements FrontendMessage {
    @Override
    public char type() {
      return 'c';
    }
  }

  /** {@code f}: the client aborts COPY FROM STDIN with a reason. */
  record CopyFail(String message) implements FrontendMessage {
    @Override
    public char type() {
      return 'f';
    }
  }

  /**
   * {@code p}: PasswordMessage, SASLInitialResponse or SASLResponse; the raw body, interpreted by
   * the authentication exchange that is waiting for it.
   */
  record PasswordMessage(byte[] body) implements FrontendMessage {
    @Override
    public char type() {
      return 'p';
    }

    /** As a PasswordMessage: the cleartext or {@code md5…} password, NUL-terminated. */
    public String asPassword() {
      BodyReader r = new BodyReader(body, 0, body.length);
      String s = r.cstring();
      r.expectEnd();
      return s;
    }

    /** As a SASLInitialResponse: mechanism name and the client-first message (null if −1). */
    public SaslInitialResponse asSaslInitialResponse() {
      BodyReader r = new BodyReader(body, 0, body.length);
      String mechanism = r.cstring();
      int n = r.int32();
      byte[] data;
      if (n == -1) {
        data = null;
      } else if (n < 0) {
        throw new ProtocolViolation("invalid SASL response length " + n);
      } else {
        data = r.bytes(n);
      }
      r.expectEnd();
      return new SaslInitialResponse(mechanism, data);
    }

    /** As a SASLResponse: the whole body is the mechanism's data. */
    public byte[] asSaslResponse() {
      return body.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PasswordMessage p && Arrays.equals(body, p.body);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      // never print secrets
      return "PasswordMessage[" + body.length + " bytes]";
    }
  }

  /** The interpreted form of a SASLInitialResponse. */
  record SaslInitialResponse(String mechanism, byte[] clientFirst) {}
}
