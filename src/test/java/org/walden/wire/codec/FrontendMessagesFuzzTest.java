package org.walden.wire.codec;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.walden.wire.codec.FrontendMessage.PasswordMessage;

/**
 * Seeded random fuzzing of the frontend decoders: random bodies and mutations of valid messages
 * must decode or fail with {@link ProtocolViolation}, never any other exception. The seed is in
 * every failure message; set {@code -Dwalden.fuzz.seed=N} to replay.
 */
class FrontendMessagesFuzzTest {
  private static final char[] TYPES = "QPBDECSHXdcfpZFxy\0".toCharArray();
  private static final int ROUNDS = 200_000;

  private static long seed() {
    String s = System.getProperty("walden.fuzz.seed");
    long seed = s != null ? Long.parseLong(s) : new Random().nextLong();
    System.out.println(
        "FrontendMessagesFuzzTest seed " + seed + " (replay: -Dwalden.fuzz.seed=" + seed + ")");
    return seed;
  }

  private static byte[][] seeds() {
    return new byte[][] {
      new Bytes().str("select 1").get(),
      new Bytes().str("S_1").str("select $1, $2").i16(2).i32(23).i32(25).get(),
      new Bytes().str("").str("S_1").i16(1).i16(1).i16(2).i32(4).i32(7).i32(-1).i16(1).i16(1).get(),
      new Bytes().i8('P').str("p").get(),
      new Bytes().str("").i32(0).get(),
      new Bytes().str("SCRAM-SHA-256").i32(8).raw("n,,n=,r=".getBytes()).get(),
    };
  }

  @Test
  void decode_randomAndMutatedBodies_onlyProtocolViolation() {
    long seed = seed();
    Random rnd = new Random(seed);
    byte[][] seeds = seeds();
    for (int i = 0; i < ROUNDS; i++) {
      char type = TYPES[rnd.nextInt(TYPES.length)];
      byte[] body;
      if (rnd.nextBoolean()) {
        body = new byte[rnd.nextInt(40)];
        rnd.nextBytes(body);
      } else {
        body = mutate(seeds[rnd.nextInt(seeds.length)], rnd);
      }
      try {
        FrontendMessage m = FrontendMessages.decode(type, body, body.length);
        if (m instanceof PasswordMessage p) {
          exercisePassword(p);
        }
      } catch (ProtocolViolation expected) {
        // fine
      } catch (RuntimeException e) {
        fail("seed %d round %d type %s: %s", seed, i, type, e, e);
      }
    }
  }

  @Test
  void frameReader_randomStreams_onlyViolationOrEof() {
    long seed = seed();
    Random rnd = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      byte[] stream = new byte[rnd.nextInt(64)];
      rnd.nextBytes(stream);
      FrameReader r = new FrameReader(new ByteArrayInputStream(stream));
      try {
        if (rnd.nextInt(4) == 0) {
          int n = r.readStartupPacket();
          if (n >= 0) {
            StartupPacket.decode(r.buffer(), n);
          }
        } else {
          while (r.readMessage()) {
            FrontendMessages.decode(r);
          }
        }
      } catch (ProtocolViolation | EOFException expected) {
        // fine
      } catch (IOException | RuntimeException e) {
        fail("seed %d round %d: %s", seed, i, e, e);
      }
    }
  }

  private static void exercisePassword(PasswordMessage p) {
    try {
      p.asPassword();
    } catch (ProtocolViolation expected) {
      // fine
    }
    try {
      p.asSaslInitialResponse();
    } catch (ProtocolViolation expected) {
      // fine
    }
  }

  private static byte[] mutate(byte[] in, Random rnd) {
    byte[] b = in.clone();
    int op = rnd.nextInt(4);
    switch (op) {
      case 0 -> {
        if (b.length > 0) {
          b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
      }
      case 1 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
      case 2 -> {
        b = java.util.Arrays.copyOf(b, b.length + 1 + rnd.nextInt(8));
        for (int j = in.length; j < b.length; j++) {
          b[j] = (byte) rnd.nextInt(256);
        }
      }
      default -> {
        for (int k = 0; k < 3 && b.length > 0; k++) {
          b[rnd.nextInt(b.length)] = (byte) (rnd.nextBoolean() ? 0xFF : 0);
        }
      }
    }
    return b;
  }
}
