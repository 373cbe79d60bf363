/**
 * The replication command language of a walsender connection, PostgreSQL 15's {@code
 * repl_scanner.l} and {@code repl_gram.y}: {@link
 * org.walden.replication.command.ReplicationCommandParser} turns one simple-Query string into a
 * {@link org.walden.replication.command.ReplicationCommand}, reports "not a replication command"
 * (the first token is no command keyword) as an empty result, and any malformed command as a {@link
 * org.walden.replication.command.ReplicationCommandException} with PostgreSQL's SQLSTATE and
 * message.
 *
 * <p>Pure functions; no threads, no shared state. Executing the commands is the walsender session's
 * job ({@code org.walden.server.ReplicationSession}).
 */
package org.walden.replication.command;
