package org.walden.replication.slot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.fs.DurableFiles;
import org.walden.wal.Lsn;
import org.walden.wal.WalRetention;
import org.walden.wal.Xid;

/**
 * The node's replication slots (PostgreSQL's ReplicationSlotCtl and slot.c): create, drop, acquire
 * and release, the standby's progress, saving to {@code pg_replslot/<name>/state} and restoring at
 * start.
 *
 * <p><b>Lifecycle.</b> {@link #restore} at start-up reads every slot directory; the node then hands
 * the table to its walsenders and SQL sessions and registers a {@link SlotRetention} with its WAL
 * retention. There is no thread of its own: every method runs on its caller's thread (replication
 * sessions, SQL sessions, the checkpointer's removal).
 *
 * <p><b>Shared state.</b> The map and every slot's mutable fields are guarded by {@code lock};
 * {@code released} is signalled whenever a slot becomes inactive or is dropped (DROP … WAIT waits
 * on it). File writes run outside {@code lock}, serialized per slot by {@link ReplicationSlot#io}.
 *
 * <p><b>Invariants.</b> A slot's restart_lsn only moves forward, except to "none" when it is
 * invalidated. A slot is active for at most one pid. Temporary slots are never written to disk. A
 * persistent slot's directory exists with a valid state file from the moment its creation returns
 * until its drop returns.
 *
 * <p><b>Crash safety.</b> Creation makes the directory and then writes the state file through the
 * durable rename; drop removes the state file and then the directory. A directory without a state
 * file (a crash in between) is removed at restore; a corrupt state file stops the start with a
 * message naming it.
 */
public final class ReplicationSlots {
  private static final Logger log = LoggerFactory.getLogger(ReplicationSlots.class);

  /** NAMEDATALEN. */
  static final int NAMEDATALEN = 64;

  private static final String NAME_HINT =
      "Replication slot names may only contain lower case letters, numbers, and the underscore"
          + " character.";

  private final Path dir;
  private final DurableFiles durable;
  private final int max;
  private final WalRetention retention;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private final Map<String, ReplicationSlot> slots = new LinkedHashMap<>(); // guarded by lock

  private ReplicationSlots(Path dir, DurableFiles durable, int max, WalRetention retention) {
    this.dir = dir;
    this.durable = durable;
    this.max = max;
    this.retention = retention;
  }

  /**
   * Reads every slot in {@code dir} ({@code pg_replslot}, made if missing). Leftovers of an
   * interrupted create or drop (a directory without a state file, {@code *.tmp}) are removed.
   *
   * @param max {@code max_replication_slots}
   * @param retention the removal lock that WAL reservations take
   */
  public static ReplicationSlots restore(
      Path dir, DurableFiles durable, int max, WalRetention retention) throws SlotStoreException {
    ReplicationSlots t = new ReplicationSlots(dir, durable, max, retention);
    try {
      durable.durableMkdirs(dir);
      List<Path> entries;
      try (Stream<Path> s = Files.list(dir)) {
        entries = s.sorted().toList();
      }
      for (Path p : entries) {
        t.restoreOne(p);
      }
    } catch (IOException e) {
      throw new SlotStoreException(
          "could not read replication slots in \"" + dir + "\": " + e.getMessage(),
          "Check the directory's permissions.",
          e);
    }
    if (t.slots.size() > max) {
      throw new SlotStoreException(
          "too many replication slots active before shutdown",
          "Increase max_replication_slots (" + max + ") and try again.",
          null);
    }
    return t;
  }

