package org.walden.wire.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.walden.wire.PgError;

/**
 * Builds backend (server → client) messages into one reusable buffer and writes them to the socket
 * in batches.
 *
 * <p><b>Framing.</b> {@link #begin} writes the type byte and a length placeholder; {@link #end}
 * back-patches the length (which counts itself but not the type). Every named message method is a
 * begin/…/end sequence; the raw field methods let callers (the SQL layer writing DataRows) build
 * messages without allocating.
 *
 * <p><b>Batching.</b> Nothing goes to the socket per message. The buffer is written out when {@link
 * #flush} is called — by the session at ReadyForQuery, on a Flush message, before blocking on COPY
 * input — or, so a large result does not grow the buffer without bound, when a completed message
 * leaves more than the flush threshold buffered.
 *
 * <p>Not thread-safe: owned by the session thread (or whoever holds the session's output lock).
 */
public final class MessageWriter {
  private static final int INITIAL_CAPACITY = 16 * 1024;
  private static final int DEFAULT_FLUSH_THRESHOLD = 64 * 1024;
  private static final int RETAINED_CAPACITY_MAX = 1024 * 1024;

  private final OutputStream out;
  private final int flushThreshold;
  private byte[] buf = new byte[INITIAL_CAPACITY];
  private int pos;
  private int messageStart = -1; // index of the type byte of the open message, -1 if none

  public MessageWriter(OutputStream out) {
    this(out, DEFAULT_FLUSH_THRESHOLD);
  }

  public MessageWriter(OutputStream out, int flushThreshold) {
    this.out = out;
    this.flushThreshold = flushThreshold;
  }

  // ---- raw framing ----

  /** Opens a message of the given type; must be closed by {@link #end}. */
  public MessageWriter begin(char type) {
    if (messageStart >= 0) {
      throw new IllegalStateException(
          "message 0x%02X still open".formatted((int) buf[messageStart]));
    }
    ensure(5);
    messageStart = pos;
    buf[pos++] = (byte) type;
    pos += 4;
    return this;
  }

  /** Closes the open message: back-patches its length; may write the buffer out if it is large. */
  public void end() throws IOException {
    if (messageStart < 0) {
      throw new IllegalStateException("no message open");
    }
    int length = pos - messageStart - 1;
    putInt(messageStart + 1, length);
    messageStart = -1;
    if (pos >= flushThreshold) {
      writeOut();
    }
  }

  public MessageWriter int8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public MessageWriter int16(int v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public MessageWriter int32(int v) {
    ensure(4);
    putInt(pos, v);
    pos += 4;
    return this;
  }

  public MessageWriter int64(long v) {
    int32((int) (v >>> 32));
    return int32((int) v);
  }

  public MessageWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public MessageWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }

  /** A string in UTF-8 plus its NUL terminator. A NUL inside the string is a caller bug. */
  public MessageWriter cstring(String s) {
    utf8(s);
    return int8(0);
  }

