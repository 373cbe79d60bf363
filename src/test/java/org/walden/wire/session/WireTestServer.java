package org.walden.wire.session;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.walden.wire.auth.ClientAuthentication;
import org.walden.wire.auth.HbaConfig;
import org.walden.wire.auth.HbaParseException;
import org.walden.wire.auth.InMemoryRoleStore;
import org.walden.wire.auth.Md5Password;
import org.walden.wire.auth.Role;
import org.walden.wire.codec.FieldDescription;

/**
 * A listener on a free loopback port with the {@link TestQueryHandler}, an in-memory role store and
 * the given hba rules. Roles: {@code alice}/{@code secret} (SCRAM, superuser), {@code bob}/{@code
 * hunter2} (md5 secret), {@code carol} (no password), {@code nologin}.
 */
final class WireTestServer implements AutoCloseable {
  static final String DEFAULT_HBA =
      """
      # test rules
      host  nodb        all    127.0.0.1/32  reject
      host  trustdb     all    127.0.0.1/32  trust
      host  md5db       all    127.0.0.1/32  md5
      host  pwdb        all    127.0.0.1/32  password
      host  all         all    127.0.0.1/32  scram-sha-256
      host  replication alice  127.0.0.1/32  scram-sha-256
      """;

  final InMemoryRoleStore roles = new InMemoryRoleStore();
  final CountDownLatch blocking = new CountDownLatch(1);
  final Listener listener;

  WireTestServer(String hba, int maxConnections, Duration messageTimeout)
      throws IOException, HbaParseException {
    roles.putWithPassword("alice", "secret", true);
    roles.put(new Role("bob", true, false, false, Md5Password.encrypt("bob", "hunter2")));
    roles.put(new Role("carol", true, false, false, null));
    roles.put(new Role("nologin", false, false, false, null));
    ListenerConfig config =
        ListenerConfig.defaults(0)
            .withListenAddresses("127.0.0.1")
            .withMaxConnections(maxConnections)
            .withTimeouts(Duration.ofSeconds(10), messageTimeout);
    listener =
        Listener.start(
            config,
            new ClientAuthentication(HbaConfig.ofText(hba), roles),
            new BackendFactory() {
              @Override
              public QueryHandler openSession(SessionContext ctx) {
                return new TestQueryHandler(ctx, blocking);
              }

              @Override
              public ReplicationHandler openReplication(SessionContext ctx) {
                return (command, out) -> {
                  out.writer()
                      .rowDescription(List.of(FieldDescription.computed("systemid", 25, -1)));
                  out.writer().dataRow(List.of("7710809781374941711"));
                  out.writer().commandComplete(command.trim());
                };
              }
            });
  }

  WireTestServer() throws IOException, HbaParseException {
    this(DEFAULT_HBA, 10, Duration.ofSeconds(10));
  }

  int port() {
    return listener.port();
  }

  @Override
  public void close() {
    listener.close();
  }
}
