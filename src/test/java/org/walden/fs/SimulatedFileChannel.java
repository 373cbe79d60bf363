package org.walden.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.walden.fs.CrashSimulatingFileIo.FileNode;

/**
 * A real {@link FileChannel} on one node of a {@link CrashSimulatingFileIo}. Writes, truncations
 * and forces are steps of the file system's budget; reads only check that it has not crashed.
 *
 * <p>Lifecycle: created by {@link CrashSimulatingFileIo#open}, usable until closed; like an open
 * descriptor it keeps working on its node after the name is renamed or deleted. Every operation
 * holds the file system's monitor, which also guards {@link #position}. {@code transferTo} and
 * {@code transferFrom} move data in chunks and release the monitor around the other channel, so a
 * transfer between two simulated file systems cannot deadlock.
 */
final class SimulatedFileChannel extends FileChannel {

  private static final int TRANSFER_CHUNK = 64 * 1024;

  private final CrashSimulatingFileIo fs;
  private final FileNode file;
  private final boolean readable;
  private final boolean writable;
  private final boolean append;
  private final boolean sync;

  /** Guarded by {@code fs}. */
  private long position;

  SimulatedFileChannel(
      CrashSimulatingFileIo fs,
      FileNode file,
      boolean readable,
      boolean writable,
      boolean append,
      boolean sync) {
    this.fs = fs;
    this.file = file;
    this.readable = readable;
    this.writable = writable;
    this.append = append;
    this.sync = sync;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    synchronized (fs) {
      beginRead();
      int n = file.live.read(position, dst);
      if (n > 0) {
        position += n;
      }
      return n;
    }
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    synchronized (fs) {
      beginRead();
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        int n = file.live.read(position, dsts[i]);
        if (n < 0) {
          return total == 0 ? -1 : total;
        }
        position += n;
        total += n;
        if (dsts[i].hasRemaining()) {
          break;
        }
      }
      return total;
    }
  }

  @Override
  public int read(ByteBuffer dst, long pos) throws IOException {
    checkPosition(pos);
    synchronized (fs) {
      beginRead();
      return file.live.read(pos, dst);
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    synchronized (fs) {
      beginWrite();
      long at = append ? file.live.length() : position;
      int n = CrashSimulatingFileIo.writeAt(file, at, src);
      position = at + n;
      afterWrite();
      return n;
    }
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    synchronized (fs) {
      beginWrite(); // one gathering write is one step, as one writev(2) is one system call
      long at = append ? file.live.length() : position;
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        total += CrashSimulatingFileIo.writeAt(file, at + total, srcs[i]);
      }
      position = at + total;
      afterWrite();
      return total;
    }
  }

  @Override
  public int write(ByteBuffer src, long pos) throws IOException {
    checkPosition(pos);
    synchronized (fs) {
      beginWrite();
      int n = CrashSimulatingFileIo.writeAt(file, pos, src);
      afterWrite();
      return n;
    }
  }

  @Override
  public long position() throws IOException {
    synchronized (fs) {
      ensureOpen();
      return position;
    }
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    checkPosition(newPosition);
    synchronized (fs) {
      ensureOpen();
      position = newPosition;
      return this;
    }
  }

  @Override
  public long size() throws IOException {
    synchronized (fs) {
      ensureOpen();
      fs.checkAlive();
      return file.live.length();
    }
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    checkPosition(size);
    synchronized (fs) {
      beginWrite();
      CrashSimulatingFileIo.truncate(file, size);
      position = Math.min(position, size);
      afterWrite();
      return this;
    }
  }

  @Override
  public void force(boolean metaData) throws IOException {
    synchronized (fs) {
      ensureOpen();
      // Allowed on a read-only channel, as fsync(2) is on an O_RDONLY descriptor.
      fs.step();
      CrashSimulatingFileIo.makeDurable(file);
    }
  }

  @Override
  public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
    checkPosition(pos);
    checkPosition(count);
    long done = 0;
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(TRANSFER_CHUNK, Math.max(1, count)));
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = read(buf, pos + done);
      if (n <= 0) {
        break;
      }
      buf.flip();
      while (buf.hasRemaining()) {
        int w = target.write(buf);
        if (w == 0) {
          return done + (n - buf.remaining()); // non-blocking target is full
        }
      }
      done += n;
    }
    return done;
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long pos, long count) throws IOException {
    checkPosition(pos);
    checkPosition(count);
    if (pos > size()) {
      return 0; // as FileChannel: nothing is transferred past the end
    }
    long done = 0;
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(TRANSFER_CHUNK, Math.max(1, count)));
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = src.read(buf);
      if (n <= 0) {
        break;
      }
      buf.flip();
      while (buf.hasRemaining()) {
        write(buf, pos + done + (n - buf.remaining()));
      }
      done += n;
    }
    return done;
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long pos, long size) {
    throw new UnsupportedOperationException("memory mapping is not simulated");
  }

  @Override
  public FileLock lock(long pos, long size, boolean shared) {
    throw new UnsupportedOperationException("file locks are not simulated");
  }

  @Override
  public FileLock tryLock(long pos, long size, boolean shared) {
    throw new UnsupportedOperationException("file locks are not simulated");
  }

  @Override
  protected void implCloseChannel() {
    // Nothing to release: the node belongs to the file system, and closing never forces.
  }

  private void beginRead() throws IOException {
    ensureOpen();
    if (!readable) {
      throw new NonReadableChannelException();
    }
    fs.checkAlive();
  }

  private void beginWrite() throws IOException {
    ensureOpen();
    if (!writable) {
      throw new NonWritableChannelException();
    }
    fs.step();
  }

  private void afterWrite() {
    if (sync) {
      // SYNC/DSYNC: the write reaches the disk before it returns, within the same step.
      CrashSimulatingFileIo.makeDurable(file);
    }
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
  }

  private static void checkPosition(long p) {
    if (p < 0) {
      throw new IllegalArgumentException("negative position or count " + p);
    }
  }
}
