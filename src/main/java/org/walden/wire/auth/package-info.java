/**
 * Client authentication: hba rules, roles and the password exchanges (PostgreSQL's {@code hba.c},
 * {@code auth.c}, {@code auth-scram.c}, {@code crypt.c}).
 *
 * <h2>Purpose</h2>
 *
 * Decides whether a connection may log in and proves who it is. {@link
 * org.walden.wire.auth.ClientAuthentication} takes the first matching rule of the current {@link
 * org.walden.wire.auth.HbaRules} and runs its method over an {@link
 * org.walden.wire.auth.AuthConversation}.
 *
 * <h2>Threads and shared state</h2>
 *
 * Runs on each session's thread. {@link org.walden.wire.auth.HbaConfig} holds the rules in force in
 * a volatile field: a reload parses the whole file into a new immutable list and swaps it in one
 * write (a session sees the old list or the new one, never a mix); a file that fails to parse
 * leaves the old rules. {@link org.walden.wire.auth.RoleStore} is the SQL/storage layer's catalog,
 * read concurrently.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>First match wins; no match is FATAL 28000 "no pg_hba.conf entry …"; {@code reject} is FATAL
 *       28000 "pg_hba.conf rejects connection …".
 *   <li>A physical replication connection matches only the {@code replication} keyword in the
 *       database column; {@code all} does not match it (a logical one matches like a backend).
 *   <li>Without TLS, {@code hostssl} never matches; {@code SCRAM-SHA-256-PLUS} is never offered,
 *       and a {@code y,,} header is accepted.
 *   <li>Every password failure, whatever its cause (wrong password, unknown role, no secret), is
 *       the same FATAL 28P01 message after the same exchange (mock SCRAM for unknown roles); the
 *       cause goes to the log only.
 *   <li>Secrets are compared with {@code MessageDigest.isEqual} and never printed.
 *   <li>An {@code md5} rule with a SCRAM secret runs SCRAM (md5 against a SCRAM verifier is
 *       impossible), as PostgreSQL does.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * Refusals are FATAL {@link org.walden.wire.PgException}s for the session to send; a client that
 * leaves mid-exchange surfaces as an {@code EOFException}.
 *
 * <p>Not yet: SASLprep of non-ASCII passwords, host names, {@code +group}, {@code @file}, {@code
 * samerole}, and the methods Walden lacks (peer, ident, gss, cert, ldap …) — all refused at parse
 * time, naming the line.
 */
package org.walden.wire.auth;