  private void restoreOne(Path p) throws IOException, SlotStoreException {
    String n = p.getFileName().toString();
    if (!Files.isDirectory(p) || n.endsWith(".tmp")) {
      log.warn("removing leftover \"{}\" in pg_replslot", n);
      deleteTree(p);
      return;
    }
    Path file = p.resolve(SlotStateFile.FILE_NAME);
    SlotStateFile.ReadResult r = SlotStateFile.read(durable, file);
    switch (r) {
      case SlotStateFile.ReadResult.Missing m -> {
        // creation crashed before the state file was in place, or drop after it was removed
        log.warn("removing replication slot directory \"{}\" without a state file", n);
        deleteTree(p);
      }
      case SlotStateFile.ReadResult.Corrupt c ->
          throw new SlotStoreException(
              "replication slot file \"" + c.file() + "\" is corrupt: " + c.reason(),
              "The slot's state cannot be trusted. Remove the directory \""
                  + p
                  + "\" to drop the slot (whoever streamed through it must then be set up"
                  + " again), or restore the file from a backup.",
              null);
      case SlotStateFile.ReadResult.Valid v -> {
        SlotState s = v.state();
        if (!s.name().equals(n)) {
          throw new SlotStoreException(
              "replication slot file \"" + file + "\" names slot \"" + s.name() + "\"",
              "Remove or rename the directory \"" + p + "\".",
              null);
        }
        ReplicationSlot slot = new ReplicationSlot(s.name(), false, s.restartLsn());
        slot.xmin = s.xmin();
        slot.invalidatedAt = s.invalidatedAt();
        slot.persisted = s;
        slots.put(s.name(), slot);
        log.debug("restored replication slot \"{}\" at {}", s.name(), s.restartLsn());
      }
    }
  }

  /**
   * The state file of slot {@code name} in {@code dir} as it is on disk now (tools and tests, like
   * pg_controldata for the control file); empty if there is none or it does not check out.
   */
  public static Optional<SlotState> readStateFile(Path dir, String name, DurableFiles durable)
      throws IOException {
    return SlotStateFile.read(durable, dir.resolve(name).resolve(SlotStateFile.FILE_NAME))
            instanceof SlotStateFile.ReadResult.Valid v
        ? Optional.of(v.state())
        : Optional.empty();
  }

  // ------------------------------------------------------------------------------ names

