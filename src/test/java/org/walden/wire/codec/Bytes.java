package org.walden.wire.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A big-endian byte builder for codec tests. */
final class Bytes {
  private final ByteArrayOutputStream b = new ByteArrayOutputStream();

  Bytes i8(int v) {
    b.write(v);
    return this;
  }

  Bytes i16(int v) {
    return i8(v >>> 8).i8(v);
  }

  Bytes i32(int v) {
    return i8(v >>> 24).i8(v >>> 16).i8(v >>> 8).i8(v);
  }

  Bytes str(String s) {
    byte[] x = s.getBytes(StandardCharsets.UTF_8);
    b.write(x, 0, x.length);
    return i8(0);
  }

  Bytes raw(byte[] x) {
    b.write(x, 0, x.length);
    return this;
  }

  byte[] get() {
    return b.toByteArray();
  }

  /** A typed frame around this body. */
  byte[] frame(char type) {
    byte[] body = get();
    return new Bytes().i8(type).i32(body.length + 4).raw(body).get();
  }
}
