package org.walden.wire.session;

import java.io.IOException;
import org.walden.wire.PgError;
import org.walden.wire.codec.MessageWriter;

/**
 * Where a {@link QueryHandler} writes results: the session's {@link MessageWriter} for
 * RowDescription/DataRow/CommandComplete/…, plus the few operations that need the session (COPY,
 * which must read client messages; notices; explicit flushes).
 *
 * <p>The handler never writes ReadyForQuery or ErrorResponse itself: it returns (the session sends
 * ReadyForQuery where the protocol wants one) or throws a {@link org.walden.wire.PgException} (the
 * session sends ErrorResponse). Used by the session thread only.
 */
public interface QueryOutput {

  MessageWriter writer();

  /** Sends a NoticeResponse (buffered with the rest). */
  void notice(PgError notice) throws IOException;

  /** A ParameterStatus (after a SET of a reported parameter, before its CommandComplete). */
  void parameterStatus(String name, String value) throws IOException;

  /** Sends buffered output now (a long-running command's progress). */
  void flush() throws IOException;

  /**
   * Sends CopyInResponse, flushes, and returns the stream of the client's CopyData. After the last
   * chunk the handler writes CommandComplete ({@code COPY n}).
   */
  CopyIn startCopyIn(int overallFormat, short[] columnFormats) throws IOException;

  /**
   * Sends CopyOutResponse; the handler then writes {@link MessageWriter#copyData} chunks, {@link
   * MessageWriter#copyDone} and CommandComplete.
   */
  void startCopyOut(int overallFormat, short[] columnFormats) throws IOException;

  /**
   * Sends CopyBothResponse and flushes; returns the client half. The server half is written with
   * {@link MessageWriter#copyData}/{@link MessageWriter#copyDone} from the same thread.
   */
  CopyIn startCopyBoth(int overallFormat, short[] columnFormats) throws IOException;
}
