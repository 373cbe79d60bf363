package org.walden.sql.parse;

/**
 * The SQL key words the parser looks at, with PostgreSQL's category for each (from its {@code
 * kwlist.h}), which decides where a key word may also serve as a name.
 *
 * <p>The lexer tags each unquoted word with its key word, if any, through {@link #lookup} — a small
 * open-addressing table probed with a case-insensitive hash of the characters in place, so that
 * recognising key words allocates nothing. Words that are key words in PostgreSQL but matter to
 * this parser only as names (most functions such as {@code coalesce}) are deliberately left out, so
 * that they stay ordinary identifiers.
 */
enum Keyword {
  // reserved
  ALL(Category.RESERVED),
  ANALYSE(Category.RESERVED),
  ANALYZE(Category.RESERVED),
  AND(Category.RESERVED),
  ANY(Category.RESERVED),
  ARRAY(Category.RESERVED),
  AS(Category.RESERVED),
  ASC(Category.RESERVED),
  ASYMMETRIC(Category.RESERVED),
  BOTH(Category.RESERVED),
  CASE(Category.RESERVED),
  CAST(Category.RESERVED),
  CHECK(Category.RESERVED),
  COLLATE(Category.RESERVED),
  COLUMN(Category.RESERVED),
  CONSTRAINT(Category.RESERVED),
  CREATE(Category.RESERVED),
  CURRENT_CATALOG(Category.RESERVED),
  CURRENT_DATE(Category.RESERVED),
  CURRENT_ROLE(Category.RESERVED),
  CURRENT_TIME(Category.RESERVED),
  CURRENT_TIMESTAMP(Category.RESERVED),
  CURRENT_USER(Category.RESERVED),
  DEFAULT(Category.RESERVED),
  DEFERRABLE(Category.RESERVED),
  DESC(Category.RESERVED),
  DISTINCT(Category.RESERVED),
  DO(Category.RESERVED),
  ELSE(Category.RESERVED),
  END(Category.RESERVED),
  EXCEPT(Category.RESERVED),
  FALSE(Category.RESERVED),
  FETCH(Category.RESERVED),
  FOR(Category.RESERVED),
  FOREIGN(Category.RESERVED),
  FROM(Category.RESERVED),
  GRANT(Category.RESERVED),
  GROUP(Category.RESERVED),
  HAVING(Category.RESERVED),
  IN(Category.RESERVED),
  INITIALLY(Category.RESERVED),
  INTERSECT(Category.RESERVED),
  INTO(Category.RESERVED),
  LATERAL(Category.RESERVED),
  LEADING(Category.RESERVED),
  LIMIT(Category.RESERVED),
  LOCALTIME(Category.RESERVED),
  LOCALTIMESTAMP(Category.RESERVED),
  NOT(Category.RESERVED),
  NULL(Category.RESERVED),
  OFFSET(Category.RESERVED),
  ON(Category.RESERVED),
  ONLY(Category.RESERVED),
  OR(Category.RESERVED),
  ORDER(Category.RESERVED),
  PLACING(Category.RESERVED),
  PRIMARY(Category.RESERVED),
  REFERENCES(Category.RESERVED),
  RETURNING(Category.RESERVED),
  SELECT(Category.RESERVED),
  SESSION_USER(Category.RESERVED),
  SOME(Category.RESERVED),
  SYMMETRIC(Category.RESERVED),
  TABLE(Category.RESERVED),
  THEN(Category.RESERVED),
  TO(Category.RESERVED),
  TRAILING(Category.RESERVED),
  TRUE(Category.RESERVED),
  UNION(Category.RESERVED),
  UNIQUE(Category.RESERVED),
  USER(Category.RESERVED),
  USING(Category.RESERVED),
  VARIADIC(Category.RESERVED),
  WHEN(Category.RESERVED),
  WHERE(Category.RESERVED),
  WINDOW(Category.RESERVED),
  WITH(Category.RESERVED),
  // type or function names, not column names
  AUTHORIZATION(Category.TYPE_FUNC_NAME),
  BINARY(Category.TYPE_FUNC_NAME),
  COLLATION(Category.TYPE_FUNC_NAME),
  CONCURRENTLY(Category.TYPE_FUNC_NAME),
  CROSS(Category.TYPE_FUNC_NAME),
  CURRENT_SCHEMA(Category.TYPE_FUNC_NAME),
  FREEZE(Category.TYPE_FUNC_NAME),
  FULL(Category.TYPE_FUNC_NAME),
  ILIKE(Category.TYPE_FUNC_NAME),
  INNER(Category.TYPE_FUNC_NAME),
  IS(Category.TYPE_FUNC_NAME),
  ISNULL(Category.TYPE_FUNC_NAME),
  JOIN(Category.TYPE_FUNC_NAME),
  LEFT(Category.TYPE_FUNC_NAME),
  LIKE(Category.TYPE_FUNC_NAME),
  NATURAL(Category.TYPE_FUNC_NAME),
  NOTNULL(Category.TYPE_FUNC_NAME),
  OUTER(Category.TYPE_FUNC_NAME),
  OVERLAPS(Category.TYPE_FUNC_NAME),
  RIGHT(Category.TYPE_FUNC_NAME),
  SIMILAR(Category.TYPE_FUNC_NAME),
  TABLESAMPLE(Category.TYPE_FUNC_NAME),
  VERBOSE(Category.TYPE_FUNC_NAME),
  // column names, not function or type names (the type words are here)
  BETWEEN(Category.COL_NAME),
  BIGINT(Category.COL_NAME),
  BIT(Category.COL_NAME),
  BOOLEAN(Category.COL_NAME),
  CHAR(Category.COL_NAME),
  CHARACTER(Category.COL_NAME),
  DEC(Category.COL_NAME),
  DECIMAL(Category.COL_NAME),
  EXISTS(Category.COL_NAME),
  FLOAT(Category.COL_NAME),
  INT(Category.COL_NAME),
  INTEGER(Category.COL_NAME),
  INTERVAL(Category.COL_NAME),
  NATIONAL(Category.COL_NAME),
  NCHAR(Category.COL_NAME),
  NUMERIC(Category.COL_NAME),
  PRECISION(Category.COL_NAME),
  REAL(Category.COL_NAME),
  ROW(Category.COL_NAME),
  SMALLINT(Category.COL_NAME),
  TIME(Category.COL_NAME),
  TIMESTAMP(Category.COL_NAME),
  VALUES(Category.COL_NAME),
  VARCHAR(Category.COL_NAME),
  // unreserved: usable as any name
  ABORT(Category.UNRESERVED),
  ADD(Category.UNRESERVED),
  ALTER(Category.UNRESERVED),
  AT(Category.UNRESERVED),
  BEGIN(Category.UNRESERVED),
  BY(Category.UNRESERVED),
  CASCADE(Category.UNRESERVED),
  CHAIN(Category.UNRESERVED),
  CHARACTERISTICS(Category.UNRESERVED),
  COMMIT(Category.UNRESERVED),
  COMMITTED(Category.UNRESERVED),
  CONFLICT(Category.UNRESERVED),
  CONNECTION(Category.UNRESERVED),
  CONTINUE(Category.UNRESERVED),
  COPY(Category.UNRESERVED),
  CSV(Category.UNRESERVED),
  CURRENT(Category.UNRESERVED),
  DELETE(Category.UNRESERVED),
  DELIMITER(Category.UNRESERVED),
  DOUBLE(Category.UNRESERVED),
  DROP(Category.UNRESERVED),
  ENCRYPTED(Category.UNRESERVED),
  ESCAPE(Category.UNRESERVED),
  FILTER(Category.UNRESERVED),
  FIRST(Category.UNRESERVED),
  FORCE(Category.UNRESERVED),
  FORMAT(Category.UNRESERVED),
  HEADER(Category.UNRESERVED),
  IDENTITY(Category.UNRESERVED),
  IF(Category.UNRESERVED),
  INSERT(Category.UNRESERVED),
  ISOLATION(Category.UNRESERVED),
  KEY(Category.UNRESERVED),
  LAST(Category.UNRESERVED),
  LEVEL(Category.UNRESERVED),
  LOCAL(Category.UNRESERVED),
  NAMES(Category.UNRESERVED),
  NEXT(Category.UNRESERVED),
  NO(Category.UNRESERVED),
  NOTHING(Category.UNRESERVED),
  NULLS(Category.UNRESERVED),
  OF(Category.UNRESERVED),
  OVER(Category.UNRESERVED),
  PASSWORD(Category.UNRESERVED),
  QUOTE(Category.UNRESERVED),
  READ(Category.UNRESERVED),
  REPEATABLE(Category.UNRESERVED),
  RESET(Category.UNRESERVED),
  RESTART(Category.UNRESERVED),
  RESTRICT(Category.UNRESERVED),
  ROLE(Category.UNRESERVED),
  ROLLBACK(Category.UNRESERVED),
  ROWS(Category.UNRESERVED),
  SCHEMA(Category.UNRESERVED),
  SERIALIZABLE(Category.UNRESERVED),
  SESSION(Category.UNRESERVED),
  SET(Category.UNRESERVED),
  SHOW(Category.UNRESERVED),
  START(Category.UNRESERVED),
  STDIN(Category.UNRESERVED),
  STDOUT(Category.UNRESERVED),
  TEMP(Category.UNRESERVED),
  TEMPORARY(Category.UNRESERVED),
  TRANSACTION(Category.UNRESERVED),
  TRUNCATE(Category.UNRESERVED),
  UNCOMMITTED(Category.UNRESERVED),
  UNKNOWN(Category.UNRESERVED),
  UNLOGGED(Category.UNRESERVED),
  UNTIL(Category.UNRESERVED),
  UPDATE(Category.UNRESERVED),
  VACUUM(Category.UNRESERVED),
  VALID(Category.UNRESERVED),
  VARYING(Category.UNRESERVED),
  WITHIN(Category.UNRESERVED),
  WITHOUT(Category.UNRESERVED),
  WORK(Category.UNRESERVED),
  WRITE(Category.UNRESERVED),
  ZONE(Category.UNRESERVED);

