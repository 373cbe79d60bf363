package org.walden.replication.backup;

import java.io.IOException;
import java.util.OptionalLong;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;

/**
 * The protocol side of BASE_BACKUP (pg-protocol-facts §5.2), implemented by the replication session
 * over its wire writer, so this package needs no wire types. Called in this order on the backup's
 * thread: {@link #startPosition}, {@link #tablespaces}, {@link #beginCopy}, any {@link #copyData},
 * {@link #endCopy}, {@link #endPosition}.
 */
public interface BackupOutput {

  /** Result set {@code recptr} text, {@code tli} int8, then CommandComplete SELECT. */
  void startPosition(Lsn start, TimelineId tli) throws IOException;

  /** Result set of tablespaces: the main directory's row (NULL, NULL, size in kB or NULL). */
  void tablespaces(OptionalLong sizeKb) throws IOException;

  /** CopyOutResponse. */
  void beginCopy() throws IOException;

  void copyData(byte[] b, int off, int len) throws IOException;

  void flush() throws IOException;

  /** CopyDone. */
  void endCopy() throws IOException;

  /** Result set of the end position, then CommandComplete SELECT. */
  void endPosition(Lsn end, TimelineId tli) throws IOException;
}
