package org.walden.recovery;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.wal.Lsn;
import org.walden.wal.ReadResult;
import org.walden.wal.RecordKind;
import org.walden.wal.TimelineId;
import org.walden.wal.WalReader;
import org.walden.wal.WalRecord;
import org.walden.wal.WalSegmentFiles;
import org.walden.wal.WalSegmentName;
import org.walden.wal.WalSegmentSize;

/**
 * The redo loop: reads records with a {@link WalReader} and hands each to a {@link RedoTarget}, one
 * {@link #step} at a time, so that crash recovery can run it to the end of WAL and a standby can
 * run it as WAL arrives, stopping and resuming at the same record.
 *
 * <p>Single-threaded: owned by the recovery thread. Not reusable after {@link #close}.
 */
public final class Replay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Replay.class);

  private final WalReader reader;
  private final RedoTarget target;
  private final WalSegmentFiles files;
  private final TimelineId timeline;

  private Lsn lastRecordStart = Lsn.INVALID;
  private Lsn lastRecordEnd = Lsn.INVALID;
  private RecordKind lastRecordKind;
  private long records;
  private long bytes;

  /**
   * A standby treats a missing segment as the end of what it has: the archive or the stream may
   * still bring it. Set once before the first step.
   */
  private boolean missingSegmentEndsWal;

  /** Archive recovery's target, asked before each record is applied; null: none. */
  private RecoveryTarget stopBefore;

  /**
   * @param files the local {@code pg_wal}, used to tell a segment missing in the middle of the log
   *     (an error) from the normal end of WAL at a segment boundary
   */
  public Replay(WalReader reader, RedoTarget target, WalSegmentFiles files, TimelineId timeline) {
    this.reader = reader;
    this.timeline = timeline;
    this.target = target;
    this.files = files;
  }

  /** For a standby: a missing segment is the end of available WAL, never an error. */
  public void treatMissingSegmentAsEnd() {
    this.missingSegmentEndsWal = true;
  }

  /**
   * Archive recovery: ask {@code target} before applying each record, and stop (without applying
   * it) where {@link RecoveryTarget#stopsBefore} says so. Set once before the first step.
   */
  public void stopBefore(RecoveryTarget target) {
    this.stopBefore = target;
  }

  /** What one step found. */
  public sealed interface Step {
    /** A record was applied. */
    record Applied(WalRecord record) implements Step {}

    /** The recovery target says stop before {@code record}, which was not applied. */
    record Stopped(WalRecord record, RecoveryTarget.Stop stop) implements Step {}

    /** The end of the available WAL: no valid record at {@code at}. */
    record End(Lsn at, ReadResult why) implements Step {}
  }

  /**
   * Reads and applies the next record.
   *
   * @throws RecoveryException on corrupt WAL, on a segment missing in the middle of the log, or if
   *     the target cannot apply the record
   */
  public Step step() throws IOException, RecoveryException {
    ReadResult r = reader.next();
    switch (r) {
      case ReadResult.Record rec -> {
        WalRecord record = rec.record();
        RecoveryTarget.Stop stop = stopBefore == null ? null : stopBefore.stopsBefore(record);
        if (stop != null) {
          return new Step.Stopped(record, stop);
        }
        try {
          target.redo(record);
        } catch (RuntimeException e) {
          throw new RecoveryException(
              "could not apply WAL record at "
                  + record.start()
                  + " ("
                  + record.kind()
                  + "): "
                  + e.getMessage(),
              "The write-ahead log is damaged. Restore the data directory from a backup.",
              e);
        }
        lastRecordStart = record.start();
        lastRecordEnd = record.end();
        lastRecordKind = record.kind();
        records++;
        bytes += record.end().minus(record.start());
        return new Step.Applied(record);
      }
      case ReadResult.Corrupt c ->
          throw new RecoveryException(
              "invalid record in write-ahead log at " + c.at() + ": " + c.reason(),
              "The write-ahead log is damaged before its end; Walden will not discard the records"
                  + " after the damage. Restore the data directory from a backup.");
      case ReadResult.MissingSegment m -> {
        if (!missingSegmentEndsWal && laterSegmentExists(m.segNo())) {
          throw new RecoveryException(
              "could not find write-ahead log segment "
                  + segName(m.segNo())
                  + " needed at "
                  + m.at()
                  + ", although later segments exist",
              "Restore the missing segment into pg_wal, or restore the data directory from a"
                  + " backup.");
        }
        return new Step.End(reader.position(), r);
      }
      case ReadResult.TornTail t -> {
        if (missingSegmentEndsWal) {
          // a standby's normal state between two arrivals of WAL: not worth a log line
          log.debug("end of available WAL at {}: {}", t.at(), t.reason());
        } else {
          log.info("end of WAL at {}: torn record ({})", t.at(), t.reason());
        }
        return new Step.End(t.at(), r);
      }
      case ReadResult.EndOfWal e -> {
        return new Step.End(e.at(), r);
      }
    }
  }

  private String segName(long segNo) {
    return "\"" + files.segmentSize().name(timeline, segNo).fileName() + "\"";
  }

  private boolean laterSegmentExists(long segNo) throws IOException {
    for (WalSegmentName n : files.list()) {
      if (n.segNo() > segNo) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@link #step} until the end of WAL; returns where it ended. */
  public Step.End runToEnd() throws IOException, RecoveryException {
    while (true) {
      Step s = step();
      if (s instanceof Step.End end) {
        return end;
      }
      if (s instanceof Step.Stopped st) {
        return new Step.End(st.record().start(), null);
      }
    }
  }

  /** Start of the last record applied, or INVALID if none. */
  public Lsn lastRecordStart() {
    return lastRecordStart;
  }

  /** End of the last record applied (PostgreSQL's EndRecPtr), or INVALID if none. */
  public Lsn lastRecordEnd() {
    return lastRecordEnd;
  }

  /**
   * Where WAL writing resumes after the last record applied: its end, or the next segment's start
   * if it was a segment switch (the rest of that segment stays unused).
   */
  public Lsn resumePoint() {
    if (lastRecordKind != RecordKind.SWITCH) {
      return lastRecordEnd;
    }
    WalSegmentSize seg = files.segmentSize();
    return seg.startOf(seg.segmentOf(lastRecordEnd.plus(-1)) + 1);
  }

  public long recordsApplied() {
    return records;
  }

  public long bytesApplied() {
    return bytes;
  }

  public WalReader reader() {
    return reader;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