  /** PostgreSQL's key word categories. */
  enum Category {
    /** Usable as any kind of name. */
    UNRESERVED,
    /** Usable as a column or table name, not as a function or type name. */
    COL_NAME,
    /** Usable as a function or type name, not as a column or table name. */
    TYPE_FUNC_NAME,
    /** Usable only as a column label after AS, or quoted. */
    RESERVED
  }

  final Category category;
  final String text;

  Keyword(Category category) {
    this.category = category;
    this.text = name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the key word may name a table or column (ColId in PostgreSQL's grammar). */
  boolean isColId() {
    return category == Category.UNRESERVED || category == Category.COL_NAME;
  }

  /** Whether the key word may name a function (type_function_name). */
  boolean isFunctionName() {
    return category == Category.UNRESERVED || category == Category.TYPE_FUNC_NAME;
  }

  private static final int MAX_LENGTH = 17; // "current_timestamp"
  private static final int TABLE_BITS = 10;
  private static final Keyword[] SLOTS = new Keyword[1 << TABLE_BITS];

  static {
    for (Keyword k : values()) {
      if (k.text.length() > MAX_LENGTH) {
        throw new AssertionError("raise MAX_LENGTH for " + k);
      }
      int slot = hash(k.text, 0, k.text.length());
      while (SLOTS[slot] != null) {
        slot = (slot + 1) & (SLOTS.length - 1);
      }
      SLOTS[slot] = k;
    }
  }

  private static int hash(CharSequence s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = h * 31 + (s.charAt(i) | 0x20);
    }
    h ^= h >>> 16;
    return (h * 0x9E3779B1) >>> (32 - TABLE_BITS);
  }

  /**
   * The key word spelled by {@code sql[from, to)} in any letter case, or null. Only ASCII letters
   * fold; a word holding other characters is never a key word.
   */
  static Keyword lookup(String sql, int from, int to) {
    int len = to - from;
    if (len < 2 || len > MAX_LENGTH) {
      return null;
    }
    int slot = hash(sql, from, to);
    while (true) {
      Keyword k = SLOTS[slot];
      if (k == null) {
        return null;
      }
      if (k.text.length() == len && sameIgnoringAsciiCase(sql, from, k.text)) {
        return k;
      }
      slot = (slot + 1) & (SLOTS.length - 1);
    }
  }

  private static boolean sameIgnoringAsciiCase(String sql, int from, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      char c = sql.charAt(from + i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
