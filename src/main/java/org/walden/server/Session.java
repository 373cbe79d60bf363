package org.walden.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.walden.config.Config;
import org.walden.config.ConfigException;
import org.walden.config.Settings;
import org.walden.replication.syncrep.SyncRep;
import org.walden.sql.exec.ResultColumn;
import org.walden.sql.exec.ResultCursor;
import org.walden.sql.exec.ServerStatus;
import org.walden.sql.exec.SqlException;
import org.walden.sql.exec.SqlSession;
import org.walden.sql.parse.ParsedStatement;
import org.walden.sql.parse.SqlParser;
import org.walden.sql.parse.ast.AlterRoleStmt;
import org.walden.sql.parse.ast.AlterSystemStmt;
import org.walden.sql.parse.ast.AlterTableStmt;
import org.walden.sql.parse.ast.CopyStmt;
import org.walden.sql.parse.ast.CreateRoleStmt;
import org.walden.sql.parse.ast.CreateTableStmt;
import org.walden.sql.parse.ast.DeleteStmt;
import org.walden.sql.parse.ast.DropRoleStmt;
import org.walden.sql.parse.ast.DropTableStmt;
import org.walden.sql.parse.ast.EmptyStmt;
import org.walden.sql.parse.ast.InsertStmt;
import org.walden.sql.parse.ast.ResetStmt;
import org.walden.sql.parse.ast.SetStmt;
import org.walden.sql.parse.ast.ShowStmt;
import org.walden.sql.parse.ast.Statement;
import org.walden.sql.parse.ast.TransactionStmt;
import org.walden.sql.parse.ast.TruncateStmt;
import org.walden.sql.parse.ast.UpdateStmt;
import org.walden.sql.parse.ast.VacuumStmt;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;
import org.walden.wire.PgError;
import org.walden.wire.PgException;
import org.walden.wire.SqlState;
import org.walden.wire.codec.FrontendMessage.Bind;
import org.walden.wire.codec.FrontendMessage.Close;
import org.walden.wire.codec.FrontendMessage.Describe;
import org.walden.wire.codec.FrontendMessage.Execute;
import org.walden.wire.codec.FrontendMessage.Parse;
import org.walden.wire.codec.FrontendMessage.Target;
import org.walden.wire.codec.MessageWriter;
import org.walden.wire.session.QueryHandler;
import org.walden.wire.session.QueryOutput;
import org.walden.wire.session.SessionContext;
import org.walden.wire.session.TransactionStatus;

/**
 * One client session's SQL side (PostgreSQL's {@code postgres.c} exec_* functions): the simple and
 * extended query protocols, transaction blocks, prepared statements and portals, SET/SHOW, COPY;
 * and, towards the executor, the {@link SqlSession} it runs statements for.
 *
 * <p><b>Lifecycle.</b> Made by {@link WaldenBackendFactory#openSession} after authentication; the
 * wire session calls it per {@link QueryHandler}'s call-order contract until {@link
 * #sessionClosed}, which rolls back whatever is open. Session thread only: no field needs a lock.
 *
 * <p><b>Transactions.</b> See {@link TransactionBlock}. A simple-query string runs in one implicit
 * transaction (committed before the last statement's CommandComplete, as PostgreSQL does) unless it
 * opens or ends a block itself; an extended-protocol batch runs in one that Sync commits. Any error
 * aborts it: inside a block the block fails (25P02 until ROLLBACK), outside it is rolled back.
 *
 * <p><b>Statements.</b> Transaction control, SET/RESET/SHOW, COPY and VACUUM run here ({@link
 * Plan.Utility}); everything else goes to the {@link SqlEngine}. Results are pulled from a {@link
 * ResultCursor} so an Execute with a row limit can suspend the portal and resume it later.
 *
 * <p>This file is long because the protocol's exec_* handlers share the session state closely; the
 * transaction state, settings, COPY and result encoding live in their own classes.
 */
