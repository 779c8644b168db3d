package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.reliability.RealDatabases.Environment;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two resources point at one real database (same leader pod, same database name) and both run
 * the real alembic. A watch on the Jobs counts how many are unfinished at once; a watch on the
 * resources keeps every reason each one showed.
 */
class SameDatabaseIT {

  static final Duration TIMEOUT = Duration.ofSeconds(120);
  static final String WAITING = "WaitingForOtherMigration";

  @Test
  void twoResourcesOnOneDatabaseNeverRunAtOnceAndBothFinish() throws Exception {
    try (KubernetesClient admin = KubeApiServerSupport.newClient()) {
      KubeApiServerSupport.applyCrd(admin);
      RealDatabases databases = new RealDatabases(admin);
      Environment env = databases.environment("same-db");
      String ns = env.namespace();

      Set<String> unfinished = ConcurrentHashMap.newKeySet();
      AtomicInteger mostAtOnce = new AtomicInteger();
      Map<String, Set<String>> reasons = new ConcurrentHashMap<>();
      Map<String, String> waitingMessage = new ConcurrentHashMap<>();
      try (Watch jobWatch = admin.batch().v1().jobs().inNamespace(ns).watch(
               watcher((action, job) -> {
                 String name = job.getMetadata().getName();
                 if (action == Watcher.Action.DELETED || JobOutcome.of(job).phase().isFinal()) {
                   unfinished.remove(name);
                 } else {
                   unfinished.add(name);
                   mostAtOnce.accumulateAndGet(unfinished.size(), Math::max);
                 }
               }));
           Watch dbmWatch = admin.resources(DatabaseMigration.class).inNamespace(ns).watch(
               watcher((action, dbm) -> {
                 String reason = readyReason(dbm.getStatus());
                 if (reason != null) {
                   reasons.computeIfAbsent(dbm.getMetadata().getName(),
                       n -> ConcurrentHashMap.newKeySet()).add(reason);
                   if (WAITING.equals(reason)) {
                     waitingMessage.put(dbm.getMetadata().getName(), dbm.getStatus().getMessage());
                   }
                 }
               }));
           LocalJobRunner runner = databases.runner(ns);
           OperatorHarness operator = new OperatorHarness(admin).start()) {
        databases.cluster().apply(databases.migration(env, "api", "head"));
        databases.cluster().apply(databases.migration(env, "worker", "head"));

        await("both finished").atMost(TIMEOUT).until(() -> Stream.of("api", "worker")
            .map(n -> databases.status(ns, n))
            .allMatch(s -> s != null && s.getPhase() != null && s.getPhase().isFinal()));
        List<Job> jobs = databases.cluster().jobs(ns);
        String waited = reasons.entrySet().stream().filter(e -> e.getValue().contains(WAITING))
            .map(Map.Entry::getKey).findFirst().orElse(null);
        String observed = "most Jobs unfinished at once " + mostAtOnce.get()
            + "; api " + databases.status(ns, "api").getPhase()
            + ", worker " + databases.status(ns, "worker").getPhase()
            + "; " + jobs.size() + " Jobs; database at "
            + databases.postgres().alembicRevision(env.db().database())
            + "; one said " + (waited == null ? "nothing about waiting" : WAITING);
        String expected = "most Jobs unfinished at once 1; api Succeeded, worker Succeeded; "
            + "2 Jobs; database at " + RealDatabases.HEAD + "; one said " + WAITING;
        ScenarioTable.record("two resources on one database (real alembic)", expected, observed);
        System.out.println("same database: reasons seen " + reasons);
        assertThat(observed).isEqualTo(expected);
        String other = "api".equals(waited) ? "worker" : "api";
        assertThat(waitingMessage.get(waited)).contains(ns + "/" + other);
      }
    }
  }

  static String readyReason(DatabaseMigrationStatus status) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getReason()).filter(Objects::nonNull).findFirst().orElse(null);
  }

  interface Handler<T> {
    void on(Watcher.Action action, T resource);
  }

  static <T> Watcher<T> watcher(Handler<T> handler) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        handler.on(action, resource);
      }

      @Override
      public void onClose(WatcherException cause) {
        // the test closes its watches itself; a dropped one shows up as missing observations
      }
    };
  }
}
