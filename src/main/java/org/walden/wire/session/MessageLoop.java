package org.walden.wire.session;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.Severity;
import org.walden.wire.SqlState;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;
import org.walden.wire.codec.FrameReader;
import org.walden.wire.codec.FrontendMessage;
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
import org.walden.wire.codec.FrontendMessage.Terminate;
import org.walden.wire.codec.FrontendMessages;
import org.walden.wire.codec.MessageWriter;
import org.walden.wire.codec.ProtocolViolation;

/**
 * The authenticated session's command loop (PostgreSQL's {@code PostgresMain} loop): reads one
 * frontend message at a time and hands it to the session's handler.
 *
 * <p><b>Protocol rules implemented here.</b>
 *
 * <ul>
 *   <li>Simple Query: handler, then ReadyForQuery and a flush (even between extended messages).
 *   <li>Extended protocol: output is only buffered (no flush) until Sync or Flush. After an ERROR
 *       in Parse/Bind/Describe/Execute/Close, every message up to the next Sync is skipped (a Query
 *       too, as in PostgreSQL); Sync then answers ReadyForQuery.
 *   <li>CopyData/CopyDone/CopyFail outside COPY are ignored: they are the tail of a COPY that
 *       failed while the client was still sending.
 *   <li>Replication connections take only Query (and Sync/Terminate); other extended messages are
 *       ERROR 08P01 "extended query protocol not supported in a replication connection".
 *   <li>A message that cannot occur here (PasswordMessage, unknown type, malformed body) is FATAL
 *       08P01 and ends the session.
 * </ul>
 *
 * <p>The cancel flag is cleared before each command so a cancel only hits the command running when
 * it arrives. Session thread only.
 */
final class MessageLoop {
  private static final Logger log = LoggerFactory.getLogger(MessageLoop.class);

  /** Exactly one of the two handlers is set. */
  record Dispatch(QueryHandler query, ReplicationHandler replication) {
    TransactionStatus transactionStatus() {
      return query != null ? query.transactionStatus() : replication.transactionStatus();
    }

    void closed() {
      try {
        if (query != null) {
          query.sessionClosed();
        } else {
          replication.sessionClosed();
        }
      } catch (RuntimeException e) {
        log.error("handler failed while closing the session", e);
      }
    }
  }

  private final FrameReader reader;
  private final MessageWriter writer;
  private final Dispatch dispatch;
  private final CancelToken cancel;
  private final boolean replication;
  private final Output output = new Output();
  private boolean skipUntilSync;

  MessageLoop(
      FrameReader reader,
      MessageWriter writer,
      Dispatch dispatch,
      CancelToken cancel,
      ReplicationMode mode) {
    this.reader = reader;
    this.writer = writer;
    this.dispatch = dispatch;
    this.cancel = cancel;
    this.replication = mode != ReplicationMode.NONE;
  }

  /** Runs until Terminate or end of stream; FATAL errors propagate to the session. */
  void run() throws IOException {
    while (reader.readMessage()) {
      FrontendMessage m = FrontendMessages.decode(reader);
      if (m instanceof Terminate) {
        return;
      }
      if (skipUntilSync && !(m instanceof Sync)) {
        continue;
      }
      switch (m) {
        case Query q -> simpleQuery(q);
        case Sync s -> sync();
        case Flush f -> {
          if (replication) {
            extendedError(m);
          } else {
            writer.flush();
          }
        }
        case Parse p -> extended(p);
        case Bind b -> extended(b);
        case Describe d -> extended(d);
        case Execute e -> extended(e);
        case Close c -> extended(c);
        case CopyData d -> {}
        case CopyDone d -> {}
        case CopyFail f -> {}
        case PasswordMessage p ->
            throw new ProtocolViolation("invalid frontend message type %d".formatted((int) 'p'));
        case Terminate t -> throw new IllegalStateException("handled above");
      }
    }
  }

