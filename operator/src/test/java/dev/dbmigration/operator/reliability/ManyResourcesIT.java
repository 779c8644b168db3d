package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.runtime.HealthServer;
import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * 220 resources created at once, 20 of which cannot run (they name a Secret key the Secret
 * lacks: what the CRD cannot know). Each runnable one reaches its own database address (a port of
 * its own, forwarded to the real PostgreSQL), so the per-database lock does not serialize them;
 * the test plays the Job controller and completes each Job it sees. All runnable ones succeed,
 * the others wait (Pending, SecretKeyMissing) without a Job, and the health endpoints of the
 * operator still answer.
 */
class ManyResourcesIT {

  static final int VALID = 200;
  static final int WAITING = 20;
  static final Duration TIMEOUT = Duration.ofMinutes(3);

  @Test
  void manyResourcesAtOnceAllReachTheirEndStateAndTheOperatorStaysHealthy() throws Exception {
    TestPostgres postgres = TestPostgres.get();
    TestPostgres.Credentials db = postgres.createDatabase("many");
    List<TcpProxy> addresses = new ArrayList<>();
    ExecutorService jobController = Executors.newFixedThreadPool(2);
    try (KubernetesClient admin = KubeApiServerSupport.newClient()) {
      KubeApiServerSupport.applyCrd(admin);
      TestCluster cluster = new TestCluster(admin);
      String ns = cluster.newNamespace("many");
      cluster.createDatabaseEnvironment(ns, "app-creds", "patroni-app", db, postgres);
      for (int i = 0; i < VALID; i++) {
        addresses.add(new TcpProxy(postgres.host(), postgres.port()));
      }
      MigrationOperator operator = new MigrationOperator(admin, new OperatorSettings(Set.of(), 0));
      try (Watch jobs = admin.batch().v1().jobs().inNamespace(ns).watch(
               SameDatabaseIT.<Job>watcher((action, job) -> {
                 if (action == Watcher.Action.ADDED) {
                   jobController.submit(() -> cluster.completeJob(ns, job.getMetadata().getName()));
                 }
               }));
           HealthServer health = new HealthServer(0, operator::notReadyBecause)) {
        operator.start();
        await("operator ready").atMost(Duration.ofSeconds(60)).until(operator::isReady);
        long started = System.nanoTime();
        for (int i = 0; i < VALID + WAITING; i++) {
          DatabaseMigration dbm = Fixtures.migration(ns, "m" + i);
          dbm.getSpec().getDatabase().getCredentialsSecret().setName("app-creds");
          dbm.getSpec().getDatabase().getLeader().setSelector(Map.of("cluster-name", "patroni-app"));
          if (i < VALID) {
            dbm.getSpec().getDatabase().setPort(addresses.get(i).port());
          } else {
            SecretKeys keys = new SecretKeys();
            keys.setDatabase("no-such-key");
            dbm.getSpec().getDatabase().getCredentialsSecret().setKeys(keys);
          }
          cluster.apply(dbm);
        }

        Map<String, Long> phases = await("every resource at its end state").atMost(TIMEOUT)
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> countOutcomes(admin, ns),
                p -> p.getOrDefault(Phase.Succeeded.name(), 0L) == VALID
                    && p.getOrDefault(WAITING_OUTCOME, 0L) == WAITING);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        int jobCount = cluster.jobs(ns).size();
        String observed = phases.getOrDefault(Phase.Succeeded.name(), 0L) + " Succeeded, "
            + phases.getOrDefault(WAITING_OUTCOME, 0L) + " " + WAITING_OUTCOME + ", " + jobCount
            + " Jobs; healthz " + get(health, "/healthz") + ", readyz " + get(health, "/readyz");
        String expected = VALID + " Succeeded, " + WAITING + " " + WAITING_OUTCOME + ", " + VALID
            + " Jobs; healthz 200, readyz 200";
        ScenarioTable.record(VALID + WAITING + " resources at once (" + WAITING
            + " lacking a Secret key), " + seconds + " s", expected, observed);
        assertThat(observed).isEqualTo(expected);
      } finally {
        operator.close();
      }
    } finally {
      jobController.shutdownNow();
      for (TcpProxy proxy : addresses) {
        proxy.close();
      }
    }
  }

  static final String WAITING_OUTCOME = Phase.Pending + " " + Reasons.SECRET_KEY_MISSING;

  /** How many resources are at each phase, a Pending one told by its Ready reason. */
  static Map<String, Long> countOutcomes(KubernetesClient client, String ns) {
    return client.resources(DatabaseMigration.class).inNamespace(ns).list().getItems().stream()
        .filter(d -> d.getStatus() != null && d.getStatus().getPhase() != null)
        .collect(Collectors.groupingBy(ManyResourcesIT::outcome, Collectors.counting()));
  }

  static String outcome(DatabaseMigration dbm) {
    Phase phase = dbm.getStatus().getPhase();
    if (phase != Phase.Pending || dbm.getStatus().getConditions() == null) {
      return phase.name();
    }
    return phase + " " + dbm.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).map(Condition::getReason).findFirst().orElse("");
  }

  static int get(HealthServer health, String path) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + health.port() + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
