package org.walden.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.walden.storage.type.PgTimestamp;

/** pgbench's initialisation and TPC-B transaction, as pgbench sends them. */
class PgbenchTest {

  static void init(TestSession s, int accounts) {
    s.run(
        "drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers");
    s.run(
        "create table pgbench_history(tid int,bid int,aid    int,delta int,mtime timestamp,filler char(22))");
    s.run(
        "create table pgbench_tellers(tid int not null,bid int,tbalance int,filler char(84)) with (fillfactor=100)");
    s.run(
        "create table pgbench_accounts(aid    int not null,bid int,abalance int,filler char(84)) with (fillfactor=100)");
    s.run(
        "create table pgbench_branches(bid int not null,bbalance int,filler char(88)) with (fillfactor=100)");
    s.run("truncate table pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers");
    s.run("insert into pgbench_branches(bid,bbalance) values(1,0)");
    for (int t = 1; t <= 10; t++) {
      s.run("insert into pgbench_tellers(tid,bid,tbalance) values (" + t + ",1,0)");
    }
    s.run(
        "insert into pgbench_accounts(aid,bid,abalance,filler) select aid, (aid - 1) / 100000 + 1,"
            + " 0, '' from generate_series(1, "
            + accounts
            + ") as aid");
    s.run("alter table pgbench_branches add primary key (bid)");
    s.run("alter table pgbench_tellers add primary key (tid)");
    s.run("alter table pgbench_accounts add primary key (aid)");
    s.run("vacuum analyze pgbench_branches");
    s.run("vacuum analyze pgbench_accounts");
  }

  @Test
  void tpcb_preparedStatements_applyEveryDelta() {
    TestSession s = new TestSession();
    init(s, 1000);
    assertThat(s.run("select count(*) from pgbench_accounts").value()).isEqualTo(1000L);
    assertThat(s.run("select filler from pgbench_accounts where aid = 1").value())
        .isEqualTo(" ".repeat(84));
    Prepared upd =
        s.prepare("UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;");
    Prepared sel = s.prepare("SELECT abalance FROM pgbench_accounts WHERE aid = $1;");
    Prepared tel = s.prepare("UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;");
    Prepared br = s.prepare("UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2;");
    Prepared hist =
        s.prepare(
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)"
                + " VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP);");
    assertThat(upd.parameterTypes()).containsExactly(23, 23);
    assertThat(hist.parameterTypes()).containsExactly(23, 23, 23, 23);
    assertThat(sel.resultColumns()).extracting(ResultColumn::name).containsExactly("abalance");
    long total = 0;
    for (int i = 1; i <= 50; i++) {
      int delta = (i % 2 == 0 ? 1 : -1) * i * 7;
      String aid = Integer.toString(1 + (i * 37) % 1000);
      s.begin();
      assertThat(s.exec(upd, Integer.toString(delta), aid).tag()).isEqualTo("UPDATE 1");
      assertThat(s.exec(sel, aid).rows()).hasSize(1);
      assertThat(s.exec(tel, Integer.toString(delta), "3").tag()).isEqualTo("UPDATE 1");
      assertThat(s.exec(br, Integer.toString(delta), "1").tag()).isEqualTo("UPDATE 1");
      assertThat(s.exec(hist, "3", "1", aid, Integer.toString(delta)).tag())
          .isEqualTo("INSERT 0 1");
      s.commit();
      total += delta;
    }
    assertThat(s.run("select sum(abalance) from pgbench_accounts").value()).isEqualTo(total);
    assertThat(s.run("select bbalance from pgbench_branches").value()).isEqualTo((int) total);
    assertThat(s.run("select sum(delta), count(*) from pgbench_history").rows())
        .containsExactly(List.of(total, 50L));
    assertThat(s.run("select mtime from pgbench_history limit 1").value())
        .isInstanceOf(PgTimestamp.class);
  }
}
