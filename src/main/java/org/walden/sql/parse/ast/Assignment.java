package org.walden.sql.parse.ast;

/**
 * {@code column = value} in UPDATE ... SET or ON CONFLICT DO UPDATE SET; the value may be {@link
 * Expr.Default}.
 */
public record Assignment(String column, Expr value) {}
