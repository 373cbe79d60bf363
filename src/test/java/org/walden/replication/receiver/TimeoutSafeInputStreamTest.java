package org.walden.replication.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Frames sent over a real loopback socket and read, on a virtual thread as the walreceiver does,
 * with 1 ms read timeouts that keep striking mid-frame: every frame must arrive whole and in order.
 * With {@link java.io.BufferedInputStream} in place of the stream under test this failed within
 * about a hundred frames (a timed-out second socket read inside one buffered read lost the bytes
 * already copied).
 */
class TimeoutSafeInputStreamTest {

  private static final int FRAMES = 3000;

  @Test
  void framesSurviveReadTimeoutsMidFrame() throws Exception {
    long seed = System.nanoTime();
    System.out.println("TimeoutSafeInputStreamTest seed=" + seed);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicReference<Throwable> sendFailure = new AtomicReference<>();
      Thread sender =
          Thread.ofPlatform()
              .start(() -> {
                try (Socket s = server.accept()) {
                  send(s.getOutputStream(), new Random(seed));
                } catch (Throwable t) {
                  sendFailure.set(t);
                }
              });
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread reader =
          Thread.ofVirtual()
              .start(() -> {
                try (Socket c = new Socket(server.getInetAddress(), server.getLocalPort())) {
                  outcome.set(receive(c, new Random(seed)));
                } catch (Throwable t) {
                  outcome.set(t);
                }
              });
      reader.join(120_000);
      sender.join(120_000);
      if (outcome.get() instanceof Throwable t) {
        throw new AssertionError("reader failed (seed " + seed + ")", t);
      }
      assertEquals(null, sendFailure.get(), "sender failed (seed " + seed + ")");
      assertTrue((Integer) outcome.get() > 0, "no read ever timed out mid-stream");
    }
  }

  private static void send(OutputStream out, Random r) throws IOException, InterruptedException {
    for (int i = 0; i < FRAMES; i++) {
      byte[] m = frame(i, r.nextInt(4) == 0 ? 18 : 1 + r.nextInt(131_097));
      if (r.nextInt(8) == 0) {
        // pacing only: a pause longer than the reader's 1 ms timeout, in the middle of a frame
        int cut = r.nextInt(m.length);
        out.write(m, 0, cut);
        out.flush();
        Thread.sleep(2);
        out.write(m, cut, m.length - cut);
      } else {
        out.write(m);
      }
    }
    out.flush();
  }

  private static byte[] frame(int seq, int len) {
    byte[] m = new byte[5 + Math.max(len, 4)];
    ByteBuffer b = ByteBuffer.wrap(m);
    b.put((byte) 'd').putInt(m.length - 1).putInt(seq);
    for (int j = 9; j < m.length; j++) {
      m[j] = (byte) (seq * 31 + j);
    }
    return m;
  }

  /** Returns how many reads timed out. */
  private static int receive(Socket c, Random r) throws IOException {
    InputStream in = new TimeoutSafeInputStream(c.getInputStream(), 64 * 1024);
    int timeouts = 0;
    byte[] header = new byte[5];
    for (int seq = 0; seq < FRAMES; seq++) {
      int hf = 0;
      byte[] body = null;
      int bf = 0;
      while (body == null || bf < body.length) {
        c.setSoTimeout(r.nextInt(3) == 0 ? 1 : 20);
        try {
          if (hf < 5) {
            int n = in.read(header, hf, 5 - hf);
            if (n < 0) {
              throw new EOFException("end of stream at frame " + seq);
            }
            hf += n;
            if (hf == 5) {
              body = new byte[ByteBuffer.wrap(header, 1, 4).getInt() - 4];
            }
          } else {
            int n = in.read(body, bf, body.length - bf);
            if (n < 0) {
              throw new EOFException("end of stream in frame " + seq);
            }
            bf += n;
          }
        } catch (SocketTimeoutException e) {
          timeouts++;
        }
      }
      assertEquals('d', header[0], "type of frame " + seq);
      byte[] expected = frame(seq, body.length);
      for (int j = 0; j < body.length; j++) {
        if (body[j] != expected[j + 5]) {
          throw new AssertionError("frame " + seq + " differs at byte " + j);
        }
      }
    }
    return timeouts;
  }
}
