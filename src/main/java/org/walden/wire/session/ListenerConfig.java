package org.walden.wire.session;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The listener's settings, named after PostgreSQL's: {@code listen_addresses} (comma-separated,
 * {@code *} = all, {@code localhost}), {@code port} (0 = pick a free one, for tests), {@code
 * max_connections}, {@code authentication_timeout} (bounds every read before the session is
 * authenticated), and {@code messageTimeout}, Walden's own bound on how long a client may stall in
 * the middle of a message once authenticated (an idle client between messages is never timed out).
 *
 * <p>{@code serverVersion} is what ParameterStatus reports (PG 15 tools need {@code 15.x}); {@code
 * inHotStandby} is asked at each login; {@code timeZone} is reported when the client sends none.
 */
public record ListenerConfig(
    String listenAddresses,
    int port,
    int maxConnections,
    Duration authenticationTimeout,
    Duration messageTimeout,
    String serverVersion,
    String timeZone,
    BooleanSupplier inHotStandby) {

  public ListenerConfig {
    Objects.requireNonNull(listenAddresses, "listenAddresses");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max_connections must be at least 1");
    }
    Objects.requireNonNull(authenticationTimeout, "authenticationTimeout");
    Objects.requireNonNull(messageTimeout, "messageTimeout");
    Objects.requireNonNull(serverVersion, "serverVersion");
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(inHotStandby, "inHotStandby");
  }

  /** PostgreSQL's defaults, on localhost, with a port of the caller's choosing. */
  public static ListenerConfig defaults(int port) {
    return new ListenerConfig(
        "localhost",
        port,
        100,
        Duration.ofMinutes(1),
        Duration.ofMinutes(1),
        "15.4",
        "Etc/UTC",
        () -> false);
  }

  public ListenerConfig withListenAddresses(String addresses) {
    return new ListenerConfig(
        addresses,
        port,
        maxConnections,
        authenticationTimeout,
        messageTimeout,
        serverVersion,
        timeZone,
        inHotStandby);
  }

  public ListenerConfig withMaxConnections(int max) {
    return new ListenerConfig(
        listenAddresses,
        port,
        max,
        authenticationTimeout,
        messageTimeout,
        serverVersion,
        timeZone,
        inHotStandby);
  }

  public ListenerConfig withTimeouts(Duration authentication, Duration message) {
    return new ListenerConfig(
        listenAddresses,
        port,
        maxConnections,
        authentication,
        message,
        serverVersion,
        timeZone,
        inHotStandby);
  }

  public ListenerConfig withInHotStandby(BooleanSupplier supplier) {
    return new ListenerConfig(
        listenAddresses,
        port,
        maxConnections,
        authenticationTimeout,
        messageTimeout,
        serverVersion,
        timeZone,
        supplier);
  }
}
