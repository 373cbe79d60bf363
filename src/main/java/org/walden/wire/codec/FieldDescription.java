package org.walden.wire.codec;

/**
 * One field of a RowDescription: column name, source table OID and attribute number (0 and 0 for
 * computed columns), type OID, type length ({@code typlen}, −1 for varlena), type modifier (−1
 * unless constrained) and format code (0 text, 1 binary).
 */
public record FieldDescription(
    String name,
    int tableOid,
    short attributeNumber,
    int typeOid,
    short typeLength,
    int typeModifier,
    short format) {

  /** A computed text-format column of the given type. */
  public static FieldDescription computed(String name, int typeOid, int typeLength) {
    return new FieldDescription(name, 0, (short) 0, typeOid, (short) typeLength, -1, (short) 0);
  }
}
