package org.walden.server;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.walden.config.ConfigException;
import org.walden.replication.WalSender;
import org.walden.replication.WalSenderChannel;
import org.walden.replication.WalSenderEntry;
import org.walden.replication.WalSenderException;
import org.walden.replication.WalSenderServices;
import org.walden.replication.command.ReplicationCommand;
import org.walden.replication.command.ReplicationCommand.BaseBackup;
import org.walden.replication.command.ReplicationCommand.CreateReplicationSlot;
import org.walden.replication.command.ReplicationCommand.DropReplicationSlot;
import org.walden.replication.command.ReplicationCommand.IdentifySystem;
import org.walden.replication.command.ReplicationCommand.ReadReplicationSlot;
import org.walden.replication.command.ReplicationCommand.Show;
import org.walden.replication.command.ReplicationCommand.StartReplication;
import org.walden.replication.command.ReplicationCommand.TimelineHistory;
import org.walden.replication.command.ReplicationCommandException;
import org.walden.replication.command.ReplicationCommandParser;
import org.walden.replication.slot.ReplicationSlot;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;
import org.walden.wire.codec.FieldDescription;
import org.walden.wire.codec.MessageWriter;
import org.walden.wire.session.CopyIn;
import org.walden.wire.session.QueryOutput;
import org.walden.wire.session.ReplicationHandler;
import org.walden.wire.session.SessionContext;

/**
 * A walsender's command loop (PostgreSQL's {@code exec_replication_command}): one replication
 * connection's handler, from login to close.
 *
 * <p><b>Lifecycle.</b> Opened by {@link WaldenBackendFactory#openReplication} after the login,
 * which takes a {@link org.walden.replication.WalSenderTable} entry (FATAL 53300 beyond {@code
 * max_wal_senders}); {@link #sessionClosed} gives it back. Each simple Query is one command;
 * START_REPLICATION runs a {@link WalSender} on the session thread for the whole copy.
 *
 * <p><b>Ending a copy.</b> Client CopyDone → CopyDone, {@code START_STREAMING}, {@code
 * START_REPLICATION} (the session adds ReadyForQuery). Shutdown ({@code COPY 0} already sent) and
 * {@code wal_sender_timeout} end the connection: the handler throws a {@link SocketException},
 * which the session treats as a vanished client and closes quietly.
 *
 * <p><b>Slots.</b> CREATE/DROP/READ_REPLICATION_SLOT go to {@link SlotCommands}; START_REPLICATION
 * SLOT acquires the slot for the copy and releases it after; the connection's temporary slots are
 * dropped in {@link #sessionClosed}.
 *
 * <p>Session thread only.
 */
final class ReplicationSession implements ReplicationHandler {

  private static final int TEXT = 25;
  private static final int INT4 = 23;
  private static final int INT8 = 20;

  private final SessionContext context;
  private final WalSenderServices services;
  private final WalSenderEntry entry;
  private final SlotCommands slotCommands;

  ReplicationSession(SessionContext context, WalSenderServices services) {
    this.context = context;
    this.services = services;
    try {
      this.entry =
          services
              .table()
              .register(
                  new WalSenderEntry.Identity(
                      context.processId(),
                      0,
                      context.user(),
                      context.applicationName(),
                      context.clientAddress(),
                      -1,
                      services.clock().instant()));
    } catch (WalSenderException e) {
      throw toPg(e).toException();
    }
    this.slotCommands = new SlotCommands(services, context.replication(), context.processId());
  }

  @Override
  public void sessionClosed() {
    slotCommands.connectionEnded();
    services.table().unregister(entry);
  }

  @Override
  public void command(String text, QueryOutput out) throws IOException {
    Optional<ReplicationCommand> parsed;
    try {
      parsed = ReplicationCommandParser.parse(text);
    } catch (ReplicationCommandException e) {
      throw PgError.error(e.sqlState(), e.getMessage()).toException();
    }
    if (parsed.isEmpty()) {
      if (context.replication() == ReplicationMode.LOGICAL) {
        throw PgError.error(
                "0A000", "SQL commands in a logical replication connection are not supported yet")
            .toException();
      }
      throw PgError.error(
              "0A000", "cannot execute SQL commands in WAL sender for physical replication")
          .toException();
    }
    ReplicationCommand c = parsed.get();
    MessageWriter w = out.writer();
    switch (c) {
      case IdentifySystem i -> identifySystem(w);
      case Show s -> show(s.name(), w);
      case TimelineHistory t -> timelineHistory(t.timeline(), w);
      case StartReplication s -> {
        startReplication(s, out);
        return;
      }
      case CreateReplicationSlot s -> slotCommands.create(s, w);
      case DropReplicationSlot s -> slotCommands.drop(s);
      case ReadReplicationSlot s -> slotCommands.read(s, w);
      case BaseBackup b ->
          BaseBackupHandler.run(b, services.backups(), entry, context.processId(), out);
    }
    w.commandComplete(c.tag());
  }

  private static PgException notYet(String what) {
    return PgError.error("0A000", what + " is not supported yet").toException();
  }

  private void identifySystem(MessageWriter w) throws IOException {
    w.rowDescription(
        List.of(
            FieldDescription.computed("systemid", TEXT, -1),
            FieldDescription.computed("timeline", INT4, 4),
            FieldDescription.computed("xlogpos", TEXT, -1),
            FieldDescription.computed("dbname", TEXT, -1)));
    String dbname = context.replication() == ReplicationMode.LOGICAL ? context.database() : null;
    w.dataRow(
        java.util.Arrays.asList(
            Long.toUnsignedString(services.identity().systemId()),
            services.timeline().get().toString(),
            services.flushed().get().toString(),
            dbname));
  }