  /** PostgreSQL's ReplicationSlotValidateName, at ERROR. */
  public static void validateName(String name) throws SlotException {
    if (name.isEmpty()) {
      throw new SlotException("42602", "replication slot name \"" + name + "\" is too short");
    }
    if (name.length() >= NAMEDATALEN) {
      throw new SlotException("42622", "replication slot name \"" + name + "\" is too long");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        throw new SlotException(
            "42602",
            "replication slot name \"" + name + "\" contains invalid character",
            null,
            NAME_HINT);
      }
    }
  }

  // ------------------------------------------------------------------------------ create, drop

  /**
   * Creates a physical slot. A persistent one is on disk when this returns and is left inactive; a
   * temporary one stays active for {@code pid} until that connection ends.
   *
   * @param reserveAt if present, reserve WAL from what it returns (the last checkpoint's redo
   *     point), read while no WAL removal runs, so the next removal keeps it
   */
  public ReplicationSlot create(
      String name, boolean temporary, int pid, Optional<Supplier<Lsn>> reserveAt)
      throws SlotException, IOException {
    validateName(name);
    if (max == 0) {
      throw new SlotException(
          "55000", "replication slots can only be used if max_replication_slots > 0");
    }
    CreateStep step =
        retention.whileNoRemoval(() -> {
          lock.lock();
          try {
            if (slots.containsKey(name)) {
              return new Refused(
                  new SlotException("42710", "replication slot \"" + name + "\" already exists"));
            }
            if (slots.size() >= max) {
              return new Refused(
                  new SlotException(
                      "53400",
                      "all replication slots are in use",
                      null,
                      "Free one or increase max_replication_slots."));
            }
            Lsn restart = reserveAt.map(Supplier::get).orElse(Lsn.INVALID);
            ReplicationSlot s = new ReplicationSlot(name, temporary, restart);
            s.activePid = pid; // ours while it is being made
            slots.put(name, s);
            return new Made(s);
          } finally {
            lock.unlock();
          }
        });
    ReplicationSlot slot =
        switch (step) {
          case Made m -> m.slot();
          case Refused r -> throw r.refusal();
        };
    if (!temporary) {
      try {
        slot.io.lock();
        try {
          Path slotDir = dir.resolve(name);
          durable.durableMkdirs(slotDir);
          SlotState s = snapshotState(slot);
          SlotStateFile.write(durable, slotDir.resolve(SlotStateFile.FILE_NAME), s);
          markPersisted(slot, s);
        } finally {
          slot.io.unlock();
        }
      } catch (IOException e) {
        lock.lock();
        try {
          slots.remove(name);
          slot.dropped = true;
          released.signalAll();
        } finally {
          lock.unlock();
        }
        throw e;
      }
      release(slot);
    }
    log.debug(
        "created {}replication slot \"{}\" at {}",
        temporary ? "temporary " : "",
        name,
        slot.restartLsn);
    return slot;
  }

  private sealed interface CreateStep {}

  private record Made(ReplicationSlot slot) implements CreateStep {}

  private record Refused(SlotException refusal) implements CreateStep {}

  /**
   * Drops a slot. In use by another connection: 55006, or with {@code wait} blocks until it is
   * released (on the release condition, not by polling) and then drops it.
   */
  public void drop(String name, boolean wait, int pid)
      throws SlotException, IOException, InterruptedException {
    ReplicationSlot slot;
    lock.lock();
    try {
      while (true) {
        slot = slots.get(name);
        if (slot == null) {
          throw SlotException.missing(name);
        }
        if (slot.activePid == 0 || slot.activePid == pid) {
          break;
        }
        if (!wait) {
          throw SlotException.active(name, slot.activePid);
        }
        released.await();
      }
      slot.activePid = pid; // ours while its files go
    } finally {
      lock.unlock();
    }
    dropAcquired(slot);
  }

  private void dropAcquired(ReplicationSlot slot) throws IOException {
    slot.io.lock();
    try {
      if (!slot.temporary()) {
        Path slotDir = dir.resolve(slot.name());
        durable.durableDelete(slotDir.resolve(SlotStateFile.FILE_NAME));
        Files.deleteIfExists(slotDir.resolve(SlotStateFile.FILE_NAME + ".tmp"));
        Files.deleteIfExists(slotDir);
        durable.fsyncDirectory(dir);
      }
    } finally {
      lock.lock();
      try {
        slot.dropped = true;
        slots.remove(slot.name());
        slot.activePid = 0;
        released.signalAll();
      } finally {
        lock.unlock();
      }
      slot.io.unlock();
    }
    log.debug("dropped replication slot \"{}\"", slot.name());
  }

  // ------------------------------------------------------------------------------ use

  /**
   * Makes {@code pid} the slot's user (START_REPLICATION SLOT). 42704 missing, 55006 in use by
   * another connection. {@code onInvalidate} runs (under the table lock: it must only wake the
   * user) if {@code max_slot_wal_keep_size} invalidates the slot while it is in use.
   */
  public ReplicationSlot acquire(String name, int pid, Runnable onInvalidate) throws SlotException {
    lock.lock();
    try {
      ReplicationSlot s = slots.get(name);
      if (s == null) {
        throw SlotException.missing(name);
      }
      if (s.activePid != 0 && s.activePid != pid) {
        throw SlotException.active(name, s.activePid);
      }
      s.activePid = pid;
      s.onInvalidate = onInvalidate;
      return s;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends a use: a persistent slot becomes inactive (waking DROP … WAIT) and its state is written if
   * it changed; a temporary slot stays with its connection.
   */
  public void release(ReplicationSlot s) throws IOException {
    lock.lock();
    try {
      s.onInvalidate = null;
      if (!s.temporary()) {
        s.activePid = 0;
        released.signalAll();
      }
    } finally {
      lock.unlock();
    }
    save(s);
  }

  /** A connection ended: its temporary slots are dropped, anything it still used is released. */
  public void connectionEnded(int pid) {
    List<ReplicationSlot> mine = new ArrayList<>();
    lock.lock();
    try {
      for (ReplicationSlot s : slots.values()) {
        if (s.activePid == pid) {
          mine.add(s);
        }
      }
    } finally {
      lock.unlock();
    }
    for (ReplicationSlot s : mine) {
      try {
        if (s.temporary()) {
          dropAcquired(s);
        } else {
          release(s);
        }
      } catch (IOException e) {
        log.warn("could not release replication slot \"{}\": {}", s.name(), e.toString());
      }
    }
  }

  /**
   * A flush position reported by the slot's standby: restart_lsn moves to it if it is ahead (never
   * back; nothing after an invalidation). Written to disk lazily (checkpoint, release).
   */
  public void confirmFlush(ReplicationSlot s, Lsn flush) {
    if (!flush.isValid()) {
      return;
    }
    lock.lock();
    try {
      if (!s.invalidatedAt.isValid() && (!s.restartLsn.isValid() || flush.isAfter(s.restartLsn))) {
        s.restartLsn = flush;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The first stream through a slot that reserved nothing: its WAL is held from the start position
   * on (taken while no removal runs, so the next removal keeps it).
   */
  public void reserveIfUnreserved(ReplicationSlot s, Lsn start) {
    retention.whileNoRemoval(() -> {
      lock.lock();
      try {
        if (!s.restartLsn.isValid() && !s.invalidatedAt.isValid() && start.isValid()) {
          s.restartLsn = start;
        }
      } finally {
        lock.unlock();
      }
      return null;
    });
  }

  /**
   * pg_replication_slot_advance for a physical slot: restart_lsn moves to {@code target}, capped at
   * {@code limit} (the flush position) and never back; the slot is in use meanwhile (55006 if
   * another connection has it) and written when released. Returns the new restart_lsn.
   */
  public Lsn advance(String name, Lsn target, Lsn limit, int pid)
      throws SlotException, IOException {
    if (!target.isValid()) {
      throw new SlotException("22023", "invalid target WAL LSN");
    }
    ReplicationSlot s = acquire(name, pid, null);
    Lsn now;
    try {
      lock.lock();
      try {
        if (!s.restartLsn.isValid()) {
          throw new SlotException(
              "55000",
              "replication slot \"" + name + "\" cannot be advanced",
              "This slot has never previously reserved WAL, or it has been invalidated.",
              null);
        }
        Lsn moveTo = Lsn.min(target, limit);
        if (moveTo.isAfter(s.restartLsn)) {
          s.restartLsn = moveTo;
        }
        now = s.restartLsn;
      } finally {
        lock.unlock();
      }
    } finally {
      release(s);
    }
    return now;
  }

  /** Hot standby feedback: the standby's xmin (invalid to clear it). */
  public void feedbackXmin(ReplicationSlot s, Xid xmin) {
    lock.lock();
    try {
      s.xmin = xmin;
    } finally {
      lock.unlock();
    }
  }

  /** Lost: invalidated by {@code max_slot_wal_keep_size}. */
  public boolean isLost(ReplicationSlot s) {
    lock.lock();
    try {
      return s.invalidatedAt.isValid();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------ reading

  /** Every slot, in creation order. */
  public List<SlotRow> rows() {
    lock.lock();
    try {
      List<SlotRow> out = new ArrayList<>(slots.size());
      for (ReplicationSlot s : slots.values()) {
        out.add(row(s));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  public Optional<SlotRow> row(String name) {
    lock.lock();
    try {
      ReplicationSlot s = slots.get(name);
      return s == null ? Optional.empty() : Optional.of(row(s));
    } finally {
      lock.unlock();
    }
  }

  private static SlotRow row(ReplicationSlot s) {
    return new SlotRow(s.name(), s.temporary(), s.activePid, s.xmin, s.restartLsn, s.invalidatedAt);
  }

  /**
   * The oldest WAL any slot holds. For a persistent slot the older of its written and its current
   * restart_lsn, so that WAL a crash-restored slot would point at is never removed.
   */
  Optional<Lsn> minimumRestartLsn() {
    lock.lock();
    try {
      Lsn min = null;
      for (ReplicationSlot s : slots.values()) {
        Lsn l = s.restartLsn;
        if (s.persisted != null && s.persisted.restartLsn().isValid()) {
          l = l.isValid() ? Lsn.min(l, s.persisted.restartLsn()) : s.persisted.restartLsn();
        }
        if (l.isValid() && (min == null || l.isBefore(min))) {
          min = l;
        }
      }
      return Optional.ofNullable(min);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Invalidates every slot holding WAL before {@code oldestKept} (PostgreSQL's
   * InvalidateObsoleteReplicationSlots): restart_lsn becomes none, invalidated_at records it, the
   * user (if any) is woken to end its stream, and the state is written at once.
   */
  boolean invalidateBefore(Lsn oldestKept) throws IOException {
    List<ReplicationSlot> hit = new ArrayList<>();
    lock.lock();
    try {
      for (ReplicationSlot s : slots.values()) {
        if (s.restartLsn.isValid() && s.restartLsn.isBefore(oldestKept)) {
          if (s.activePid != 0) {
            log.info(
                "terminating process {} to release replication slot \"{}\"", s.activePid, s.name());
            if (s.onInvalidate != null) {
              s.onInvalidate.run();
            }
          }
          log.info(
              "invalidating slot \"{}\" because its restart_lsn {} exceeds"
                  + " max_slot_wal_keep_size",
              s.name(),
              s.restartLsn);
          s.invalidatedAt = s.restartLsn;
          s.restartLsn = Lsn.INVALID;
          hit.add(s);
        }
      }
    } finally {
      lock.unlock();
    }
    for (ReplicationSlot s : hit) {
      save(s);
    }
    return !hit.isEmpty();
  }

  // ------------------------------------------------------------------------------ saving

  /** Writes every persistent slot whose state changed (checkpoint, shutdown). */
  public void saveAll() throws IOException {
    List<ReplicationSlot> all;
    lock.lock();
    try {
      all = new ArrayList<>(slots.values());
    } finally {
      lock.unlock();
    }
    for (ReplicationSlot s : all) {
      save(s);
    }
  }

  private void save(ReplicationSlot s) throws IOException {
    if (s.temporary()) {
      return;
    }
    s.io.lock();
    try {
      SlotState state;
      lock.lock();
      try {
        if (!s.dirty() || s.persisted == null) {
          return; // unchanged, dropped, or still being created (creation writes it)
        }
        state = s.state();
      } finally {
        lock.unlock();
      }
      SlotStateFile.write(durable, dir.resolve(s.name()).resolve(SlotStateFile.FILE_NAME), state);
      markPersisted(s, state);
    } finally {
      s.io.unlock();
    }
  }

  private SlotState snapshotState(ReplicationSlot s) {
    lock.lock();
    try {
      return s.state();
    } finally {
      lock.unlock();
    }
  }

  private void markPersisted(ReplicationSlot s, SlotState state) {
    lock.lock();
    try {
      s.persisted = state;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until no slot named {@code name} is active (tests, shutdown); false on timeout. */
  public boolean awaitInactive(String name, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        ReplicationSlot s = slots.get(name);
        if (s == null || s.activePid == 0) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        released.await(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      try (Stream<Path> s = Files.list(p)) {
        for (Path c : s.toList()) {
          deleteTree(c);
        }
      }
    }
    Files.deleteIfExists(p);
  }
}
