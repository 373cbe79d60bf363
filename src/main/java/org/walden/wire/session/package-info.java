/**
 * Connections and sessions: the postmaster's accept loop and the backend's main loop.
 *
 * <h2>Purpose</h2>
 *
 * Accepts TCP connections, runs the startup handshake and authentication, reports the session's
 * parameters, and then drives the query protocol, handing each query to the SQL layer through
 * {@link org.walden.wire.session.QueryHandler} (normal sessions) or {@link
 * org.walden.wire.session.ReplicationHandler} (walsender sessions), both created by a {@link
 * org.walden.wire.session.BackendFactory}.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li>{@link org.walden.wire.session.Listener#start} starts one platform thread per bound
 *       address, blocked in {@code accept}.
 *   <li>Each accepted socket gets a virtual thread running a {@code Session}; every SPI call
 *       happens on it, one at a time.
 *   <li>A CancelRequest arrives on its own short-lived session, which sets the target session's
 *       {@link org.walden.wire.session.CancelToken} and closes. A terminate (fast shutdown,
 *       pg_terminate_backend through {@link org.walden.wire.session.SessionRegistry#terminate})
 *       goes through the same token: it closes the socket, or, if the session is parked in a
 *       synchronous replication wait, unparks it so it can send its warning and end with {@link
 *       org.walden.wire.session.ConnectionTerminated}.
 *   <li>{@link org.walden.wire.session.Listener#close} (the node's shutdown) closes the server
 *       sockets, then every session socket, and waits a bounded time for all threads.
 * </ul>
 *
 * <h2>Shared state</h2>
 *
 * {@link org.walden.wire.session.SessionRegistry}: pid → (secret, cancel token), and the count of
 * connection slots; sessions register/unregister themselves, cancel sessions read it. The
 * listener's set of live sessions: added by accept threads, removed by the exiting session.
 * Everything else is confined to its session's thread.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>A slot is taken only for a StartupMessage (cancels work when the server is full) and is
 *       released in a {@code finally}, however the session ends; none free → FATAL 53300.
 *   <li>Output is flushed at ReadyForQuery, on Flush, and when COPY input is awaited — never per
 *       message, so an extended-protocol batch leaves in one write.
 *   <li>After an ERROR in an extended-protocol message everything up to Sync is skipped; each Sync
 *       and each simple Query gets exactly one ReadyForQuery, whose status comes from the handler.
 *   <li>Until authenticated every read is bounded by {@code authentication_timeout}; afterwards the
 *       wait <em>between</em> messages is unbounded but a started message must complete within
 *       {@code messageTimeout}.
 *   <li>The cancel flag is cleared when each command starts, so a late cancel never hits the next
 *       command.
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * FATAL errors are sent and the connection closed; a vanished client ends its session quietly
 * (DEBUG); a bug in a session is logged with its stack trace, sent as FATAL XX000, and only that
 * session ends. Nothing a client sends can stop the listener.
 *
 * <p>Not yet: TLS, Unix-domain sockets, {@code superuser_reserved_connections}, sending 57P01 to
 * sessions at shutdown, FunctionCall, and a CopyBoth usable from two threads (the walsender will
 * need a reader thread and an output lock).
 */
package org.walden.wire.session;
