package org.walden.wire.session;

import java.io.IOException;

/**
 * The SPI for replication connections ({@code replication=true} or {@code database}): the
 * walsender's command loop. Only the simple protocol reaches it (extended-protocol messages are
 * refused by the session with 08P01); each {@code Q} is one replication command (or, in logical
 * mode, possibly SQL), after which the session sends ReadyForQuery.
 *
 * <p>Same error and thread rules as {@link QueryHandler}. {@code START_REPLICATION} and {@code
 * BASE_BACKUP} run their whole COPY inside {@link #command} via {@link QueryOutput#startCopyBoth} /
 * {@link QueryOutput#startCopyOut}.
 */
public interface ReplicationHandler {

  void command(String command, QueryOutput out) throws IOException;

  default TransactionStatus transactionStatus() {
    return TransactionStatus.IDLE;
  }

  default void sessionClosed() {}
}