final class Session implements QueryHandler, SqlSession {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final short[] ALL_TEXT = new short[0];
  private static final int[] NO_TYPES = new int[0];
  private static final Object[] NO_PARAMS = new Object[0];
  private static final ResultColumn[] SHOW_ALL_COLUMNS = {
    textColumn("name"), textColumn("setting"), textColumn("description")
  };

  private final SessionContext context;
  private final TransactionManager store;
  private final SqlEngine engine;
  private final WireValues values;
  private final SessionSettings settings;
  private final TransactionBlock block;
  private final ServerStatus status;
  private final Runnable onClose;

  private final Map<String, Plan> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();

  /**
   * {@code System.nanoTime()} at which the running statement exceeds {@code statement_timeout}, or
   * 0 for none. Enforced where the executor polls {@link #checkCancel} (not during lock waits).
   */
  private long statementDeadline;

  /** Where notices from the executor go while a statement runs; null between statements. */
  private QueryOutput currentOut;

  private boolean closed;

  Session(
      SessionContext context,
      TransactionManager store,
      SqlEngine engine,
      WireValues values,
      Supplier<Config> config,
      ServerStatus status,
      SyncRep syncRep,
      Runnable onClose)
      throws ConfigException {
    this.context = context;
    this.store = store;
    this.engine = engine;
    this.values = values;
    this.settings = new SessionSettings(config);
    this.settings.applyStartup(context.settings(), context.superuser());
    this.block =
        new TransactionBlock(
            store,
            context.processId(),
            settings,
            this::dropPortals,
            new SyncRepWait(syncRep, context.cancel()));
    this.status = status;
    this.onClose = onClose;
  }

  // ------------------------------------------------------------------------- simple protocol

  @Override
  public void simpleQuery(String sql, QueryOutput out) throws IOException {
    List<ParsedStatement> stmts;
    try {
      stmts = SqlParser.parseScript(sql);
    } catch (RuntimeException e) {
      throw fail(e);
    }
    dropPortal(""); // a simple query replaces the unnamed portal, as in PostgreSQL
    if (stmts.isEmpty()) {
      out.writer().emptyQueryResponse();
      return;
    }
    boolean multi = stmts.size() > 1;
    currentOut = out;
    try {
      for (int i = 0; i < stmts.size(); i++) {
        ParsedStatement p = stmts.get(i);
        runSimple(p.statement(), p.text(), out, multi, i == stmts.size() - 1);
      }
    } catch (RuntimeException e) {
      throw fail(e);
    } finally {
      currentOut = null;
    }
  }

  private void runSimple(Statement stmt, String text, QueryOutput out, boolean multi, boolean last)
      throws IOException {
    startStatementTimer();
    checkCancel();
    refuseIfFailed(stmt);
    block.startImplicitIfIdle();
    block.statementStarting();
    Plan plan = plan(stmt, text, NO_TYPES);
    List<ResultColumn> cols = plan.resultColumns();
    ResultCursor cursor = start(plan, NO_PARAMS, out, multi);
    try {
      MessageWriter w = out.writer();
      if (!cols.isEmpty()) {
        ResultWriter.rowDescription(w, cols, ALL_TEXT);
        byte[][] scratch = new byte[cols.size()][];
        long rows = 0;
        while (cursor.next()) {
          ResultWriter.dataRow(w, cursor.row(), cols, ALL_TEXT, values, scratch);
          if ((++rows & 1023) == 0) {
            checkCancel();
          }
        }
      } else {
        while (cursor.next()) {
          // a statement without columns yields no rows; drain defensively
        }
      }
      String tag = cursor.commandTag();
      if (last) {
        block.commitImplicit(out);
      }
      reportSettings(out);
      if (stmt instanceof EmptyStmt) {
        w.emptyQueryResponse();
      } else {
        w.commandComplete(tag);
      }
    } finally {
      cursor.close();
    }
  }

  // ------------------------------------------------------------------------- extended protocol