  private void simpleQuery(Query q) throws IOException {
    cancel.reset();
    try {
      if (dispatch.query() != null) {
        dispatch.query().simpleQuery(q.sql(), output);
      } else {
        dispatch.replication().command(q.sql(), output);
      }
    } catch (PgException e) {
      reportError(e.error());
    }
    readyForQuery();
  }

  private void sync() throws IOException {
    skipUntilSync = false;
    if (dispatch.query() != null) {
      try {
        dispatch.query().sync(output);
      } catch (PgException e) {
        reportError(e.error());
      }
    }
    readyForQuery();
  }

  private void extended(FrontendMessage m) throws IOException {
    if (replication) {
      extendedError(m);
      return;
    }
    QueryHandler h = dispatch.query();
    try {
      switch (m) {
        case Parse p -> h.parse(p, output);
        case Bind b -> h.bind(b, output);
        case Describe d -> h.describe(d, output);
        case Execute e -> {
          cancel.reset();
          h.execute(e, output);
        }
        case Close c -> h.close(c, output);
        default -> throw new IllegalStateException("not an extended-protocol message: " + m);
      }
    } catch (PgException e) {
      reportError(e.error());
      skipUntilSync = true;
    }
  }

  private void extendedError(FrontendMessage m) throws IOException {
    reportError(
        PgError.error(
            SqlState.PROTOCOL_VIOLATION,
            "extended query protocol not supported in a replication connection"));
    skipUntilSync = true;
  }

  /** Sends an ERROR; rethrows a FATAL so the session sends it and closes. */
  private void reportError(PgError e) throws IOException {
    if (e.severity().compareTo(Severity.ERROR) > 0) {
      throw e.toException();
    }
    writer.errorResponse(e.severity() == Severity.ERROR ? e : e.withSeverity(Severity.ERROR));
  }

  private void readyForQuery() throws IOException {
    writer.readyForQuery(dispatch.transactionStatus().code());
    writer.flush();
  }

  /** The handler's view of the session; also reads COPY input from the same socket. */
  private final class Output implements QueryOutput {
    @Override
    public MessageWriter writer() {
      return writer;
    }

    @Override
    public void notice(PgError notice) throws IOException {
      writer.noticeResponse(notice);
    }

    @Override
    public void parameterStatus(String name, String value) throws IOException {
      writer.parameterStatus(name, value);
    }

    @Override
    public void flush() throws IOException {
      writer.flush();
    }

    @Override
    public CopyIn startCopyIn(int overallFormat, short[] columnFormats) throws IOException {
      writer.copyInResponse(overallFormat, columnFormats);
      writer.flush();
      return new SocketCopyIn("COPY from stdin");
    }

    @Override
    public void startCopyOut(int overallFormat, short[] columnFormats) throws IOException {
      writer.copyOutResponse(overallFormat, columnFormats);
    }

    @Override
    public CopyIn startCopyBoth(int overallFormat, short[] columnFormats) throws IOException {
      writer.copyBothResponse(overallFormat, columnFormats);
      writer.flush();
      return new SocketCopyIn("CopyBoth");
    }
  }

  private final class SocketCopyIn implements CopyIn {
    private final String what;
    private boolean done;

    SocketCopyIn(String what) {
      this.what = what;
    }

    @Override
    public byte[] read() throws IOException {
      if (done) {
        return null;
      }
      while (true) {
        if (!reader.readMessage()) {
          throw new java.io.EOFException("client closed the connection during " + what);
        }
        switch (reader.type()) {
          case 'd' -> {
            return ((CopyData) FrontendMessages.decode(reader)).data();
          }
          case 'c' -> {
            FrontendMessages.decode(reader);
            done = true;
            return null;
          }
          case 'f' -> {
            done = true;
            String msg = ((CopyFail) FrontendMessages.decode(reader)).message();
            throw PgError.error(SqlState.QUERY_CANCELED, "COPY from stdin failed: " + msg)
                .toException();
          }
          case 'H', 'S' -> FrontendMessages.decode(reader);
          default ->
              throw new ProtocolViolation(
                  "unexpected message type 0x%02X during %s".formatted(reader.type(), what));
        }
      }
    }
  }
}
