package org.walden.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory {@link FileIo} that models what survives a power loss, so a test can stop a sequence
 * of file operations between any two steps and look at what recovery would find.
 *
 * <h2>Model</h2>
 *
 * Like a POSIX file system, names point at nodes (inodes), so hard links share content. Every file
 * node has <em>live</em> content (what reads see) and <em>durable</em> content (what survives a
 * crash): {@link FileChannel#force} copies live to durable. Every directory node has a live entry
 * list and a durable one: {@link #syncDirectory} copies live to durable. Create, rename, link and
 * delete change only the live list. After {@link #crash()} the tree is rebuilt from the root by
 * following durable entries only, so a file whose name was never made durable is gone even if its
 * data was forced, and a file reached through a durable name has its durable content even if the
 * name now points elsewhere in the live tree.
 *
 * <p>{@link #crash(CrashMode)} offers two more outcomes a real machine can produce, because the
 * pessimistic one alone is too kind to code that writes in place (nothing unforced survives, so the
 * old content comes back): {@link CrashMode#METADATA_WRITTEN_BACK} (the journal committed every
 * name and every length change, but no unforced data: the zero-length and zero-filled files of ext4
 * {@code data=writeback} and old XFS) and {@link CrashMode#PROCESS_EXIT} (only the process died;
 * the kernel kept everything).
 *
 * <h2>Step budget</h2>
 *
 * {@link #crashAfterSteps} lets the next N mutating operations through (open that creates or
 * truncates, write, truncate, force, rename, link, delete of an existing name, syncDirectory,
 * creation of one directory); the one after, and every operation of any kind after that, throws a
 * {@link SimulatedCrashException} ("simulated crash") without changing anything. Operations that
 * change nothing (a delete of a missing name, reads, lookups) are not steps. Lookups that cannot
 * throw {@link IOException} ({@link #exists}, {@link #isDirectory}) throw {@link
 * UncheckedIOException} once crashed.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe: every operation, including those on its channels, holds this object's monitor, so
 * operations are atomic and totally ordered. No threads of its own. A crash copy is independent of
 * the original; channels of the original keep working on the original.
 *
 * <h2>Limits</h2>
 *
 * Single root, paths are made absolute and normalized; no symbolic links, permissions, times or
 * memory mapping; a file holds at most about 2 GiB. Opening a directory as a channel is refused
 * (use {@link #syncDirectory}).
 */
public final class CrashSimulatingFileIo implements FileIo {

  /** Which of the possible post-crash states {@link #crash(CrashMode)} produces. */
  public enum CrashMode {
    /** Only forced file data and synced directory entries survive: the pessimistic outcome. */
    DURABLE_ONLY,
    /**
     * Every live name and every file length survive, but file bytes only as far as forced: bytes
     * written and never forced read as zeros, and a file truncated and rewritten without a force
     * comes back zero-filled (or empty).
     */
    METADATA_WRITTEN_BACK,
    /** Everything live survives: the process died but the operating system did not. */
    PROCESS_EXIT
  }

  /** What every operation throws once the step budget is spent. */
  public static final class SimulatedCrashException extends IOException {
    SimulatedCrashException() {
      super("simulated crash");
    }
  }

  /** A file or directory node; identity matters (hard links share one node). */
  abstract static sealed class Node permits FileNode, DirNode {}

  static final class FileNode extends Node {
    /** What reads see. */
    SimulatedContent live;

    /** What survives {@link CrashMode#DURABLE_ONLY}: the content at the last force. */
    byte[] durable;

    /**
     * What survives {@link CrashMode#METADATA_WRITTEN_BACK}: the durable bytes, cut to the live
     * length where the file shrank and zero-extended where it grew.
     */
    SimulatedContent metadataView;

    FileNode(byte[] content) {
      live = new SimulatedContent(content);
      durable = content.clone();
      metadataView = new SimulatedContent(content);
    }
  }

  static final class DirNode extends Node {
    /** Sorted so that {@link #list} and crash copies are deterministic. */
    final Map<String, Node> live = new TreeMap<>();

    Map<String, Node> durable = new TreeMap<>();
  }

  private final boolean hardLinks;

  // All mutable state below, and all node state, is guarded by `this`.
  private final DirNode root;
  private long steps;
  private long stepLimit = Long.MAX_VALUE;
  private boolean crashed;

  /** An empty file system (just the root directory) that supports hard links. */
  public CrashSimulatingFileIo() {
    this(true);
  }

  /**
   * An empty file system; with {@code hardLinks} false, {@link #link} throws {@link
   * UnsupportedOperationException}, as on file systems without hard links.
   */
  public CrashSimulatingFileIo(boolean hardLinks) {
    this(hardLinks, new DirNode());
  }

  private CrashSimulatingFileIo(boolean hardLinks, DirNode root) {
    this.hardLinks = hardLinks;
    this.root = root;
  }

  // ---- step budget and crash ----

  /** Allows {@code n} more mutating steps; the one after that crashes. */
  public synchronized void crashAfterSteps(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative step budget " + n);
    }
    stepLimit = Long.MAX_VALUE - steps < n ? Long.MAX_VALUE : steps + n;
  }

  /** The number of mutating steps taken so far. */
  public synchronized long steps() {
    return steps;
  }

  /** True once the step budget was spent and an operation was refused. */
  public synchronized boolean hasCrashed() {
    return crashed;
  }

  /** The file system a power loss now would leave ({@link CrashMode#DURABLE_ONLY}). */
  public CrashSimulatingFileIo crash() {
    return crash(CrashMode.DURABLE_ONLY);
  }

  /**
   * A new, independent file system holding what a crash of the given kind now would leave. Its live
   * and durable states are equal and it has no step budget. Callable after the budget was spent
   * (that is its purpose).
   */
  public synchronized CrashSimulatingFileIo crash(CrashMode mode) {
    Map<Node, Node> copies = new IdentityHashMap<>();
    return new CrashSimulatingFileIo(hardLinks, (DirNode) copy(root, mode, copies));
  }

  private static Node copy(Node n, CrashMode mode, Map<Node, Node> copies) {
    Node done = copies.get(n);
    if (done != null) {
      return done; // a second hard link, or a directory seen through a stale durable entry
    }
    return switch (n) {
      case FileNode f -> {
        byte[] survives =
            switch (mode) {
              case DURABLE_ONLY -> f.durable;
              case METADATA_WRITTEN_BACK -> f.metadataView.toArray();
              case PROCESS_EXIT -> f.live.toArray();
            };
        FileNode c = new FileNode(survives);
        copies.put(f, c);
        yield c;
      }
      case DirNode d -> {
        DirNode c = new DirNode();
        // Registered before the children: stale durable entries can form a cycle.
        copies.put(d, c);
        Map<String, Node> entries = mode == CrashMode.DURABLE_ONLY ? d.durable : d.live;
        for (Map.Entry<String, Node> e : entries.entrySet()) {
          c.live.put(e.getKey(), copy(e.getValue(), mode, copies));
        }
        c.durable = new TreeMap<>(c.live);
        yield c;
      }
    };
  }

  /** Counts one mutating step, or crashes if the budget is spent. Call before changing state. */
  void step() throws SimulatedCrashException {
    checkAlive();
    if (steps >= stepLimit) {
      crashed = true;
      throw new SimulatedCrashException();
    }
    steps++;
  }

  void checkAlive() throws SimulatedCrashException {
    if (crashed) {
      throw new SimulatedCrashException();
    }
  }

  // ---- test conveniences (not steps) ----

  /** The live content of a file. */
  public synchronized byte[] readAllBytes(Path path) throws IOException {
    checkAlive();
    return fileAt(path).live.toArray();
  }

  /** Writes a file and makes it and every directory durable ({@code sync(2)}), for test setup. */
  public synchronized void writeDurably(Path path, byte[] content) throws IOException {
    checkAlive();
    createDirectories(path.toAbsolutePath().normalize().getParent());
    DirNode parent = parentOf(path);
    FileNode f = new FileNode(content);
    parent.live.put(name(path), f);
    syncAll();
  }

  /** Makes every reachable file and directory durable, as {@code sync(2)} would. Not a step. */
  public synchronized void syncAll() {
    syncTree(root, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static void syncTree(Node n, Set<Node> seen) {
    if (!seen.add(n)) {
      return;
    }
    switch (n) {
      case FileNode f -> makeDurable(f);
      case DirNode d -> {
        d.durable = new TreeMap<>(d.live);
        for (Node child : d.live.values()) {
          syncTree(child, seen);
        }
      }
    }
  }

  // ---- file content, for SimulatedFileChannel (caller holds the monitor) ----

  static int writeAt(FileNode f, long pos, ByteBuffer src) throws IOException {
    int n = f.live.write(pos, src);
    if (n > 0) {
      // The length change is metadata; the bytes are not on disk until forced.
      f.metadataView.growTo(pos + n);
    }
    return n;
  }

  static void truncate(FileNode f, long size) {
    f.live.truncate(size);
    f.metadataView.truncate(size);
  }

  static void makeDurable(FileNode f) {
    f.durable = f.live.toArray();
    f.metadataView = new SimulatedContent(f.durable);
  }

  // ---- FileIo ----

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    Set<OpenOption> opts = new HashSet<>(List.of(options));
    boolean append = opts.contains(StandardOpenOption.APPEND);
    boolean write = append || opts.contains(StandardOpenOption.WRITE);
    boolean read = opts.contains(StandardOpenOption.READ) || !write;
    if (append && opts.contains(StandardOpenOption.READ)) {
      throw new IllegalArgumentException("READ + APPEND not allowed");
    }
    if (append && opts.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
      throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
    }
    if (opts.contains(StandardOpenOption.DELETE_ON_CLOSE)) {
      throw new UnsupportedOperationException("DELETE_ON_CLOSE is not simulated");
    }
    // As FileChannel.open: CREATE, CREATE_NEW and TRUNCATE_EXISTING only count when writing.
    boolean createNew = write && opts.contains(StandardOpenOption.CREATE_NEW);
    boolean create = write && (createNew || opts.contains(StandardOpenOption.CREATE));
    boolean truncate = write && opts.contains(StandardOpenOption.TRUNCATE_EXISTING);
    boolean sync =
        opts.contains(StandardOpenOption.SYNC) || opts.contains(StandardOpenOption.DSYNC);
    synchronized (this) {
      checkAlive();
      DirNode parent = parentOf(path);
      String name = name(path);
      Node n = parent.live.get(name);
      FileNode f;
      if (n == null) {
        if (!create) {
          throw new NoSuchFileException(path.toString());
        }
        step();
        f = new FileNode(new byte[0]);
        parent.live.put(name, f);
      } else if (n instanceof FileNode existing) {
        if (createNew) {
          throw new FileAlreadyExistsException(path.toString());
        }
        f = existing;
        if (truncate) {
          step();
          truncate(f, 0);
        }
      } else {
        throw new FileSystemException(path.toString(), null, "Is a directory");
      }
      return new SimulatedFileChannel(this, f, read, write, append, sync);
    }
  }

  @Override
  public synchronized void rename(Path from, Path to) throws IOException {
    checkAlive();
    DirNode fromParent = parentOf(from);
    Node n = fromParent.live.get(name(from));
    if (n == null) {
      throw new NoSuchFileException(from.toString());
    }
    DirNode toParent = parentOf(to);
    Node existing = toParent.live.get(name(to));
    if (n instanceof DirNode) {
      Path a = from.toAbsolutePath().normalize();
      Path b = to.toAbsolutePath().normalize();
      if (b.startsWith(a) && !b.equals(a)) {
        throw new FileSystemException(from.toString(), to.toString(), "Invalid argument");
      }
      if (existing instanceof FileNode) {
        throw new NotDirectoryException(to.toString());
      }
      if (existing instanceof DirNode d && existing != n && !d.live.isEmpty()) {
        throw new DirectoryNotEmptyException(to.toString());
      }
    } else if (existing instanceof DirNode) {
      throw new FileSystemException(to.toString(), null, "Is a directory");
    }
    step();
    if (existing == n) {
      return; // both names are links to one node: POSIX rename does nothing
    }
    fromParent.live.remove(name(from));
    toParent.live.put(name(to), n);
  }

  @Override
  public synchronized void link(Path existing, Path link) throws IOException {
    if (!hardLinks) {
      throw new UnsupportedOperationException("hard links are not supported (simulated)");
    }
    checkAlive();
    Node n = lookup(existing);
    if (n == null) {
      throw new NoSuchFileException(existing.toString());
    }
    if (n instanceof DirNode) {
      throw new FileSystemException(existing.toString(), null, "Operation not permitted");
    }
    DirNode parent = parentOf(link);
    if (parent.live.containsKey(name(link))) {
      throw new FileAlreadyExistsException(link.toString());
    }
    step();
    parent.live.put(name(link), n);
  }

  @Override
  public synchronized boolean delete(Path path) throws IOException {
    checkAlive();
    Node n = lookup(path);
    if (n == null) {
      return false;
    }
    if (n instanceof DirNode d && !d.live.isEmpty()) {
      throw new DirectoryNotEmptyException(path.toString());
    }
    if (n == root) {
      throw new FileSystemException(path.toString(), null, "Device or resource busy");
    }
    step();
    parentOf(path).live.remove(name(path));
    return true;
  }

  @Override
  public synchronized void syncDirectory(Path dir) throws IOException {
    checkAlive();
    Node n = lookup(dir);
    if (n == null) {
      throw new NoSuchFileException(dir.toString());
    }
    if (!(n instanceof DirNode d)) {
      throw new NotDirectoryException(dir.toString());
    }
    step();
    d.durable = new TreeMap<>(d.live);
  }

  @Override
  public synchronized boolean exists(Path path) {
    checkAliveUnchecked();
    return lookup(path) != null;
  }

  @Override
  public synchronized boolean isDirectory(Path path) {
    checkAliveUnchecked();
    return lookup(path) instanceof DirNode;
  }

  @Override
  public synchronized void createDirectories(Path dir) throws IOException {
    checkAlive();
    Path abs = dir.toAbsolutePath().normalize();
    DirNode d = root;
    for (int i = 0; i < abs.getNameCount(); i++) {
      String name = abs.getName(i).toString();
      Node n = d.live.get(name);
      if (n == null) {
        step();
        DirNode created = new DirNode();
        d.live.put(name, created);
        n = created;
      }
      if (!(n instanceof DirNode next)) {
        throw new FileAlreadyExistsException(
            abs.getRoot().resolve(abs.subpath(0, i + 1)).toString());
      }
      d = next;
    }
  }

  @Override
  public synchronized List<String> list(Path dir) throws IOException {
    checkAlive();
    Node n = lookup(dir);
    if (n == null) {
      throw new NoSuchFileException(dir.toString());
    }
    if (!(n instanceof DirNode d)) {
      throw new NotDirectoryException(dir.toString());
    }
    return new ArrayList<>(d.live.keySet());
  }

  @Override
  public synchronized long size(Path path) throws IOException {
    checkAlive();
    Node n = lookup(path);
    if (n == null) {
      throw new NoSuchFileException(path.toString());
    }
    return n instanceof FileNode f ? f.live.length() : 0;
  }

  // ---- path resolution (caller holds the monitor) ----

  private void checkAliveUnchecked() {
    if (crashed) {
      throw new UncheckedIOException(new SimulatedCrashException());
    }
  }

  private Node lookup(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Node n = root;
    for (int i = 0; i < abs.getNameCount(); i++) {
      if (!(n instanceof DirNode d)) {
        return null;
      }
      n = d.live.get(abs.getName(i).toString());
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  private FileNode fileAt(Path path) throws IOException {
    Node n = lookup(path);
    if (n == null) {
      throw new NoSuchFileException(path.toString());
    }
    if (!(n instanceof FileNode f)) {
      throw new FileSystemException(path.toString(), null, "Is a directory");
    }
    return f;
  }

  private DirNode parentOf(Path path) throws IOException {
    Path parent = path.toAbsolutePath().normalize().getParent();
    if (parent == null) {
      throw new FileSystemException(path.toString(), null, "no parent directory");
    }
    Node n = lookup(parent);
    if (n == null) {
      throw new NoSuchFileException(path.toString());
    }
    if (!(n instanceof DirNode d)) {
      throw new NotDirectoryException(parent.toString());
    }
    return d;
  }

  private static String name(Path path) {
    return path.toAbsolutePath().normalize().getFileName().toString();
  }
}