  @Override
  public void parse(Parse m, QueryOutput out) throws IOException {
    try {
      Statement stmt = SqlParser.parse(m.query());
      refuseIfFailed(stmt);
      if (!m.statement().isEmpty() && statements.containsKey(m.statement())) {
        throw Errors.error(
            Errors.DUPLICATE_PREPARED_STATEMENT,
            "prepared statement \"" + m.statement() + "\" already exists");
      }
      if (block.state() != TransactionBlock.State.FAILED) {
        block.startImplicitIfIdle();
        block.statementStarting();
      }
      currentOut = out;
      statements.put(m.statement(), plan(stmt, m.query(), m.parameterTypes()));
    } catch (RuntimeException e) {
      throw fail(e);
    } finally {
      currentOut = null;
    }
    out.writer().parseComplete();
  }

  @Override
  public void bind(Bind m, QueryOutput out) throws IOException {
    try {
      Plan plan = statement(m.statement());
      refuseIfFailed(plan.statement());
      int[] types = plan.parameterTypes();
      if (m.parameters().length != types.length) {
        throw Errors.error(
            SqlState.PROTOCOL_VIOLATION,
            "bind message supplies %d parameters, but prepared statement \"%s\" requires %d"
                .formatted(m.parameters().length, m.statement(), types.length));
      }
      int ncols = plan.resultColumns().size();
      if (m.resultFormats().length > 1 && m.resultFormats().length != ncols) {
        throw Errors.error(
            SqlState.PROTOCOL_VIOLATION,
            "bind message has %d result formats but query has %d columns"
                .formatted(m.resultFormats().length, ncols));
      }
      if (!m.portal().isEmpty() && portals.containsKey(m.portal())) {
        throw Errors.error(Errors.DUPLICATE_CURSOR, "cursor \"" + m.portal() + "\" already exists");
      }
      Object[] params = decodeParameters(m, types);
      if (block.state() != TransactionBlock.State.FAILED) {
        block.startImplicitIfIdle();
      }
      dropPortal(m.portal());
      portals.put(m.portal(), new Portal(m.portal(), plan, params, m.resultFormats().clone()));
    } catch (RuntimeException e) {
      throw fail(e);
    }
    out.writer().bindComplete();
  }

