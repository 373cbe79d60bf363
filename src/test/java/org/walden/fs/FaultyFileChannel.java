package org.walden.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A {@link FileChannel} that forwards to a real one, asking its {@link FaultyFileIo} before every
 * write and force. Writes cut short by a full-disk fault are real short writes: the bytes admitted
 * reach the file, the call returns fewer bytes than offered, and the next write fails. Memory
 * mapping and locks go straight through (writes through a mapping bypass the faults).
 *
 * <p>Lifecycle: created by {@link FaultyFileIo#open}; closing it closes the real channel. Holds no
 * state of its own beyond its two references; thread-safe as the real channel is.
 */
final class FaultyFileChannel extends FileChannel {

  private static final int TRANSFER_CHUNK = 64 * 1024;

  private final FaultyFileIo faults;
  private final Path path;
  private final FileChannel real;

  FaultyFileChannel(FaultyFileIo faults, Path path, FileChannel real) {
    this.faults = faults;
    this.path = path;
    this.real = real;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return real.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return real.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return real.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return writeAdmitted(src, -1);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    return writeAdmitted(src, position);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      if (!srcs[i].hasRemaining()) {
        continue;
      }
      int n;
      try {
        n = write(srcs[i]);
      } catch (IOException e) {
        if (total == 0) {
          throw e;
        }
        return total; // report the short write; the caller's next write sees the failure
      }
      total += n;
      if (srcs[i].hasRemaining()) {
        break;
      }
    }
    return total;
  }

  /** Writes what the fault allows; {@code position} -1 means at the channel's position. */
  private int writeAdmitted(ByteBuffer src, long position) throws IOException {
    int want = src.remaining();
    int allowed = faults.admitWrite(path, want);
    if (allowed == want) {
      return position < 0 ? real.write(src) : real.write(src, position);
    }
    ByteBuffer part = src.duplicate();
    part.limit(part.position() + allowed);
    int n = position < 0 ? real.write(part) : real.write(part, position);
    src.position(src.position() + n);
    return n;
  }

  @Override
  public long position() throws IOException {
    return real.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    real.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return real.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    real.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    faults.beforeForce(path);
    real.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return real.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    // Through our own writes, so a full-disk fault applies to transfers too.
    if (position > size()) {
      return 0;
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
        write(buf, position + done + (n - buf.remaining()));
      }
      done += n;
    }
    return done;
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return real.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return real.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return real.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    real.close();
  }
}
