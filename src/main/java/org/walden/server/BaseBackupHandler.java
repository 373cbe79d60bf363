package org.walden.server;

import java.io.IOException;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.walden.replication.WalSenderEntry;
import org.walden.replication.backup.BackupOptions;
import org.walden.replication.backup.BackupOutput;
import org.walden.replication.backup.BaseBackup;
import org.walden.replication.backup.BaseBackupException;
import org.walden.replication.backup.BaseBackupSource;
import org.walden.replication.command.ReplicationCommand;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wire.PgError;
import org.walden.wire.codec.FieldDescription;
import org.walden.wire.codec.MessageWriter;
import org.walden.wire.session.QueryOutput;

/**
 * BASE_BACKUP on a replication connection: validates the options, runs {@link BaseBackup} and
 * writes its result sets and COPY OUT stream in PostgreSQL 15's message sequence (pg-protocol-facts
 * §5.2). The replication session's command loop delegates here; stateless, on the session thread.
 */
final class BaseBackupHandler {

  private static final int TEXT = 25;
  private static final int INT8 = 20;
  private static final int OID = 26;

  private BaseBackupHandler() {}

  static void run(
      ReplicationCommand.BaseBackup command,
      BaseBackupSource source,
      WalSenderEntry entry,
      int pid,
      QueryOutput out)
      throws IOException {
    if (source == null) {
      throw PgError.error("0A000", "BASE_BACKUP is not supported on this server").toException();
    }
    Output o = new Output(out);
    try {
      BackupOptions options = BackupOptions.parse(command.options());
      new BaseBackup(source).run(options, o, entry, pid);
    } catch (BaseBackupException e) {
      throw PgError.error(e.sqlState(), e.getMessage()).toException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SocketException("base backup interrupted");
    } catch (IOException e) {
      if (o.clientGone) {
        throw e;
      }
      // a server-side failure (file read, checkpoint): the client gets PostgreSQL's kind of error
      throw PgError.error("58030", "could not complete base backup: " + e.getMessage())
          .toException();
    }
  }

  /** The wire form of the backup's output; remembers whether a write to the client failed. */
  private static final class Output implements BackupOutput {
    private final QueryOutput out;
    private final MessageWriter w;
    private boolean clientGone;

    Output(QueryOutput out) {
      this.out = out;
      this.w = out.writer();
    }

    private void lsnRow(Lsn lsn, TimelineId tli) throws IOException {
      try {
        w.rowDescription(
            List.of(
                new FieldDescription("recptr", 0, (short) 0, TEXT, (short) -1, 0, (short) 0),
                new FieldDescription("tli", 0, (short) 0, INT8, (short) 8, 0, (short) 0)));
        w.dataRow(List.of(lsn.toString(), tli.toString()));
        w.commandComplete("SELECT");
      } catch (IOException e) {
        clientGone = true;
        throw e;
      }
    }

    @Override
    public void startPosition(Lsn start, TimelineId tli) throws IOException {
      lsnRow(start, tli);
      flush();
    }

    @Override
    public void tablespaces(OptionalLong sizeKb) throws IOException {
      try {
        w.rowDescription(
            List.of(
                new FieldDescription("spcoid", 0, (short) 0, OID, (short) 4, 0, (short) 0),
                new FieldDescription("spclocation", 0, (short) 0, TEXT, (short) -1, 0, (short) 0),
                new FieldDescription("size", 0, (short) 0, INT8, (short) 8, 0, (short) 0)));
        w.dataRow(
            Arrays.asList(
                null, null, sizeKb.isPresent() ? Long.toString(sizeKb.getAsLong()) : null));
        w.commandComplete("SELECT");
      } catch (IOException e) {
        clientGone = true;
        throw e;
      }
    }

    @Override
    public void beginCopy() throws IOException {
      try {
        out.startCopyOut(0, new short[0]);
      } catch (IOException e) {
        clientGone = true;
        throw e;
      }
    }

    @Override
    public void copyData(byte[] b, int off, int len) throws IOException {
      try {
        w.copyData(b, off, len);
      } catch (IOException e) {
        clientGone = true;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        w.flush();
      } catch (IOException e) {
        clientGone = true;
        throw e;
      }
    }

    @Override
    public void endCopy() throws IOException {
      try {
        w.copyDone();
      } catch (IOException e) {
        clientGone = true;
        throw e;
      }
    }

    @Override
    public void endPosition(Lsn end, TimelineId tli) throws IOException {
      lsnRow(end, tli);
    }
  }
}
