package org.walden.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link FileIo} that passes everything to another one (normally {@link FileIo#nio()}) but can be
 * armed to fail the way a full or failing disk does: writes to matching files stop with {@code
 * IOException("No space left on device")} after a number of bytes, or forces of matching files (and
 * {@link #syncDirectory} of matching directories) fail with {@code IOException("Input/output
 * error")}. Each fault fires {@link Times#ONCE} (then disarms itself, as when space is freed) or
 * {@link Times#ALWAYS}. A {@code ONCE} force fault is how a test catches a retried fsync: the retry
 * would succeed and hide the failure.
 *
 * <p>Paths are matched as absolute, normalized paths, by a {@link Predicate} or a glob such as
 * {@code "**}{@code /*.tmp"}. Every force and directory sync is logged (failing or not) so tests
 * can count them.
 *
 * <p>Thread-safe: faults and the force log are guarded by {@code this}; the wrapped channels
 * consult this object on every write and force. Arming affects channels already open.
 */
public final class FaultyFileIo implements FileIo {

  /** How often an armed fault fires. */
  public enum Times {
    ONCE,
    ALWAYS
  }

  private record WriteFault(Predicate<Path> matches, long limit, Times times) {}

  private record ForceFault(Predicate<Path> matches, Times times) {}

  private final FileIo delegate;

  /** Guarded by {@code this}. */
  private WriteFault writeFault;

  /** Bytes written to matching files since {@link #writeFault} was armed; guarded by this. */
  private long writtenUnderFault;

  /** Guarded by {@code this}. */
  private ForceFault forceFault;

  /** Every path forced or directory-synced, in call order; guarded by {@code this}. */
  private final List<Path> forceLog = new ArrayList<>();

  public FaultyFileIo(FileIo delegate) {
    this.delegate = delegate;
  }

  /** Matches absolute, normalized paths against a glob ({@code **} crosses directories). */
  public static Predicate<Path> glob(String glob) {
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    return p -> m.matches(normalize(p));
  }

  /**
   * Arms a full disk: writes to files matching {@code glob} succeed for {@code bytes} bytes in
   * total (the write that crosses the limit is cut short there, as a real short write), then fail.
   */
  public FaultyFileIo failWritesAfter(String glob, long bytes, Times times) {
    return failWritesAfter(glob(glob), bytes, times);
  }

  public synchronized FaultyFileIo failWritesAfter(
      Predicate<Path> matches, long bytes, Times times) {
    writeFault = new WriteFault(matches, bytes, times);
    writtenUnderFault = 0;
    return this;
  }

  /** Arms a failing disk: forces of files, and syncs of directories, matching {@code glob} fail. */
  public FaultyFileIo failForce(String glob, Times times) {
    return failForce(glob(glob), times);
  }

  public synchronized FaultyFileIo failForce(Predicate<Path> matches, Times times) {
    forceFault = new ForceFault(matches, times);
    return this;
  }

  /** Removes every armed fault; the force log is kept. */
  public synchronized void disarm() {
    writeFault = null;
    forceFault = null;
  }

  /** How many forces and directory syncs (failed or not) were asked for on matching paths. */
  public int forceCount(String glob) {
    return forceCount(glob(glob));
  }

  public synchronized int forceCount(Predicate<Path> matches) {
    return (int) forceLog.stream().filter(matches).count();
  }

  /** Forgets the forces logged so far (for example those of a test's setup). */
  public synchronized void clearForceLog() {
    forceLog.clear();
  }

  /** A copy of the force log. */
  public synchronized List<Path> forceLog() {
    return List.copyOf(forceLog);
  }

  /**
   * How many of {@code want} bytes a write to {@code path} may put down now; throws ENOSPC if none.
   * Counts the admitted bytes.
   */
  synchronized int admitWrite(Path path, int want) throws IOException {
    WriteFault f = writeFault;
    if (f == null || !f.matches().test(path)) {
      return want;
    }
    long left = f.limit() - writtenUnderFault;
    if (left <= 0) {
      if (f.times() == Times.ONCE) {
        writeFault = null;
      }
      throw new IOException("No space left on device");
    }
    int n = (int) Math.min(want, left);
    writtenUnderFault += n;
    return n;
  }

  /** Logs a force of {@code path} and fails it if a force fault matches. */
  synchronized void beforeForce(Path path) throws IOException {
    Path p = normalize(path);
    forceLog.add(p);
    ForceFault f = forceFault;
    if (f != null && f.matches().test(p)) {
      if (f.times() == Times.ONCE) {
        forceFault = null;
      }
      throw new IOException("Input/output error");
    }
  }

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    return new FaultyFileChannel(this, normalize(path), delegate.open(path, options));
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    delegate.rename(from, to);
  }

  @Override
  public void link(Path existing, Path link) throws IOException {
    delegate.link(existing, link);
  }

  @Override
  public boolean delete(Path path) throws IOException {
    return delegate.delete(path);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    beforeForce(dir);
    delegate.syncDirectory(dir);
  }

  @Override
  public boolean exists(Path path) {
    return delegate.exists(path);
  }

  @Override
  public boolean isDirectory(Path path) {
    return delegate.isDirectory(path);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    delegate.createDirectories(dir);
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  public long size(Path path) throws IOException {
    return delegate.size(path);
  }

  private static Path normalize(Path p) {
    return p.toAbsolutePath().normalize();
  }
}
