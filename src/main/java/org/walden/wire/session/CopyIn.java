package org.walden.wire.session;

import java.io.IOException;
import org.walden.wire.PgException;

/**
 * The client's side of a COPY FROM STDIN (or the client half of CopyBoth), pulled by the SQL layer
 * after {@link QueryOutput#startCopyIn}. Used by the session thread only.
 */
public interface CopyIn {

  /**
   * The next CopyData payload, or null when the client sent CopyDone. Flush and Sync are ignored
   * (libpq may send them without noticing the command was COPY), as PostgreSQL does.
   *
   * @throws PgException 57014 "COPY from stdin failed: …" on CopyFail
   * @throws org.walden.wire.codec.ProtocolViolation on any other message
   */
  byte[] read() throws IOException;
}
