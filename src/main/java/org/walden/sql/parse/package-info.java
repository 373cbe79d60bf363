/**
 * The SQL parser: query text in, immutable syntax trees ({@link org.walden.sql.parse.ast}) out, or
 * a {@link org.walden.sql.parse.SqlParseException} with PostgreSQL's SQLSTATE, message and
 * position.
 *
 * <h2>Purpose</h2>
 *
 * Walden speaks a small PostgreSQL dialect: the DDL, DML, SELECT, transaction, SET/SHOW/RESET,
 * ALTER SYSTEM, COPY, role and maintenance statements that pgbench, pgjdbc, psql and ordinary
 * applications send (issue 3 lists them). The parser is hand-written because it sits on the path of
 * every simple query and every Parse message: a statement like pgbench's {@code UPDATE
 * pgbench_accounts SET abalance = abalance + -4213 WHERE aid = 774422} must parse in about a
 * microsecond (see {@code ParseBench}), where the general parsers we measured spend 50 µs and more
 * (docs/dependencies.md, need 1). Everything outside the dialect fails <em>cleanly</em>: a
 * construct PostgreSQL has but Walden lacks (joins, subqueries, set operations, window functions,
 * CREATE INDEX, WITH, savepoints …) is {@code 0A000 feature_not_supported} "… is not supported" at
 * its first token; anything PostgreSQL would not accept either is {@code 42601} "syntax error at or
 * near "tok"" (or "at end of input") with PostgreSQL's wording.
 *
 * <h2>Data flow</h2>
 *
 * <pre>
 *   String ──{@link org.walden.sql.parse.Lexer}──▶ Tokens (int kind, start, end, key word; no substrings)
 *          ──{@link org.walden.sql.parse.StatementParser}──▶ Query/Ddl/UtilityParser ─┐
 *                                        ExprParser, TypeParser ◀──────────────┘
 *          ──▶ List&lt;{@link org.walden.sql.parse.ParsedStatement}&gt; (Statement + source span)
 * </pre>
 *
 * The whole query string is lexed once; statements are the token runs between {@code ;} tokens.
 * Like PostgreSQL, {@link org.walden.sql.parse.SqlParser#parseAll} parses every statement before
 * returning, so one bad statement in a simple-query string means none runs. Empty statements are
 * dropped. Names are folded as PostgreSQL folds them (unquoted ASCII to lower case); strings are
 * decoded ({@code ''}, {@code E'\n'}, {@code $$…$$}); constants keep their literal form and get
 * their types in the executor. A minus sign before a numeric constant is folded into it.
 *
 * <h2>Threads and shared state</h2>
 *
 * None. Every call builds its own token arrays and cursor; the only shared data is the immutable
 * key word table in {@link org.walden.sql.parse.Keyword}. Callers may parse from any number of
 * session threads at once, and may share the resulting trees.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Every input either yields trees or throws {@code SqlParseException} — never another
 *       exception, never a hang ({@code SqlParserFuzzTest} holds the parser to this over random
 *       token soups and mutated statements).
 *   <li>Error positions are 1-based counts of Unicode code points in the whole query string, the
 *       start of the offending token, as PostgreSQL's {@code P} field.
 *   <li>Nesting depth is bounded ({@link org.walden.sql.parse.Cursor#MAX_DEPTH}); deeper input gets
 *       {@code 54001} "stack depth limit exceeded" rather than a {@code StackOverflowError}.
 *   <li>The tree holds only what the executor needs; options with no meaning for an in-memory store
 *       (fillfactor, VACUUM FULL, RESTART IDENTITY, DEFERRABLE) are accepted and dropped.
 * </ul>
 *
 * <h2>Failure behaviour</h2>
 *
 * Parsing never changes state, so a failure is just the error response to the client; the session's
 * transaction state machine decides what the error does to the transaction. Semantic checks that
 * need the catalog (does the table exist, do the types match) are not done here.
 *
 * @see <a href="https://www.postgresql.org/docs/15/sql-syntax-lexical.html">PostgreSQL 15: Lexical
 *     Structure</a>
 */
package org.walden.sql.parse;
