package org.walden.sql.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.walden.sql.parse.SqlParser;
import org.walden.sql.parse.ast.Statement;
import org.walden.storage.TestWal;
import org.walden.storage.txn.IsolationLevel;
import org.walden.storage.txn.SynchronousCommit;
import org.walden.storage.txn.Transaction;
import org.walden.storage.txn.TransactionManager;

/**
 * A minimal session for executor tests: autocommit unless {@link #begin} was called, settings in a
 * map, notices collected. Runs statements through the real parser, executor and storage engine (on
 * an in-memory {@link TestWal}). One thread per session.
 */
final class TestSession implements SqlSession {

  record Result(String tag, List<ResultColumn> columns, List<List<Object>> rows) {
    Object value() {
      return rows.get(0).get(0);
    }
  }

  final TransactionManager mgr;
  final Executor executor;
  final Map<String, String> settings = new HashMap<>();
  final List<String> notices = new ArrayList<>();
  String user = "walden";
  boolean superuser = true;
  ServerStatus status = ServerStatus.NONE;
  IsolationLevel isolation = IsolationLevel.READ_COMMITTED;
  private Transaction txn;
  private boolean block;

  TestSession() {
    this(newStore(), new Executor());
  }

  TestSession(TransactionManager mgr, Executor executor) {
    this.mgr = mgr;
    this.executor = executor;
    settings.put("timezone", "UTC");
    settings.put("datestyle", "ISO, MDY");
  }

  static TransactionManager newStore() {
    TestWal wal = new TestWal();
    return TransactionManager.createEmpty(wal, wal.insertPosition());
  }

  /** Another session on the same store. */
  TestSession another() {
    return new TestSession(mgr, executor);
  }

  void begin() {
    txn = mgr.begin(isolation, 42);
    block = true;
  }

  void commit() {
    txn.commit(SynchronousCommit.ON);
    txn = null;
    block = false;
  }

  void rollback() {
    txn.rollback();
    txn = null;
    block = false;
  }

  Prepared prepare(String sql, int... types) {
    boolean implicit = txn == null;
    if (implicit) {
      txn = mgr.begin(isolation, 42);
    }
    try {
      return executor.prepare(SqlParser.parse(sql), types, this);
    } finally {
      if (implicit) {
        txn.rollback();
        txn = null;
      }
    }
  }

  /** Runs one statement; parameters given as Strings are decoded as text for their type. */
  Result run(String sql, Object... params) {
    Statement st = SqlParser.parse(sql);
    boolean implicit = txn == null;
    if (implicit) {
      txn = mgr.begin(isolation, 42);
    }
    try {
      Prepared p = executor.prepare(st, new int[0], this);
      Result r = execute(p, params);
      if (implicit) {
        txn.commit(SynchronousCommit.ON);
        txn = null;
      }
      return r;
    } catch (RuntimeException e) {
      if (implicit && txn != null) {
        txn.rollback();
        txn = null;
      }
      throw e;
    }
  }

  /** Executes a prepared statement in the current (or an implicit) transaction. */
  Result exec(Prepared p, Object... params) {
    boolean implicit = txn == null;
    if (implicit) {
      txn = mgr.begin(isolation, 42);
    }
    try {
      Result r = execute(p, params);
      if (implicit) {
        txn.commit(SynchronousCommit.ON);
        txn = null;
      }
      return r;
    } catch (RuntimeException e) {
      if (implicit && txn != null) {
        txn.rollback();
        txn = null;
      }
      throw e;
    }
  }

  private Result execute(Prepared p, Object[] params) {
    int[] types = p.parameterTypes();
    Object[] values = new Object[types.length];
    for (int i = 0; i < values.length && i < params.length; i++) {
      values[i] =
          params[i] instanceof String s
              ? PgValues.decodeText(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), types[i])
              : params[i];
    }
    ResultCursor c = executor.execute(p, values, this);
    List<List<Object>> rows = new ArrayList<>();
    while (c.next()) {
      rows.add(java.util.Arrays.asList(c.row().clone()));
    }
    c.close();
    return new Result(c.commandTag(), p.resultColumns(), rows);
  }

  /** A one-column query's values as text. */
  List<String> texts(String sql, Object... params) {
    Result r = run(sql, params);
    List<String> out = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      Object v = row.get(0);
      out.add(v == null ? null : PgValues.text(v, r.columns().get(0).typeOid()));
    }
    return out;
  }

  boolean inBlock() {
    return block;
  }

  @Override
  public TransactionManager store() {
    return mgr;
  }

  @Override
  public Transaction transaction() {
    return txn;
  }

  @Override
  public String setting(String name) {
    return settings.get(name);
  }

  @Override
  public String setSetting(String name, String value, boolean local) {
    settings.put(name, value);
    return value;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public String database() {
    return "walden";
  }

  @Override
  public int backendPid() {
    return 42;
  }

  @Override
  public boolean isSuperuser() {
    return superuser;
  }

  @Override
  public void checkCancel() {}

  @Override
  public ServerStatus serverStatus() {
    return status;
  }

  @Override
  public void notice(String sqlState, String message) {
    notices.add(message);
  }
}
