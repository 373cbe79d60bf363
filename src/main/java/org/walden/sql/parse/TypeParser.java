package org.walden.sql.parse;

import org.walden.sql.parse.ast.TypeName;

/**
 * Type names: the SQL-standard spellings PostgreSQL turns into its internal names ({@code double
 * precision} → {@code float8}, {@code character varying(n)} → {@code varchar}, {@code timestamp
 * with time zone} → {@code timestamptz} …) and plain names ({@code text}, {@code int4}, {@code
 * pg_catalog.bytea}) that pass through. Arrays are rejected with 0A000.
 */
final class TypeParser {

  private final Cursor c;

  TypeParser(Cursor c) {
    this.c = c;
  }

  /** Whether a type name can start with this key word (the SQL-standard type spellings). */
  static boolean startsKeywordType(Keyword k) {
    return switch (k) {
      case INT,
          INTEGER,
          SMALLINT,
          BIGINT,
          REAL,
          FLOAT,
          DOUBLE,
          DEC,
          DECIMAL,
          NUMERIC,
          BOOLEAN,
          CHAR,
          CHARACTER,
          NCHAR,
          NATIONAL,
          VARCHAR,
          TIMESTAMP,
          TIME,
          INTERVAL,
          BIT ->
          true;
      default -> false;
    };
  }

  /** A type spelled as a plain name, e.g. in {@code int4 '5'}. */
  static TypeName genericType(String name) {
    return TypeName.of(name);
  }

  TypeName typeName() {
    TypeName type = baseType();
    if (c.at(Tokens.LBRACKET) || c.at(Keyword.ARRAY)) {
      throw c.unsupported("array types");
    }
    return type;
  }

  private TypeName baseType() {
    Keyword k = c.kw();
    if (k != null && startsKeywordType(k)) {
      int at = c.pos;
      c.pos++;
      switch (k) {
        case INT, INTEGER -> {
          return TypeName.of("int4");
        }
        case SMALLINT -> {
          return TypeName.of("int2");
        }
        case BIGINT -> {
          return TypeName.of("int8");
        }
        case REAL -> {
          return TypeName.of("float4");
        }
        case BOOLEAN -> {
          return TypeName.of("bool");
        }
        case DOUBLE -> {
          c.expect(Keyword.PRECISION);
          return TypeName.of("float8");
        }
        case FLOAT -> {
          int p = optionalModifier();
          if (p == -1) {
            return TypeName.of("float8");
          }
          if (p < 1 || p > 53) {
            throw c.errorAt(
                at + 2, SqlParseException.SYNTAX_ERROR, "precision for type float must be 1 to 53");
          }
          return TypeName.of(p <= 24 ? "float4" : "float8");
        }
        case DEC, DECIMAL, NUMERIC -> {
          return numericModifiers("numeric");
        }
        case CHAR, CHARACTER, NCHAR -> {
          return character();
        }
        case NATIONAL -> {
          if (!c.accept(Keyword.CHARACTER)) {
            c.expect(Keyword.CHAR);
          }
          return character();
        }
        case VARCHAR -> {
          return TypeName.of("varchar", optionalModifier());
        }
        case TIMESTAMP -> {
          return temporal("timestamp", "timestamptz");
        }
        case TIME -> {
          return temporal("time", "timetz");
        }
        case INTERVAL -> {
          if (c.at(Tokens.LPAREN)) {
            throw c.unsupported("interval precision");
          }
          return TypeName.of("interval");
        }
        case BIT -> throw c.unsupportedAt(at, "type bit");
        default -> throw new IllegalStateException("type key word without a case: " + k);
      }
    }
    if (!c.atLabel() || (k != null && k.category == Keyword.Category.RESERVED)) {
      throw c.syntaxError();
    }
    String name = c.name(c.pos++);
    if (c.accept(Tokens.DOT)) {
      String second = c.label();
      // pg_catalog is where every built-in type lives; any other schema is a user type
      name = name.equals("pg_catalog") ? second : name + "." + second;
    }
    if (c.at(Tokens.LPAREN)) {
      return numericModifiers(name);
    }
    return TypeName.of(name);
  }

  private TypeName character() {
    if (c.accept(Keyword.VARYING)) {
      return TypeName.of("varchar", optionalModifier());
    }
    int n = optionalModifier();
    return TypeName.of("bpchar", n == -1 ? 1 : n);
  }

  private TypeName temporal(String plain, String withZone) {
    int p = optionalModifier();
    if (c.at(Keyword.WITH) && c.kw(1) == Keyword.TIME) {
      c.pos += 2;
      c.expect(Keyword.ZONE);
      return TypeName.of(withZone, p);
    }
    if (c.accept(Keyword.WITHOUT)) {
      c.expect(Keyword.TIME);
      c.expect(Keyword.ZONE);
    }
    return TypeName.of(plain, p);
  }

  /** {@code (n)} if present, else -1. */
  private int optionalModifier() {
    if (!c.accept(Tokens.LPAREN)) {
      return -1;
    }
    int n = c.smallInt();
    c.expect(Tokens.RPAREN);
    return n;
  }

  private TypeName numericModifiers(String name) {
    if (!c.accept(Tokens.LPAREN)) {
      return TypeName.of(name);
    }
    int p = c.smallInt();
    int s = -1;
    if (c.accept(Tokens.COMMA)) {
      s = c.smallInt();
    }
    c.expect(Tokens.RPAREN);
    return new TypeName(name, p, s);
  }
}
