package org.walden.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.walden.fs.DurableFiles;

/**
 * The timeline history files in {@code pg_wal} ({@code %08X.history}): reading them, writing a new
 * one durably (temporary file, force, durable rename — a crash leaves the old state or the whole
 * file), and finding the newest timeline known locally.
 *
 * <p>Stateless apart from the directory; thread-safe. Reads return explicit outcomes: a file that
 * does not parse is reported as {@link Read.Corrupt}, never silently taken as "no history".
 */
public final class TimelineHistoryFiles {

  private final WalSegmentFiles segments;
  private final DurableFiles durable;

  public TimelineHistoryFiles(WalSegmentFiles segments) {
    this.segments = segments;
    this.durable = segments.durable();
  }

  /** What reading one history file found. */
  public sealed interface Read {
    record Found(TimelineHistory history) implements Read {}

    record Missing(TimelineId tli) implements Read {}

    record Corrupt(TimelineId tli, String reason) implements Read {}
  }

  public Path pathOf(TimelineId tli) {
    return segments.dir().resolve(TimelineHistory.fileName(tli));
  }

  public boolean exists(TimelineId tli) {
    return tli.equals(TimelineId.FIRST) || durable.io().exists(pathOf(tli));
  }

  /** The history of {@code tli}; timeline 1 has no file and no ancestors. */
  public Read read(TimelineId tli) throws IOException {
    if (tli.equals(TimelineId.FIRST)) {
      return new Read.Found(TimelineHistory.root(tli));
    }
    Path p = pathOf(tli);
    byte[] content;
    try (FileChannel ch = durable.io().open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > 1 << 20) {
        return new Read.Corrupt(tli, "history file \"" + p.getFileName() + "\" is too large");
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      DurableFiles.readFully(ch, b, 0);
      content = b.array();
    } catch (java.nio.file.NoSuchFileException e) {
      return new Read.Missing(tli);
    }
    try {
      return new Read.Found(TimelineHistory.parse(tli, content));
    } catch (IllegalArgumentException e) {
      return new Read.Corrupt(tli, e.getMessage());
    }
  }

  /** The raw bytes of {@code tli}'s history file, or empty if there is none. */
  public Optional<byte[]> readRaw(TimelineId tli) throws IOException {
    Path p = pathOf(tli);
    try (FileChannel ch = durable.io().open(p, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 20));
      DurableFiles.readFully(ch, b, 0);
      return Optional.of(b.array());
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads {@code tli}'s history, failing with an {@link IOException} that names the file if it is
   * missing or corrupt (for callers that know it must exist).
   */
  public TimelineHistory require(TimelineId tli) throws IOException {
    return switch (read(tli)) {
      case Read.Found f -> f.history();
      case Read.Missing m ->
          throw new IOException(
              "could not open file \"pg_wal/"
                  + TimelineHistory.fileName(tli)
                  + "\": No such file"
                  + " or directory");
      case Read.Corrupt c -> throw new IOException(c.reason());
    };
  }

  /** Writes {@code history}'s file durably (replacing a partial or older copy). */
  public void write(TimelineHistory history) throws IOException {
    writeRaw(history.current(), history.fileContent());
  }

  /** Stores a history file as received (TIMELINE_HISTORY), durably, after checking it parses. */
  public void writeRaw(TimelineId tli, byte[] content) throws IOException {
    TimelineHistory.parse(tli, content); // refuse to store what could not be read back
    durable.atomicReplace(pathOf(tli), content);
  }

  /**
   * The newest timeline with a history file here whose history contains {@code from} (PostgreSQL's
   * {@code findNewestTimeLine}, which probes upward until a file is missing).
   */
  public TimelineId newestDescendant(TimelineId from) throws IOException {
    TimelineId best = from;
    for (TimelineId probe = from.next(); exists(probe); probe = probe.next()) {
      if (read(probe) instanceof Read.Found f && f.history().contains(from)) {
        best = probe;
      }
    }
    return best;
  }

  /** The highest timeline id with a history file here, or {@code floor} if none is higher. */
  public TimelineId highest(TimelineId floor) throws IOException {
    TimelineId best = floor;
    for (String n : durable.io().list(segments.dir())) {
      if (n.length() == 16 && n.endsWith(".history")) {
        try {
          TimelineId t = new TimelineId(Integer.parseUnsignedInt(n.substring(0, 8), 16));
          if (t.compareTo(best) > 0) {
            best = t;
          }
        } catch (RuntimeException e) {
          // not a history file name
        }
      }
    }
    return best;
  }
}
