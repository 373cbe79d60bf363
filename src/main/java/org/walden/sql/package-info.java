/**
 * Walden's SQL dialect: the hand-written parser ({@code parse}) and the executor over the storage
 * engine ({@code exec}). Nothing here knows the wire protocol; the session layer ({@code
 * org.walden.server}) connects the two.
 */
package org.walden.sql;
