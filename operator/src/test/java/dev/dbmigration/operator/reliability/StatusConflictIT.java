package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Another writer changes the resource just before the operator's status writes — the first write
 * of the Running state and the first of the Succeeded state — so the API server answers them 409
 * Conflict. They are retried until they land, with nothing of the status lost.
 */
class StatusConflictIT {

  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void conflictingStatusWritesAreRetriedAndNothingIsLost() throws Exception {
    try (KubernetesClient admin = KubeApiServerSupport.newClient()) {
      KubeApiServerSupport.applyCrd(admin);
      TestCluster cluster = new TestCluster(admin);
      String ns = cluster.newNamespace("status-conflict");
      cluster.createSeedSecret(ns, "app-creds");
      // The leader points where no database listens: this scenario is about the API server,
      // so the operator runs the Job without checking the database (DATABASE_CHECK=best-effort).
      cluster.createReadyPod(ns, "patroni-app-0",
          Map.of("cluster-name", "patroni-app", "role", "master"), "127.0.0.1");
      RacingWriter stale = new RacingWriter(admin);
      stale.beatNext(1);
      try (KubernetesClient conflicted = FaultyClients.withInterceptor(stale);
           OperatorHarness operator = OperatorHarness.withoutDatabase(conflicted).start()) {
        cluster.apply(Fixtures.migration(ns, "app"));
        DatabaseMigrationStatus running = awaitPhase(admin, ns, Phase.Running);
        int conflictsWhileStarting = stale.conflicts();

        stale.beatNext(1);
        cluster.completeJob(ns, running.getJobName());
        DatabaseMigrationStatus done = awaitPhase(admin, ns, Phase.Succeeded);

        String observed = stale.conflicts() + " conflicts (" + conflictsWhileStarting
            + " on Running); " + done.getPhase() + ", " + cluster.jobs(ns).size() + " Job, "
            + "complete: " + complete(done, running.getJobName());
        String expected = "2 conflicts (1 on Running); Succeeded, 1 Job, complete: true";
        ScenarioTable.record("status writes answered 409 Conflict", expected, observed);
        System.out.println("status conflicts: " + stale.writes() + " status writes in all");
        assertThat(observed).isEqualTo(expected);
      }
    }
  }

  /** Every field a finished run reports is there and belongs to this run. */
  static boolean complete(DatabaseMigrationStatus s, String jobName) {
    return jobName.equals(s.getJobName()) && s.getObservedGeneration() == 1L
        && s.getStartTime() != null && s.getCompletionTime() != null
        && s.getLeader() != null && "patroni-app-0".equals(s.getLeader().getPod())
        && s.getConditions() != null && s.getConditions().stream().anyMatch(c ->
            "Ready".equals(c.getType()) && "True".equals(c.getStatus())
                && "MigrationSucceeded".equals(c.getReason()));
  }

  static DatabaseMigrationStatus awaitPhase(KubernetesClient client, String ns, Phase phase) {
    return await("phase " + phase).atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(ns)
          .withName("app").get();
      return dbm == null ? null : dbm.getStatus();
    }, s -> s != null && s.getPhase() == phase);
  }
}
