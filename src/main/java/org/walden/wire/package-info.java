/**
 * PostgreSQL's frontend/backend protocol v3: the server side of the wire.
 *
 * <h2>Purpose</h2>
 *
 * Lets PostgreSQL clients (psql, pgbench, pgjdbc, pg_receivewal, pg_basebackup) talk to Walden
 * unchanged. This package and its subpackages own everything between the TCP socket and the SQL
 * layer: framing, startup, authentication, the query-protocol rules, cancel, and the error channel.
 * They do <em>not</em> parse SQL or touch storage: a session hands every query to the {@link
 * org.walden.wire.session.QueryHandler} SPI (or, on replication connections, the {@link
 * org.walden.wire.session.ReplicationHandler} SPI), which the SQL layer implements.
 *
 * <h2>Subpackages</h2>
 *
 * <ul>
 *   <li>{@code codec}: frames in ({@code FrameReader}, bounded per message type), frontend messages
 *       decoded into records ({@code FrontendMessages}), backend messages built into one reusable
 *       buffer ({@code MessageWriter}), and {@code ProtocolViolation} (08P01).
 *   <li>{@code auth}: hba.conf rules, the role lookup SPI ({@code RoleStore}), and the trust /
 *       reject / password / md5 / SCRAM-SHA-256 exchanges ({@code ClientAuthentication}).
 *   <li>{@code session}: the {@code Listener}, one {@code Session} per connection, the startup
 *       handshake, the message loop, cancel, and the SPIs the SQL layer implements.
 * </ul>
 *
 * <h2>Message flow per phase</h2>
 *
 * <pre>
 * startup  : [SSLRequest → 'N'] [GSSENCRequest → 'N'] StartupMessage | CancelRequest (→ close)
 * auth     : hba rule → R(SASL/MD5/Cleartext) ⇄ p … → R(Ok)       (FATAL 28000/28P01 on refusal)
 * ready    : ParameterStatus ×13, BackendKeyData, ReadyForQuery 'I'
 * simple   : Q → handler results → Z
 * extended : P/B/D/E/C … (buffered, no flush) → S → Z ;  H flushes ; error → skip to S
 * COPY     : inside a handler call: G/H/W response, d … c|f
 * end      : X, end of stream, FATAL, or listener stop
 * </pre>
 *
 * <h2>Errors</h2>
 *
 * Client-facing errors are {@link org.walden.wire.PgError} values (severity, SQLSTATE, message,
 * detail, hint, position) thrown as {@link org.walden.wire.PgException} and rendered as
 * ErrorResponse; ERROR keeps the session, FATAL ends it. A broken byte stream is FATAL 08P01. Bugs
 * are ordinary unchecked exceptions: logged with a stack trace and sent as FATAL XX000.
 *
 * <p>See PostgreSQL's documentation, chapter "Frontend/Backend Protocol", and {@code
 * shared/docs/pg-protocol-facts.md} §1–2 for the observed behaviour of the clients.
 */
package org.walden.wire;
