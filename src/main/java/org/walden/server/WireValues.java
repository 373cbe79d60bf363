package org.walden.server;

/**
 * Conversion between the executor's Java values and PostgreSQL's text and binary wire forms, by
 * type OID. Production binds it to {@code org.walden.sql.exec.PgValues} ({@link PgWireValues}).
 * Thread-safe and stateless.
 */
public interface WireValues {

  byte[] encodeText(Object value, int typeOid);

  byte[] encodeBinary(Object value, int typeOid);

  /** Decodes a parameter or COPY field; throws a client error (22P02 …) for malformed input. */
  Object decodeText(byte[] bytes, int typeOid);

  Object decodeBinary(byte[] bytes, int typeOid);
}