  /** A string in UTF-8, no terminator (DataRow column values, COPY data). */
  public MessageWriter utf8(String s) {
    int n = s.length();
    ensure(n);
    int p = pos;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        // rare path: encode the rest properly
        pos = p;
        byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
        checkNoNul(rest);
        return bytes(rest);
      }
      if (c == 0) {
        pos = p;
        throw new IllegalArgumentException("string contains NUL: " + s.replace('\0', '?'));
      }
      buf[p++] = (byte) c;
    }
    pos = p;
    return this;
  }

  private static void checkNoNul(byte[] b) {
    for (byte x : b) {
      if (x == 0) {
        throw new IllegalArgumentException("string contains NUL");
      }
    }
  }

  /** One byte outside any message: the answer to SSLRequest/GSSENCRequest. */
  public void rawByte(char b) throws IOException {
    if (messageStart >= 0) {
      throw new IllegalStateException("message open");
    }
    int8(b);
  }

  /** Writes all buffered complete messages to the socket. */
  public void flush() throws IOException {
    writeOut();
    out.flush();
  }

  /** Bytes buffered and not yet written (for tests and diagnostics). */
  public int buffered() {
    return pos;
  }

  private void writeOut() throws IOException {
    if (messageStart >= 0) {
      throw new IllegalStateException("cannot write out with a message open");
    }
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
    if (buf.length > RETAINED_CAPACITY_MAX) {
      buf = new byte[INITIAL_CAPACITY];
    }
  }

  private void ensure(int n) {
    if (buf.length - pos < n) {
      long want = Math.max((long) buf.length * 2, (long) pos + n);
      if (want > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("backend message too large");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  private void putInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  // ---- authentication and startup ----

  /** AuthenticationOk ({@code R}, code 0). */
  public void authenticationOk() throws IOException {
    begin('R').int32(0).end();
  }

  /** AuthenticationCleartextPassword ({@code R}, code 3). */
  public void authenticationCleartextPassword() throws IOException {
    begin('R').int32(3).end();
  }

  /** AuthenticationMD5Password ({@code R}, code 5, 4-byte salt). */
  public void authenticationMd5Password(byte[] salt) throws IOException {
    begin('R').int32(5).bytes(salt).end();
  }

  /** AuthenticationSASL ({@code R}, code 10): the mechanism names, then an empty name. */
  public void authenticationSasl(List<String> mechanisms) throws IOException {
    begin('R').int32(10);
    for (String m : mechanisms) {
      cstring(m);
    }
    int8(0).end();
  }

  /** AuthenticationSASLContinue ({@code R}, code 11). */
  public void authenticationSaslContinue(byte[] data) throws IOException {
    begin('R').int32(11).bytes(data).end();
  }

  /** AuthenticationSASLFinal ({@code R}, code 12). */
  public void authenticationSaslFinal(byte[] data) throws IOException {
    begin('R').int32(12).bytes(data).end();
  }

  /** NegotiateProtocolVersion ({@code v}): newest minor supported, options not recognized. */
  public void negotiateProtocolVersion(int newestMinor, List<String> unrecognized)
      throws IOException {
    begin('v').int32(newestMinor).int32(unrecognized.size());
    for (String o : unrecognized) {
      cstring(o);
    }
    end();
  }

  /** ParameterStatus ({@code S}). */
  public void parameterStatus(String name, String value) throws IOException {
    begin('S').cstring(name).cstring(value).end();
  }

  /** BackendKeyData ({@code K}). */
  public void backendKeyData(int processId, int secretKey) throws IOException {
    begin('K').int32(processId).int32(secretKey).end();
  }

  /** ReadyForQuery ({@code Z}) with status {@code I}, {@code T} or {@code E}. */
  public void readyForQuery(char status) throws IOException {
    begin('Z').int8(status).end();
  }

  // ---- query results ----

  /** RowDescription ({@code T}). */
  public void rowDescription(List<FieldDescription> fields) throws IOException {
    begin('T').int16(fields.size());
    for (FieldDescription f : fields) {
      cstring(f.name())
          .int32(f.tableOid())
          .int16(f.attributeNumber())
          .int32(f.typeOid())
          .int16(f.typeLength())
          .int32(f.typeModifier())
          .int16(f.format());
    }
    end();
  }

  /**
   * Opens a DataRow ({@code D}) of {@code columns} values; follow with {@link #column}/{@link
   * #nullColumn} per column and {@link #end}.
   */
  public MessageWriter beginDataRow(int columns) {
    return begin('D').int16(columns);
  }

  public MessageWriter column(byte[] value) {
    return int32(value.length).bytes(value);
  }

  /** A text column, UTF-8 encoded straight into the buffer. */
  public MessageWriter column(String value) {
    int lengthAt = pos;
    int32(0);
    utf8(value);
    putInt(lengthAt, pos - lengthAt - 4);
    return this;
  }

  public MessageWriter nullColumn() {
    return int32(-1);
  }

  /** DataRow ({@code D}) of text values ({@code null} = SQL NULL). */
  public void dataRow(List<String> values) throws IOException {
    beginDataRow(values.size());
    for (String v : values) {
      if (v == null) {
        nullColumn();
      } else {
        column(v);
      }
    }
    end();
  }

  /** CommandComplete ({@code C}) with a tag such as {@code SELECT 1}. */
  public void commandComplete(String tag) throws IOException {
    begin('C').cstring(tag).end();
  }

  /** EmptyQueryResponse ({@code I}). */
  public void emptyQueryResponse() throws IOException {
    begin('I').end();
  }

  /** ParseComplete ({@code 1}). */
  public void parseComplete() throws IOException {
    begin('1').end();
  }

  /** BindComplete ({@code 2}). */
  public void bindComplete() throws IOException {
    begin('2').end();
  }

  /** CloseComplete ({@code 3}). */
  public void closeComplete() throws IOException {
    begin('3').end();
  }

  /** NoData ({@code n}). */
  public void noData() throws IOException {
    begin('n').end();
  }

  /** PortalSuspended ({@code s}): Execute's row limit was reached with rows left. */
  public void portalSuspended() throws IOException {
    begin('s').end();
  }

  /** ParameterDescription ({@code t}). */
  public void parameterDescription(int[] typeOids) throws IOException {
    begin('t').int16(typeOids.length);
    for (int oid : typeOids) {
      int32(oid);
    }
    end();
  }

  // ---- errors and notices ----

  /** ErrorResponse ({@code E}) with fields S, V, C, M and, when present, D, H, P. */
  public void errorResponse(PgError e) throws IOException {
    fields('E', e);
  }

  /** NoticeResponse ({@code N}), same fields as ErrorResponse. */
  public void noticeResponse(PgError e) throws IOException {
    fields('N', e);
  }

  private void fields(char type, PgError e) throws IOException {
    begin(type);
    String sev = e.severity().name();
    int8('S').cstring(sev);
    int8('V').cstring(sev);
    int8('C').cstring(e.sqlState());
    int8('M').cstring(safe(e.message()));
    if (e.detail() != null) {
      int8('D').cstring(safe(e.detail()));
    }
    if (e.hint() != null) {
      int8('H').cstring(safe(e.hint()));
    }
    if (e.position() > 0) {
      int8('P').cstring(Integer.toString(e.position()));
    }
    int8(0).end();
  }

  // an error text may quote client input; a NUL there must not break the frame
  private static String safe(String s) {
    return s.indexOf('\0') >= 0 ? s.replace('\0', '?') : s;
  }

  // ---- COPY ----

  /** CopyInResponse ({@code G}). */
  public void copyInResponse(int overallFormat, short[] columnFormats) throws IOException {
    copyResponse('G', overallFormat, columnFormats);
  }

  /** CopyOutResponse ({@code H}). */
  public void copyOutResponse(int overallFormat, short[] columnFormats) throws IOException {
    copyResponse('H', overallFormat, columnFormats);
  }

  /** CopyBothResponse ({@code W}). */
  public void copyBothResponse(int overallFormat, short[] columnFormats) throws IOException {
    copyResponse('W', overallFormat, columnFormats);
  }

  private void copyResponse(char type, int overallFormat, short[] columnFormats)
      throws IOException {
    begin(type).int8(overallFormat).int16(columnFormats.length);
    for (short f : columnFormats) {
      int16(f);
    }
    end();
  }

  /** CopyData ({@code d}). */
  public void copyData(byte[] data, int off, int len) throws IOException {
    begin('d').bytes(data, off, len).end();
  }

  /** CopyDone ({@code c}). */
  public void copyDone() throws IOException {
    begin('c').end();
  }
}
