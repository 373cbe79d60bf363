package org.walden.wire.session;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener's table of backends (PostgreSQL's {@code ProcArray} as far as the wire layer needs
 * it): hands out process ids and cancel secrets, finds a backend for a CancelRequest, and counts
 * connection slots against {@code max_connections}.
 *
 * <p>Thread-safe: sessions register and unregister themselves; cancel connections look up.
 */
public final class SessionRegistry {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One registered backend: its id, its secret, its cancel flag. */
  public record Backend(int processId, int secretKey, CancelToken cancel) {}

  private final int maxConnections;
  private final AtomicInteger slotsInUse = new AtomicInteger();
  private final AtomicInteger nextPid = new AtomicInteger(1 + RANDOM.nextInt(30_000));
  private final ConcurrentMap<Integer, Backend> backends = new ConcurrentHashMap<>();

  public SessionRegistry(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  /** Takes a connection slot; false if all {@code max_connections} are in use. */
  public boolean tryReserveSlot() {
    while (true) {
      int n = slotsInUse.get();
      if (n >= maxConnections) {
        return false;
      }
      if (slotsInUse.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void releaseSlot() {
    int n = slotsInUse.decrementAndGet();
    if (n < 0) {
      throw new IllegalStateException("connection slot released twice");
    }
  }

  public int slotsInUse() {
    return slotsInUse.get();
  }

  /** Registers a new backend under a fresh positive pid with a random secret. */
  public Backend register(CancelToken cancel) {
    while (true) {
      int pid = nextPid.getAndUpdate(p -> p >= Integer.MAX_VALUE - 1 ? 1 : p + 1);
      Backend b = new Backend(pid, RANDOM.nextInt(), cancel);
      if (backends.putIfAbsent(pid, b) == null) {
        return b;
      }
    }
  }

  public void unregister(Backend backend) {
    backends.remove(backend.processId(), backend);
  }

  /**
   * Handles a CancelRequest: cancels the backend's running query if pid and secret match. The
   * result is not told to the requester (PostgreSQL answers nothing either way).
   *
   * @return whether a backend was signalled
   */
  public boolean cancel(int processId, int secretKey) {
    Backend b = backends.get(processId);
    if (b == null) {
      return false;
    }
    // constant time, like PostgreSQL's timingsafe comparison of the key
    byte[] want = intBytes(b.secretKey());
    byte[] got = intBytes(secretKey);
    if (!MessageDigest.isEqual(want, got)) {
      return false;
    }
    b.cancel().cancel();
    return true;
  }

  /**
   * pg_terminate_backend: asks the backend to end (see {@link CancelToken#terminate}).
   *
   * @return whether a backend with that pid exists
   */
  public boolean terminate(int processId) {
    Backend b = backends.get(processId);
    if (b == null) {
      return false;
    }
    b.cancel().terminate();
    return true;
  }

  /** pg_cancel_backend: cancels the backend's running query; false if there is no such pid. */
  public boolean cancel(int processId) {
    Backend b = backends.get(processId);
    if (b == null) {
      return false;
    }
    b.cancel().cancel();
    return true;
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
