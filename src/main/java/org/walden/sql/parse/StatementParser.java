package org.walden.sql.parse;

import org.walden.sql.parse.ast.Statement;
import org.walden.sql.parse.ast.TransactionStmt.Kind;

/**
 * Dispatches on a statement's first word to the parser for that family, and turns the first words
 * of PostgreSQL statements this dialect lacks (WITH, EXPLAIN, GRANT, SAVEPOINT …) into 0A000
 * errors. A first word PostgreSQL would not know either is a 42601 syntax error, as there.
 */
final class StatementParser {

  private final Cursor c;
  private final QueryParser query;
  private final DdlParser ddl;
  private final UtilityParser utility;

  StatementParser(Cursor c) {
    this.c = c;
    ExprParser ex = new ExprParser(c);
    this.query = new QueryParser(c, ex);
    this.ddl = new DdlParser(c, ex, query);
    this.utility = new UtilityParser(c, query);
  }

  /** Parses one statement starting at the cursor; leaves the cursor on its {@code ;} or EOF. */
  Statement statement() {
    Statement s = dispatch();
    if (!c.atEnd()) {
      throw c.syntaxError();
    }
    return s;
  }

  private Statement dispatch() {
    Keyword k = c.kw();
    if (k == null) {
      if (c.at(Tokens.LPAREN)) {
        throw c.unsupported("a parenthesised query");
      }
      if (c.at(Tokens.IDENT) && isKnownUnsupported()) {
        throw c.unsupported(c.upperText());
      }
      throw c.syntaxError();
    }
    return switch (k) {
      case SELECT -> query.select();
      case INSERT -> query.insert();
      case UPDATE -> query.update();
      case DELETE -> query.delete();
      case BEGIN -> utility.begin();
      case START -> utility.start();
      case COMMIT, END -> utility.finish(Kind.COMMIT);
      case ROLLBACK, ABORT -> utility.finish(Kind.ROLLBACK);
      case SET -> utility.set();
      case SHOW -> utility.show();
      case RESET -> utility.reset();
      case COPY -> utility.copy();
      case CREATE -> ddl.create();
      case DROP -> ddl.drop();
      case ALTER -> isAlterSystem() ? utility.alterSystem() : ddl.alter();
      case TRUNCATE -> ddl.truncate();
      case VACUUM -> ddl.vacuum();
      case ANALYZE, ANALYSE -> ddl.analyze();
      case WITH -> throw c.unsupported("WITH");
      case VALUES, TABLE -> throw c.unsupported(c.upperText() + " as a statement");
      case GRANT, DO, FETCH -> throw c.unsupported(c.upperText());
      default -> throw c.syntaxError();
    };
  }

  private boolean isAlterSystem() {
    c.pos++;
    try {
      return c.atWord("system");
    } finally {
      c.pos--;
    }
  }

  /** First words of PostgreSQL statements that this dialect does not implement. */
  private boolean isKnownUnsupported() {
    String[] words = {
      "savepoint",
      "release",
      "explain",
      "revoke",
      "prepare",
      "execute",
      "deallocate",
      "listen",
      "unlisten",
      "notify",
      "lock",
      "call",
      "comment",
      "discard",
      "declare",
      "close",
      "move",
      "checkpoint",
      "cluster",
      "reindex",
      "refresh",
      "security",
      "import",
      "load",
      "reassign",
      "merge"
    };
    for (String w : words) {
      if (c.atWord(w)) {
        return true;
      }
    }
    return false;
  }
}
