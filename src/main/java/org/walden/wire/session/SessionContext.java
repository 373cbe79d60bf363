package org.walden.wire.session;

import java.net.InetAddress;
import java.util.Map;
import org.walden.wire.auth.ConnectionRequest.ReplicationMode;

/**
 * What the SQL layer learns about a session when it is opened: the backend's process id (as sent in
 * BackendKeyData), the authenticated user and its flags, the database, the replication mode, the
 * client's address (null for a local socket), and the settings the client asked for in the startup
 * packet ({@code client_encoding}, {@code DateStyle}, {@code TimeZone}, {@code search_path}, … plus
 * every {@code -c name=value} of {@code options}), and the cancel flag.
 *
 * <p>Immutable apart from the cancel token.
 */
public record SessionContext(
    int processId,
    String user,
    boolean superuser,
    String database,
    String applicationName,
    ReplicationMode replication,
    InetAddress clientAddress,
    Map<String, String> settings,
    CancelToken cancel) {

  public SessionContext {
    settings = Map.copyOf(settings);
  }
}
