package org.walden.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The history of one timeline: the chain of timelines that led to it and the LSN at which each one
 * forked off its parent (PostgreSQL's {@code List *} of {@code TimeLineHistoryEntry}, read from
 * {@code %08X.history}). Answers "which timeline holds LSN x" and "where does timeline n end".
 *
 * <p>The file format is PostgreSQL's, so {@code pg_receivewal} and {@code TIMELINE_HISTORY} see the
 * same bytes: one line per ancestor, oldest first, {@code parentTLI\tswitchLSN\treason\n}. The
 * history of timeline 1 has no file and no ancestors.
 *
 * <p>Immutable value; entries are ordered oldest first, the last one is {@link #current}.
 *
 * @param entries oldest first; each entry's {@code end} is the next one's {@code begin}; the last
 *     one's end is {@link Lsn#MAX}
 */
public record TimelineHistory(List<Entry> entries) {

  /** The reason PostgreSQL writes when a standby is promoted with no recovery target. */
  public static final String NO_RECOVERY_TARGET = "no recovery target specified";

  /**
   * One timeline of the chain: it holds WAL from {@code begin} (inclusive; {@link Lsn#INVALID} for
   * the first) to {@code end} (exclusive: the switch point to its child, {@link Lsn#MAX} for the
   * newest).
   */
  public record Entry(TimelineId tli, Lsn begin, Lsn end, String reason) {
    public Entry {
      Objects.requireNonNull(tli);
      Objects.requireNonNull(begin);
      Objects.requireNonNull(end);
    }

    /** Does this timeline hold the byte at {@code lsn}? */
    public boolean holds(Lsn lsn) {
      return !lsn.isBefore(begin) && lsn.isBefore(end);
    }
  }

  public TimelineHistory {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a history has at least its own timeline");
    }
  }

  /** The history of a timeline with no ancestors (timeline 1 of a fresh system). */
  public static TimelineHistory root(TimelineId tli) {
    return new TimelineHistory(List.of(new Entry(tli, Lsn.INVALID, Lsn.MAX, "")));
  }

  /** The file name of a timeline's history, {@code 00000002.history}. */
  public static String fileName(TimelineId tli) {
    return String.format(Locale.ROOT, "%08X.history", tli.value());
  }

  /** The timeline this is the history of. */
  public TimelineId current() {
    return entries.get(entries.size() - 1).tli();
  }

  /** Is {@code tli} this timeline or one of its ancestors? */
  public boolean contains(TimelineId tli) {
    return entry(tli).isPresent();
  }

  public Optional<Entry> entry(TimelineId tli) {
    for (Entry e : entries) {
      if (e.tli().equals(tli)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Where timeline {@code tli} ends (the LSN its child begins at): empty for the current timeline
   * or one not in this history (PostgreSQL's {@code tliSwitchPoint}).
   */
  public Optional<Lsn> switchPoint(TimelineId tli) {
    return entry(tli).map(Entry::end).filter(e -> !e.equals(Lsn.MAX));
  }

  /** The timeline after {@code tli} in this history, if it is an ancestor. */
  public Optional<TimelineId> nextAfter(TimelineId tli) {
    for (int i = 0; i < entries.size() - 1; i++) {
      if (entries.get(i).tli().equals(tli)) {
        return Optional.of(entries.get(i + 1).tli());
      }
    }
    return Optional.empty();
  }

  /** The timeline holding the byte at {@code lsn} (PostgreSQL's {@code tliOfPointInHistory}). */
  public TimelineId timelineOf(Lsn lsn) {
    for (Entry e : entries) {
      if (e.holds(lsn)) {
        return e.tli();
      }
    }
    return current(); // lsn before every begin cannot happen: the first begins at 0
  }

  /**
   * The timelines whose file for segment {@code segNo} may hold this history's bytes of it, newest
   * first: a timeline's segments run from the one holding its begin to the one holding its end (the
   * segment holding a switch point exists under both names; the child's copy has the parent's
   * prefix, as PostgreSQL copies it at promotion). PostgreSQL's {@code XLogFileReadAnyTLI} order.
   */
  public List<TimelineId> timelinesForSegment(long segNo, WalSegmentSize segSize) {
    List<TimelineId> out = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      long first = e.begin().isValid() ? segSize.segmentOf(e.begin()) : 0;
      long last = e.end().equals(Lsn.MAX) ? Long.MAX_VALUE : segSize.segmentOf(e.end());
      if (segNo >= first && segNo <= last) {
        out.add(e.tli());
      }
    }
    return out;
  }

  /**
   * The history of a new child timeline that forks off this one's current timeline at {@code at}.
   */
  public TimelineHistory child(TimelineId tli, Lsn at, String reason) {
    if (tli.compareTo(current()) <= 0) {
      throw new IllegalArgumentException("new timeline " + tli + " is not after " + current());
    }
    List<Entry> next = new ArrayList<>(entries.subList(0, entries.size() - 1));
    Entry last = entries.get(entries.size() - 1);
    next.add(new Entry(last.tli(), last.begin(), at, reason));
    next.add(new Entry(tli, at, Lsn.MAX, ""));
    return new TimelineHistory(next);
  }

  /** The contents of {@link #fileName}{@code (current())}: one line per ancestor. */
  public byte[] fileContent() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < entries.size() - 1; i++) {
      Entry e = entries.get(i);
      b.append(Integer.toUnsignedString(e.tli().value()))
          .append('\t')
          .append(e.end())
          .append('\t')
          .append(e.reason())
          .append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses the history file of {@code tli} (PostgreSQL's {@code readTimeLineHistory}): blank lines
   * and lines starting with {@code #} are skipped; parent ids must increase, and all be below
   * {@code tli}; switch points must not go back.
   *
   * @throws IllegalArgumentException naming the bad line
   */
  public static TimelineHistory parse(TimelineId tli, byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    List<Entry> out = new ArrayList<>();
    Lsn prevEnd = Lsn.INVALID;
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+", 3);
      if (f.length < 2) {
        throw new IllegalArgumentException(
            "syntax error in history file: "
                + line
                + " (Expected a write-ahead log switchpoint"
                + " location.)");
      }
      TimelineId parent;
      Lsn at;
      try {
        parent = new TimelineId(Integer.parseUnsignedInt(f[0]));
        at = Lsn.parse(f[1]);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("syntax error in history file: " + line, e);
      }
      if (!out.isEmpty() && parent.compareTo(out.get(out.size() - 1).tli()) <= 0) {
        throw new IllegalArgumentException(
            "invalid data in history file: "
                + line
                + " (Timeline IDs must be in increasing"
                + " sequence.)");
      }
      if (at.isBefore(prevEnd)) {
        throw new IllegalArgumentException(
            "invalid data in history file: " + line + " (switch points must not go back)");
      }
      out.add(new Entry(parent, prevEnd, at, f.length > 2 ? f[2] : ""));
      prevEnd = at;
    }
    if (!out.isEmpty() && out.get(out.size() - 1).tli().compareTo(tli) >= 0) {
      throw new IllegalArgumentException(
          "invalid data in history file: Timeline IDs must be less than child timeline's ID.");
    }
    out.add(new Entry(tli, prevEnd, Lsn.MAX, ""));
    return new TimelineHistory(out);
  }
}
