package org.walden.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.walden.sql.parse.ast.SetStmt;

class SessionCharacteristicsTest {

  @Test
  void isolation_becomesDefaultTransactionIsolation() {
    assertThat(
            SqlParser.parse(
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        .isEqualTo(new SetStmt(false, "default_transaction_isolation", List.of("repeatable read")));
  }

  @Test
  void readOnly_becomesDefaultTransactionReadOnly() {
    assertThat(SqlParser.parse("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"))
        .isEqualTo(new SetStmt(false, "default_transaction_read_only", List.of("on")));
    assertThat(SqlParser.parse("set session characteristics as transaction read write"))
        .isEqualTo(new SetStmt(false, "default_transaction_read_only", List.of("off")));
  }

  @Test
  void missingMode_isASyntaxError() {
    assertThatThrownBy(() -> SqlParser.parse("SET SESSION CHARACTERISTICS AS TRANSACTION"))
        .isInstanceOf(SqlParseException.class)
        .hasMessageContaining("syntax error");
  }
}
