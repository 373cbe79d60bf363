package org.walden.sql.parse.ast;

/**
 * A type as written in DDL, a cast or a typed literal, normalised to PostgreSQL's internal type
 * name: {@code integer}/{@code int} become {@code int4}, {@code smallint} {@code int2}, {@code
 * bigint} {@code int8}, {@code boolean} {@code bool}, {@code real} {@code float4}, {@code double
 * precision}/{@code float} {@code float8}, {@code decimal} {@code numeric}, {@code character
 * varying(n)} {@code varchar}, {@code character(n)}/{@code char(n)} {@code bpchar}, {@code
 * timestamp with time zone} {@code timestamptz}. Names the parser does not know (for example {@code
 * text}, {@code bytea}, {@code date}, {@code regclass}) pass through lower-cased; whether they
 * exist is the executor's question.
 *
 * @param name PostgreSQL's internal type name ({@code pg_type.typname})
 * @param precision the first type modifier, or -1: the length of varchar/bpchar, the precision of
 *     numeric, the fractional-second precision of timestamp/time
 * @param scale the second type modifier (numeric's scale), or -1
 */
public record TypeName(String name, int precision, int scale) {

  public static TypeName of(String name) {
    return new TypeName(name, -1, -1);
  }

  public static TypeName of(String name, int precision) {
    return new TypeName(name, precision, -1);
  }
}
