package org.walden.replication.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import org.walden.fs.DurableFiles;
import org.walden.fs.FileIo;
import org.walden.replication.receiver.ConnInfo;
import org.walden.replication.receiver.PgWalReceiverTransport;
import org.walden.replication.receiver.StreamMessage;
import org.walden.wal.Lsn;
import org.walden.wal.TimelineId;
import org.walden.wal.WalSegmentSize;

/**
 * {@code walden basebackup -X stream}: a second replication connection (the walreceiver's
 * transport) that receives WAL from the backup's start segment into {@code pg_wal/} while the files
 * are copied, until it has everything before the backup's end point. Segments are full-size files;
 * each completed one gets {@code archive_status/<seg>.done}.
 *
 * <p>Thread: "walden-basebackup-wal", started by {@link #start}, ended by {@link #finish} (which
 * sets the stop point and joins) or {@link #abort}. {@code stopAt} and {@code failure} are
 * volatile: written by one side, read by the other.
 */
final class WalStreamer {

  private final ConnInfo conninfo;
  private final long systemId;
  private final WalSegmentSize segSize;
  private final Path walDir;
  private final PgWalReceiverTransport transport;
  private final DurableFiles durable = new DurableFiles(FileIo.nio());
  private volatile Lsn stopAt;
  private volatile Exception failure;
  private volatile boolean aborted;
  private Thread thread;

  WalStreamer(ConnInfo conninfo, long systemId, int segBytes, Path walDir) {
    this.conninfo = conninfo;
    this.systemId = systemId;
    this.segSize = new WalSegmentSize(segBytes);
    this.walDir = walDir;
    this.transport = new PgWalReceiverTransport(systemId);
  }

  void start(Lsn start, TimelineId tli) throws IOException {
    Lsn from = segSize.segmentStart(start);
    transport.connect(conninfo, from, tli, Optional.empty());
    thread =
        Thread.ofPlatform()
            .name("walden-basebackup-wal")
            .daemon()
            .start(() -> {
              try {
                receive(from, tli);
              } catch (Exception e) {
                failure = e;
              }
            });
  }

  private void receive(Lsn from, TimelineId tli) throws IOException {
    Lsn received = from;
    long openSeg = -1;
    FileChannel ch = null;
    try {
      while (true) {
        Lsn stop = stopAt;
        if (stop != null && received.isAtOrAfter(stop)) {
          break;
        }
        if (aborted) {
          return;
        }
        Optional<StreamMessage.FromPrimary> m = transport.receive(Duration.ofMillis(500));
        if (m.isEmpty()) {
          continue;
        }
        switch (m.get()) {
          case StreamMessage.XLogData w -> {
            byte[] data = w.data();
            int off = 0;
            Lsn at = w.dataStart();
            while (off < data.length) {
              long seg = segSize.segmentOf(at);
              if (seg != openSeg) {
                if (ch != null) {
                  completeSegment(ch, tli, openSeg);
                }
                ch = openSegment(tli, seg);
                openSeg = seg;
              }
              int inSeg = segSize.offsetInSegment(at);
              int n = Math.min(data.length - off, segSize.bytes() - inSeg);
              DurableFiles.writeFully(ch, ByteBuffer.wrap(data, off, n), inSeg);
              off += n;
              at = at.plus(n);
            }
            received = at;
          }
          case StreamMessage.PrimaryKeepalive k -> {
            if (k.replyRequested()) {
              transport.send(
                  new StreamMessage.StandbyStatusUpdate(
                      received, Lsn.INVALID, Lsn.INVALID, 0, false));
            }
          }
          case StreamMessage.EndOfStream e ->
              throw new IOException("replication stream ended before the backup's end: " + e);
        }
      }
      if (ch != null) {
        ch.force(true);
        ch.close();
        ch = null;
        if (segSize.offsetInSegment(received) == 0) {
          writeDone(tli, openSeg);
        }
      }
    } finally {
      if (ch != null) {
        ch.close();
      }
      transport.disconnect();
    }
  }

  private FileChannel openSegment(TimelineId tli, long seg) throws IOException {
    Path p = walDir.resolve(segSize.name(tli, seg).fileName());
    FileChannel ch =
        FileChannel.open(
            p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    if (ch.size() < segSize.bytes()) {
      DurableFiles.writeFully(ch, ByteBuffer.allocate(1), segSize.bytes() - 1L);
    }
    return ch;
  }

  private void completeSegment(FileChannel ch, TimelineId tli, long seg) throws IOException {
    ch.force(true);
    ch.close();
    writeDone(tli, seg);
  }

  private void writeDone(TimelineId tli, long seg) throws IOException {
    Path status = walDir.resolve("archive_status");
    Files.createDirectories(status);
    Path done = status.resolve(segSize.name(tli, seg).fileName() + ".done");
    if (!Files.exists(done)) {
      durable.durableCreate(done);
    }
  }

  /** Waits until WAL up to {@code end} is in pg_wal, then ends the stream. */
  void finish(Lsn end) throws IOException, InterruptedException {
    stopAt = end;
    thread.join();
    if (failure != null) {
      throw new IOException("could not receive the backup's WAL: " + failure.getMessage(), failure);
    }
  }

  void abort() throws InterruptedException {
    aborted = true;
    transport.disconnect();
    if (thread != null) {
      thread.join(30_000);
    }
  }
}
