package org.walden.wire.session;

import java.io.IOException;

/**
 * Thrown by a query handler that has told the client everything it will hear and wants the
 * connection closed without another message (PostgreSQL's {@code whereToSendOutput = DestNone}
 * before {@code proc_exit}, e.g. after the synchronous replication terminate warning). The wire
 * session closes the socket and logs it at DEBUG.
 */
public final class ConnectionTerminated extends IOException {
  public ConnectionTerminated(String reason) {
    super(reason);
  }
}