  private Object[] decodeParameters(Bind m, int[] types) {
    byte[][] raw = m.parameters();
    if (raw.length == 0) {
      return NO_PARAMS;
    }
    Object[] out = new Object[raw.length];
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == null) {
        continue;
      }
      int oid = types[i] == 0 ? 25 : types[i];
      try {
        out[i] =
            m.parameterFormat(i) == 1
                ? values.decodeBinary(raw[i], oid)
                : values.decodeText(raw[i], oid);
      } catch (RuntimeException e) {
        PgError pe = Errors.toPgError(e);
        throw pe.withDetail(pe.detail() != null ? pe.detail() : "In parameter $" + (i + 1) + ".")
            .toException();
      }
    }
    return out;
  }

  @Override
  public void describe(Describe m, QueryOutput out) throws IOException {
    MessageWriter w = out.writer();
    try {
      if (m.target() == Target.STATEMENT) {
        Plan plan = statement(m.name());
        w.parameterDescription(plan.parameterTypes());
        describeColumns(w, plan.resultColumns(), ALL_TEXT);
      } else {
        Portal p = portal(m.name());
        describeColumns(w, p.plan.resultColumns(), p.resultFormats);
      }
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private static void describeColumns(MessageWriter w, List<ResultColumn> cols, short[] formats)
      throws IOException {
    if (cols.isEmpty()) {
      w.noData();
    } else {
      ResultWriter.rowDescription(w, cols, formats);
    }
  }

  @Override
  public void execute(Execute m, QueryOutput out) throws IOException {
    MessageWriter w = out.writer();
    currentOut = out;
    try {
      Portal p = portal(m.portal());
      if (p.completedTag != null) {
        // PostgreSQL answers a finished portal with its tag again and no rows
        w.commandComplete(p.completedTag);
        return;
      }
      if (p.cursor == null) {
        refuseIfFailed(p.plan.statement());
        startStatementTimer();
        checkCancel();
        if (block.state() != TransactionBlock.State.FAILED) {
          block.startImplicitIfIdle();
          block.statementStarting();
        }
        p.cursor = start(p.plan, p.parameters, out, false);
      }
      List<ResultColumn> cols = p.plan.resultColumns();
      byte[][] scratch = new byte[cols.size()][];
      int max = m.maxRows();
      int rows = 0;
      boolean done = false;
      while (max <= 0 || rows < max) {
        if (!p.cursor.next()) {
          done = true;
          break;
        }
        ResultWriter.dataRow(w, p.cursor.row(), cols, p.resultFormats, values, scratch);
        if ((++rows & 1023) == 0) {
          checkCancel();
        }
      }
      if (!done) {
        w.portalSuspended();
        return;
      }
      String tag = p.cursor.commandTag();
      p.cursor.close();
      p.completedTag = tag;
      reportSettings(out);
      if (p.plan.statement() instanceof EmptyStmt) {
        w.emptyQueryResponse();
      } else {
        w.commandComplete(tag);
      }
    } catch (RuntimeException e) {
      throw fail(e);
    } finally {
      currentOut = null;
    }
  }

  @Override
  public void close(Close m, QueryOutput out) throws IOException {
    if (m.target() == Target.STATEMENT) {
      statements.remove(m.name());
    } else {
      dropPortal(m.name());
    }
    out.writer().closeComplete();
  }

  @Override
  public void sync(QueryOutput out) throws IOException {
    try {
      block.commitImplicit(out);
    } catch (RuntimeException e) {
      throw fail(e);
    }
    reportSettings(out);
  }

  @Override
  public TransactionStatus transactionStatus() {
    return block.status();
  }

  @Override
  public void sessionClosed() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      block.close();
    } catch (RuntimeException e) {
      log.warn("rolling back the transaction of session {} failed", context.processId(), e);
    } finally {
      dropPortals();
      statements.clear();
      status.sessionEnded(context.processId()); // its temporary replication slots go
      onClose.run();
    }
  }

  // ------------------------------------------------------------------------- statements

  private Plan plan(Statement stmt, String sql, int[] types) {
    return switch (stmt) {
      case TransactionStmt t -> utility(stmt, sql, types, List.of());
      case SetStmt s -> utility(stmt, sql, types, List.of());
      case ResetStmt r -> utility(stmt, sql, types, List.of());
      case CopyStmt c -> utility(stmt, sql, types, List.of());
      case VacuumStmt v -> utility(stmt, sql, types, List.of());
      case AlterSystemStmt a -> utility(stmt, sql, types, List.of());
      case EmptyStmt e -> utility(stmt, sql, types, List.of());
      case ShowStmt s ->
          utility(
              stmt,
              sql,
              types,
              s.name().equals("all")
                  ? List.of(SHOW_ALL_COLUMNS)
                  : List.of(textColumn(canonicalName(s.name()))));
      default -> new Plan.Executed(engine.prepare(stmt, types, this), sql);
    };
  }

  private static Plan utility(Statement s, String sql, int[] types, List<ResultColumn> cols) {
    return new Plan.Utility(s, sql, types.clone(), cols);
  }

  /** Runs a plan up to its first row: the executor's cursor, or a utility command's result. */
  private ResultCursor start(Plan plan, Object[] params, QueryOutput out, boolean multi)
      throws IOException {
    checkReadOnly(plan.statement());
    return switch (plan) {
      case Plan.Executed e -> engine.execute(e.prepared(), params, this);
      case Plan.Utility u -> runUtility(u.statement(), out, multi);
    };
  }

  private ResultCursor runUtility(Statement stmt, QueryOutput out, boolean multi)
      throws IOException {
    return switch (stmt) {
      case TransactionStmt t -> RowsCursor.empty(transaction(t, out, multi));
      case SetStmt s -> {
        set(s, out);
        yield RowsCursor.empty("SET");
      }
      case ResetStmt r -> {
        try {
          settings.reset(r.name(), context.superuser());
        } catch (ConfigException e) {
          throw Errors.toPg(e);
        }
        yield RowsCursor.empty("RESET");
      }
      case ShowStmt s -> new RowsCursor(show(s.name()), "SHOW");
      case CopyStmt c ->
          RowsCursor.empty(
              c.from()
                  ? CopyFromStdin.run(c, transaction(), out, this::checkCancel)
                  : CopyToStdout.run(c, transaction(), out, this::checkCancel));
      case VacuumStmt v -> RowsCursor.empty(vacuum(v));
      case AlterSystemStmt a -> RowsCursor.empty(alterSystem(a));
      case EmptyStmt e -> RowsCursor.empty("");
      default -> throw new IllegalStateException("not a utility statement: " + stmt);
    };
  }

  private String transaction(TransactionStmt t, QueryOutput out, boolean multi) throws IOException {
    refuseReadWriteInRecovery(t);
    return switch (t.kind()) {
      case BEGIN -> {
        block.begin(t, out);
        yield "BEGIN";
      }
      case START_TRANSACTION -> {
        block.begin(t, out);
        yield "START TRANSACTION";
      }
      case COMMIT -> block.commit(out, !multi);
      case ROLLBACK -> block.rollback(out);
      case SET_TRANSACTION -> {
        block.setTransaction(t, out);
        yield "SET";
      }
    };
  }

  private String vacuum(VacuumStmt v) {
    if (block.state() == TransactionBlock.State.IN_BLOCK) {
      throw Errors.error(
          Errors.ACTIVE_SQL_TRANSACTION,
          (v.vacuum() ? "VACUUM" : "ANALYZE") + " cannot run inside a transaction block");
    }
    if (store.isInRecovery()) {
      throw Errors.error(
          Errors.READ_ONLY_SQL_TRANSACTION,
          "cannot execute " + v.commandTag().tag() + " during recovery");
    }
    Transaction txn = transaction();
    for (var name : v.tables()) {
      if (txn.table(name.name()) == null) {
        throw Errors.error(Errors.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
      }
    }
    if (v.vacuum()) {
      store.vacuum();
    }
    return v.commandTag().tag();
  }

  /**
   * ALTER SYSTEM: outside a transaction block, superuser only, then the server status edits
   * postgresql.auto.conf (validating the name and value); the change applies at the next reload.
   */
  private String alterSystem(AlterSystemStmt a) {
    if (block.state() == TransactionBlock.State.IN_BLOCK) {
      throw Errors.error(
          Errors.ACTIVE_SQL_TRANSACTION, "ALTER SYSTEM cannot run inside a transaction block");
    }
    if (!context.superuser()) {
      throw Errors.error(
          SqlState.INSUFFICIENT_PRIVILEGE, "must be superuser to execute ALTER SYSTEM command");
    }
    if (a.isResetAll()) {
      status.alterSystemResetAll();
    } else if (a.isReset()) {
      status.alterSystemReset(a.name());
    } else {
      status.alterSystemSet(a.name(), String.join(", ", a.values()));
    }
    return a.commandTag().tag();
  }

  /**
   * 25006 for a writing statement in a READ ONLY transaction, and in every transaction while the
   * store is in recovery (hot standby), worded as PostgreSQL's standby words it.
   */
  private void checkReadOnly(Statement s) {
    boolean writes =
        switch (s) {
          case InsertStmt i -> true;
          case UpdateStmt u -> true;
          case DeleteStmt d -> true;
          case CreateTableStmt c -> true;
          case DropTableStmt d -> true;
          case TruncateStmt t -> true;
          case AlterTableStmt a -> true;
          case CreateRoleStmt c -> true;
          case AlterRoleStmt a -> true;
          case DropRoleStmt d -> true;
          case CopyStmt c -> c.from();
          default -> false;
        };
    if (writes && (block.readOnly() || store.isInRecovery())) {
      throw Errors.error(
          Errors.READ_ONLY_SQL_TRANSACTION,
          "cannot execute " + s.commandTag().tag() + " in a read-only transaction");
    }
  }

  /** In a failed block only COMMIT and ROLLBACK may run. */
  private void refuseIfFailed(Statement s) {
    if (block.state() == TransactionBlock.State.FAILED
        && !(s instanceof TransactionStmt t
            && (t.kind() == TransactionStmt.Kind.COMMIT
                || t.kind() == TransactionStmt.Kind.ROLLBACK))) {
      throw Errors.error(
          Errors.IN_FAILED_SQL_TRANSACTION,
          "current transaction is aborted, commands ignored until end of transaction block");
    }
  }

  /** An error ends the statement: abort the transaction (or fail the block), report the error. */
  private PgException fail(RuntimeException e) {
    PgException pg = Errors.toPg(e);
    try {
      block.abort();
    } catch (RuntimeException again) {
      log.warn("rollback after an error failed in session {}", context.processId(), again);
    }
    return pg;
  }

  // ------------------------------------------------------------------------- SET / SHOW

  private void set(SetStmt s, QueryOutput out) throws IOException {
    String value = s.isDefault() ? null : String.join(", ", s.values());
    String name = s.name().toLowerCase(Locale.ROOT);
    if (s.local() && block.state() != TransactionBlock.State.IN_BLOCK) {
      out.notice(
          new PgError(
              org.walden.wire.Severity.WARNING,
              Errors.NO_ACTIVE_SQL_TRANSACTION,
              "SET LOCAL can only be used in transaction blocks",
              null,
              null,
              0));
    }
    if (name.equals("transaction_isolation") || name.equals("transaction_read_only")) {
      setTransactionVariable(name, value, out);
      return;
    }
    try {
      settings.set(name, value, s.local(), context.superuser());
    } catch (ConfigException e) {
      throw Errors.toPg(e);
    }
  }

  private void setTransactionVariable(String name, String value, QueryOutput out)
      throws IOException {
    if (value == null) {
      return;
    }
    TransactionStmt t;
    if (name.equals("transaction_read_only")) {
      boolean ro = value.equalsIgnoreCase("on") || value.equalsIgnoreCase("true");
      t =
          new TransactionStmt(
              TransactionStmt.Kind.SET_TRANSACTION,
              null,
              ro ? TransactionStmt.AccessMode.READ_ONLY : TransactionStmt.AccessMode.READ_WRITE);
    } else {
      TransactionStmt.IsolationLevel level = null;
      for (TransactionStmt.IsolationLevel l : TransactionStmt.IsolationLevel.values()) {
        if (l.pgName().equalsIgnoreCase(value.strip())) {
          level = l;
        }
      }
      if (level == null) {
        throw PgError.error(
                SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"transaction_isolation\": \"" + value + "\"")
            .toException();
      }
      t =
          new TransactionStmt(
              TransactionStmt.Kind.SET_TRANSACTION, level, TransactionStmt.AccessMode.DEFAULT);
    }
    refuseReadWriteInRecovery(t);
    block.setTransaction(t, out);
  }

  /** A hot standby's transactions are all read-only: asking for READ WRITE fails (0A000). */
  private void refuseReadWriteInRecovery(TransactionStmt t) {
    if (t.access() == TransactionStmt.AccessMode.READ_WRITE && store.isInRecovery()) {
      throw Errors.error(
          SqlState.FEATURE_NOT_SUPPORTED, "cannot set transaction read-write mode during recovery");
    }
  }

  private List<Object[]> show(String name) {
    if (name.equalsIgnoreCase("all")) {
      List<Object[]> rows = new ArrayList<>();
      for (String[] r : settings.showAll()) {
        rows.add(r);
      }
      return rows;
    }
    String v = setting(name);
    if (v == null) {
      throw Errors.error("42704", "unrecognized configuration parameter \"" + name + "\"");
    }
    return List.<Object[]>of(new Object[] {v});
  }

  private static String canonicalName(String name) {
    return Settings.find(name).map(s -> s.name()).orElse(name);
  }

  private static ResultColumn textColumn(String name) {
    return new ResultColumn(name, 0, (short) 0, 25, (short) -1, -1);
  }

  private void reportSettings(QueryOutput out) throws IOException {
    for (Map.Entry<String, String> e : settings.changedReports().entrySet()) {
      out.parameterStatus(e.getKey(), e.getValue());
    }
  }

  // ------------------------------------------------------------------------- portals

  private Plan statement(String name) {
    Plan p = statements.get(name);
    if (p == null) {
      throw Errors.error(
          Errors.INVALID_SQL_STATEMENT_NAME,
          name.isEmpty()
              ? "unnamed prepared statement does not exist"
              : "prepared statement \"" + name + "\" does not exist");
    }
    return p;
  }

  private Portal portal(String name) {
    Portal p = portals.get(name);
    if (p == null) {
      throw Errors.error(Errors.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
    }
    return p;
  }

  private void dropPortal(String name) {
    Portal p = portals.remove(name);
    if (p != null) {
      p.close();
    }
  }

  /** At transaction end every portal goes (none is WITH HOLD). */
  private void dropPortals() {
    for (Portal p : portals.values()) {
      p.close();
    }
    portals.clear();
  }

  // ------------------------------------------------------------------------- SqlSession

  @Override
  public TransactionManager store() {
    return store;
  }

  @Override
  public ServerStatus serverStatus() {
    return status;
  }

  @Override
  public Transaction transaction() {
    return block.transaction();
  }

  @Override
  public String setting(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    return switch (key) {
      case "transaction_isolation" ->
          block.isolation().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      case "transaction_read_only" -> block.readOnly() || store.isInRecovery() ? "on" : "off";
      case "is_superuser" -> context.superuser() ? "on" : "off";
      case "session_authorization" -> context.user();
      case "server_version_num" -> versionNum(settings.show(Settings.SERVER_VERSION));
      case "search_path" -> "\"$user\", public";
      case "lc_collate", "lc_ctype", "lc_messages", "lc_monetary", "lc_numeric", "lc_time" -> "C";
      case "max_identifier_length" -> "63";
      default -> settings.show(key);
    };
  }

  private static String versionNum(String version) {
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
      return Integer.toString(major * 10000 + minor);
    } catch (NumberFormatException e) {
      return "150000";
    }
  }

  @Override
  public String setSetting(String name, String value, boolean local) {
    try {
      return settings.set(name, value, local, context.superuser());
    } catch (ConfigException e) {
      throw new SqlException(e.sqlState(), e.getMessage(), e.detail(), e.hint(), 0);
    }
  }

  @Override
  public String user() {
    return context.user();
  }

  @Override
  public String database() {
    return context.database();
  }

  @Override
  public int backendPid() {
    return context.processId();
  }

  @Override
  public boolean isSuperuser() {
    return context.superuser();
  }

  private void startStatementTimer() {
    int ms = (Integer) settings.value(Settings.STATEMENT_TIMEOUT);
    statementDeadline = ms == 0 ? 0 : (System.nanoTime() + ms * 1_000_000L) | 1;
  }

  @Override
  public void checkCancel() {
    if (statementDeadline != 0 && System.nanoTime() - statementDeadline > 0) {
      statementDeadline = 0;
      throw new SqlException("57014", "canceling statement due to statement timeout");
    }
    if (context.cancel().isCancelled()) {
      try {
        context.cancel().throwIfCancelled();
      } catch (PgException e) {
        throw new SqlException(e.error().sqlState(), e.error().message());
      }
    }
  }

  /** A notice from the executor (e.g. DROP TABLE IF EXISTS of a missing table). */
  @Override
  public void notice(String sqlState, String message) {
    QueryOutput out = currentOut;
    if (out == null) {
      return;
    }
    try {
      out.notice(PgError.notice(sqlState, message));
    } catch (IOException e) {
      // the client is gone; the next read or write ends the session
    }
  }
}
