package org.walden.server;

import org.walden.sql.exec.PgValues;

/** The production {@link WireValues}: the executor's {@link PgValues}. Stateless. */
public final class PgWireValues implements WireValues {

  @Override
  public byte[] encodeText(Object value, int typeOid) {
    return PgValues.encodeText(value, typeOid);
  }

  @Override
  public byte[] encodeBinary(Object value, int typeOid) {
    return PgValues.encodeBinary(value, typeOid);
  }

  @Override
  public Object decodeText(byte[] bytes, int typeOid) {
    return PgValues.decodeText(bytes, typeOid);
  }

  @Override
  public Object decodeBinary(byte[] bytes, int typeOid) {
    return PgValues.decodeBinary(bytes, typeOid);
  }
}
