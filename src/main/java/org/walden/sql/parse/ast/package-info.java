/**
 * The syntax tree the parser produces: sealed interfaces ({@link
 * org.walden.sql.parse.ast.Statement}, {@link org.walden.sql.parse.ast.Expr}, {@link
 * org.walden.sql.parse.ast.SelectItem}, {@link org.walden.sql.parse.ast.FromItem}) with record
 * implementations, so the executor can switch over them exhaustively and tests can compare whole
 * trees with {@code equals}.
 *
 * <h2>Conventions</h2>
 *
 * <ul>
 *   <li>Immutable: lists are unmodifiable copies; trees may be cached (prepared statements) and
 *       shared between sessions and threads without locking.
 *   <li>Optional parts are {@code null}, and each such component says so in its javadoc; lists are
 *       empty, never null.
 *   <li>Names are already case-folded; types are normalised to PostgreSQL's internal names ({@link
 *       org.walden.sql.parse.ast.TypeName}); string constants are already unescaped.
 *   <li>No positions are kept in the tree: errors found later (unknown table or column) are
 *       reported without a position, which PostgreSQL clients accept. {@code ParsedStatement} keeps
 *       each statement's source span.
 *   <li>{@link org.walden.sql.parse.ast.Statement#commandTag()} tells the command tag without
 *       executing.
 * </ul>
 */
package org.walden.sql.parse.ast;
