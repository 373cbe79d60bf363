package org.walden.wire.session;

import java.io.IOException;
import org.walden.wire.codec.FrontendMessage.Bind;
import org.walden.wire.codec.FrontendMessage.Close;
import org.walden.wire.codec.FrontendMessage.Describe;
import org.walden.wire.codec.FrontendMessage.Execute;
import org.walden.wire.codec.FrontendMessage.Parse;

/**
 * The SPI through which a session hands queries to the SQL layer (PostgreSQL's {@code
 * exec_simple_query}, {@code exec_parse_message}, …). One instance per normal (non-replication)
 * session, created by {@link BackendFactory#openSession} after authentication.
 *
 * <p><b>Call order.</b> All calls come from the session thread, one at a time. Simple protocol:
 * {@link #simpleQuery}, then the session sends ReadyForQuery with {@link #transactionStatus}.
 * Extended protocol: any sequence of parse/bind/describe/execute/close, then {@link #sync}, then
 * ReadyForQuery. {@link #sessionClosed} is called exactly once at the end, whatever happened.
 *
 * <p><b>Errors.</b> A method reports a client error by throwing {@link
 * org.walden.wire.PgException}: the session sends ErrorResponse; an ERROR leaves the session
 * running, a FATAL ends it. After an ERROR in an extended-protocol message the session skips
 * messages until Sync (it calls nothing for them), then calls {@link #sync}. The handler itself
 * marks its transaction failed when it throws inside a transaction block, so that {@link
 * #transactionStatus} then says {@link TransactionStatus#FAILED}; outside a block it rolls back the
 * implicit transaction (for the extended protocol, at the following Sync).
 *
 * <p><b>Results.</b> Written to {@link QueryOutput#writer()} with the spec's messages:
 * RowDescription, DataRow, CommandComplete, EmptyQueryResponse, ParseComplete, BindComplete,
 * ParameterDescription, NoData, PortalSuspended, CloseComplete. The handler must honour Bind's
 * result format codes.
 *
 * <p><b>Cancel.</b> Long work polls {@link SessionContext#cancel()} and ends with 57014.
 */
public interface QueryHandler {

  /** {@code Q}: one or more statements; results in order; the first error stops the rest. */
  void simpleQuery(String sql, QueryOutput out) throws IOException;

  /** {@code P}: prepare; answers ParseComplete. A new unnamed statement replaces the old one. */
  void parse(Parse message, QueryOutput out) throws IOException;

  /** {@code B}: create a portal; answers BindComplete. */
  void bind(Bind message, QueryOutput out) throws IOException;

  /**
   * {@code D}: ParameterDescription + RowDescription/NoData (statement) or RowDescription/NoData.
   */
  void describe(Describe message, QueryOutput out) throws IOException;

  /** {@code E}: run a portal up to max rows: DataRows then CommandComplete or PortalSuspended. */
  void execute(Execute message, QueryOutput out) throws IOException;

  /** {@code C}: drop a statement or portal; answers CloseComplete even if it did not exist. */
  void close(Close message, QueryOutput out) throws IOException;

  /** {@code S}: end of an extended batch: commit (or roll back) the implicit transaction. */
  void sync(QueryOutput out) throws IOException;

  /** The status for the next ReadyForQuery. */
  TransactionStatus transactionStatus();

  /** The session is over (client left, FATAL, or shutdown): release everything. */
  default void sessionClosed() {}
}