  private void show(String name, MessageWriter w) throws IOException {
    String value;
    if (name.equals("wal_segment_size")) {
      value = showBytes(services.identity().segmentSize().bytes());
    } else {
      try {
        value = services.config().get().show(name);
      } catch (ConfigException e) {
        throw PgError.error("42704", "unrecognized configuration parameter \"" + name + "\"")
            .toException();
      }
    }
    w.rowDescription(List.of(FieldDescription.computed(name, TEXT, -1)));
    w.dataRow(java.util.Collections.singletonList(value));
  }

  /** SHOW's form of a byte size: the largest unit that divides it ({@code 16MB}, {@code 1GB}). */
  static String showBytes(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    int u = 0;
    while (u < units.length - 1 && bytes != 0 && bytes % 1024 == 0) {
      bytes /= 1024;
      u++;
    }
    return bytes + units[u];
  }

  private void timelineHistory(TimelineId tli, MessageWriter w) throws IOException {
    String fileName = String.format(Locale.ROOT, "%08X.history", tli.value());
    Path p = services.segments().dir().resolve(fileName);
    byte[] content;
    try {
      content = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw PgError.error(
              "58P01", "could not open file \"pg_wal/" + fileName + "\": No such file or directory")
          .toException();
    }
    w.rowDescription(
        List.of(
            new FieldDescription("filename", 0, (short) 0, TEXT, (short) -1, 0, (short) 0),
            new FieldDescription("content", 0, (short) 0, TEXT, (short) -1, 0, (short) 0)));
    w.beginDataRow(2)
        .column(fileName.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .column(content)
        .end();
  }

  private void startReplication(StartReplication s, QueryOutput out) throws IOException {
    if (s.kind() == ReplicationCommand.Kind.LOGICAL) {
      throw notYet("logical replication");
    }
    ReplicationSlot slot =
        s.slot().isPresent()
            ? slotCommands.acquireForStreaming(s.slot().get(), s.start(), entry::wakeWalSender)
            : null;
    try {
      stream(s, slot, out);
    } finally {
      if (slot != null) {
        slotCommands.release(slot);
      }
    }
  }

  private void stream(StartReplication s, ReplicationSlot slot, QueryOutput out)
      throws IOException {
    TimelineId current = services.timeline().get();
    org.walden.wal.TimelineHistory history = TimelineRequests.history(services.segments(), current);
    TimelineId requested = s.timeline().orElse(current);
    Optional<Lsn> switchPoint = TimelineRequests.check(history, requested, s.start());
    if (switchPoint.isPresent() && switchPoint.get().equals(s.start())) {
      // starting exactly at the end of an old timeline: no COPY, only where the next one starts
      endOfTimeline(out.writer(), history.nextAfter(requested).orElseThrow(), s.start());
      return;
    }
    CopyIn in = out.startCopyBoth(0, new short[0]);
    MessageWriter w = out.writer();
    WalSenderChannel channel = new Channel(w, in);
    WalSender.Outcome outcome;
    WalSender sender = new WalSender(services, entry, channel, slot);
    try {
      outcome = sender.streamPhysical(s.start(), requested, history);
    } catch (WalSenderException e) {
      if (e.connectionUnusable() && !e.isFatal()) {
        w.errorResponse(toPg(e));
        w.flush();
        throw new SocketException("walsender error while the client reader owned the input");
      }
      throw toPg(e).toException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SocketException("walsender interrupted");
    }
    switch (outcome) {
      case CLIENT_DONE -> {
        w.commandComplete("START_STREAMING");
        w.commandComplete("START_REPLICATION");
      }
      case END_OF_TIMELINE -> endOfTimeline(w, sender.nextTimeline(), sender.timelineEnd());
      case SHUTDOWN -> throw new SocketException("walsender finished at shutdown");
      case TIMEOUT -> throw new SocketException("walsender replication timeout");
    }
  }

  /**
   * After the end of an old timeline: a result set {@code next_tli} int8, {@code next_tli_startpos}
   * text, then {@code START_STREAMING} and {@code START_REPLICATION}.
   */
  private static void endOfTimeline(MessageWriter w, TimelineId next, Lsn startPos)
      throws IOException {
    w.rowDescription(
        List.of(
            FieldDescription.computed("next_tli", INT8, 8),
            FieldDescription.computed("next_tli_startpos", TEXT, -1)));
    w.dataRow(java.util.Arrays.asList(next.toString(), startPos.toString()));
    w.commandComplete("START_STREAMING");
    w.commandComplete("START_REPLICATION");
  }

  private static PgError toPg(WalSenderException e) {
    return e.isFatal()
        ? PgError.fatal(e.sqlState(), e.getMessage())
        : PgError.error(e.sqlState(), e.getMessage());
  }

  /** The copy as the walsender sees it: CopyData out through the writer, in through CopyIn. */
  private record Channel(MessageWriter writer, CopyIn in) implements WalSenderChannel {
    @Override
    public void sendCopyData(byte[] data, int offset, int length) throws IOException {
      writer.copyData(data, offset, length);
    }

    @Override
    public void flush() throws IOException {
      writer.flush();
    }

    @Override
    public void sendCopyDone() throws IOException {
      writer.copyDone();
    }

    @Override
    public void sendCommandComplete(String tag) throws IOException {
      writer.commandComplete(tag);
    }

    @Override
    public byte[] receive() throws IOException {
      return in.read();
    }
  }
}
