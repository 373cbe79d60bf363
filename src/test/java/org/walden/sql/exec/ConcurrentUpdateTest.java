package org.walden.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** READ COMMITTED updates of the same row from two sessions: EvalPlanQual, no lost update. */
class ConcurrentUpdateTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  @Test
  void update_sameRow_secondWaitsThenAppliesOnNewestRow() throws Exception {
    TestSession a = new TestSession();
    a.run("create table acc(id int primary key, bal int)");
    a.run("insert into acc values (1, 100), (2, 100)");
    TestSession b = a.another();
    a.begin();
    assertThat(a.run("update acc set bal = bal + 10 where id = 1").tag()).isEqualTo("UPDATE 1");
    AtomicReference<Thread> bThread = new AtomicReference<>();
    CompletableFuture<TestSession.Result> bUpdate =
        CompletableFuture.supplyAsync(
            () -> {
              bThread.set(Thread.currentThread());
              // a range scan, so the row B evaluated is the pre-update image
              return b.run(
                  "update acc set bal = bal + 1 where id >= 1 and bal >= 100 returning bal");
            },
            pool);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> {
          Thread t = bThread.get();
          return t != null
              && (t.getState() == Thread.State.WAITING
                  || t.getState() == Thread.State.TIMED_WAITING);
        });
    assertThat(bUpdate).isNotDone();
    a.commit();
    TestSession.Result r = bUpdate.get(10, TimeUnit.SECONDS);
    assertThat(r.tag()).isEqualTo("UPDATE 2");
    assertThat(r.rows()).containsExactly(List.of(111), List.of(101));
    assertThat(a.run("select bal from acc where id = 1").value()).isEqualTo(111);
  }

  @Test
  void update_concurrentRecheck_skipsRowNoLongerMatching() throws Exception {
    TestSession a = new TestSession();
    a.run("create table acc(id int primary key, bal int)");
    a.run("insert into acc values (1, 100)");
    TestSession b = a.another();
    a.begin();
    a.run("update acc set bal = 0 where id = 1");
    AtomicReference<Thread> bThread = new AtomicReference<>();
    CompletableFuture<TestSession.Result> bUpdate =
        CompletableFuture.supplyAsync(
            () -> {
              bThread.set(Thread.currentThread());
              return b.run("update acc set bal = bal - 50 where id = 1 and bal >= 50");
            },
            pool);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            bThread.get() != null
                && bThread.get().getState() != Thread.State.RUNNABLE
                && bThread.get().getState() != Thread.State.NEW);
    a.commit();
    assertThat(bUpdate.get(10, TimeUnit.SECONDS).tag()).isEqualTo("UPDATE 0");
    assertThat(a.run("select bal from acc").value()).isEqualTo(0);
  }

  @Test
  void increments_manySessions_noLostUpdate() throws Exception {
    TestSession setup = new TestSession();
    setup.run("create table c(id int primary key, n bigint)");
    setup.run("insert into c values (1, 0)");
    int sessions = 4;
    int perSession = 300;
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      TestSession s = setup.another();
      Prepared p = s.prepare("update c set n = n + $1 where id = $2");
      all.add(
          CompletableFuture.runAsync(
              () -> {
                for (int k = 0; k < perSession; k++) {
                  assertThat(s.exec(p, 1L, 1).tag()).isEqualTo("UPDATE 1");
                }
              },
              pool));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(setup.run("select n from c").value()).isEqualTo((long) sessions * perSession);
  }
}
