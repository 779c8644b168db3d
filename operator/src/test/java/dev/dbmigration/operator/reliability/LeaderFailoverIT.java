package dev.dbmigration.operator.reliability;

import static dev.dbmigration.operator.reliability.ReliabilityRig.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.testing.MigrationGate;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Patroni failover during a run: the leader label moves to another pod while the Job runs and
 * the Job fails. The attempt is recorded with cause LeaderChanged and the run is retried against
 * the new leader, once, with the migration applied exactly once.
 */
class LeaderFailoverIT {

  static final Map<String, String> MASTER = Map.of("cluster-name", "patroni-app", "role", "master");
  static final Map<String, String> REPLICA =
      Map.of("cluster-name", "patroni-app", "role", "replica");

  @Test
  void aJobCutOffByAFailoverIsRetriedAgainstTheNewLeaderAndAppliedOnce() throws Exception {
    TestPostgres postgres = ReliabilityRig.postgres();
    TestPostgres.Credentials db = postgres.createDatabase("failover");
    try (ReliabilityRig rig = ReliabilityRig.create("failover");
         MigrationGate gate = MigrationGate.close(postgres, db)) {
      // Both members are the one test server (it listens on 127.0.0.1 only): what changes in
      // the failover is which pod carries the leader role.
      rig.cluster.createReadyPod(rig.namespace, "patroni-app-0", MASTER, postgres.host());
      rig.cluster.createReadyPod(rig.namespace, "patroni-app-1", REPLICA, postgres.host());
      rig.createSecret(db);
      rig.startRunner().startOperator(DatabaseCheckMode.REQUIRED);
      rig.cluster.apply(rig.migration(ReliabilityRig.GATED_IMAGE, postgres.port()));

      // The first attempt is mid-run, waiting at the gate, when the leader moves...
      gate.awaitMigrationWaiting(ReliabilityRig.TIMEOUT);
      String first = rig.awaitStatus("Running", s -> s.getPhase() == Phase.Running).getJobName();
      rig.cluster.relabel(rig.namespace, "patroni-app-0", "role", "replica");
      rig.cluster.relabel(rig.namespace, "patroni-app-1", "role", "master");
      // ...and the old leader goes away, taking the migration's session with it.
      gate.cutWaitingMigration();
      gate.open();

      DatabaseMigrationStatus done = rig.awaitStatus("Succeeded after a retry",
          s -> s.getPhase() == Phase.Succeeded || s.getPhase() == Phase.Failed);
      List<Job> jobs = rig.cluster.jobs(rig.namespace).stream()
          .sorted(Comparator.comparing(j -> j.getMetadata().getCreationTimestamp())).toList();
      AttemptStatus attempt = done.getAttempts() == null || done.getAttempts().isEmpty() ? null
          : done.getAttempts().get(0);
      String revision = TestPostgres.alembicRevision(postgres.connect(db));
      int effects = ReliabilityRig.effects(postgres.connect(db));
      ScenarioTable.record("leader failover during a run",
          "Succeeded, attempt 1 LeaderChanged, 2 Jobs, effect applied 1x, at c0ffee000001",
          done.getPhase() + ", attempt 1 " + (attempt == null ? "none" : attempt.getCause())
              + ", " + jobs.size() + " Jobs, effect applied " + effects + "x, at " + revision);

      assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(Phase.Succeeded);
      assertThat(done.getAttempts()).singleElement().satisfies(a -> {
        assertThat(a.getJob()).isEqualTo(first);
        assertThat(a.getCause()).isEqualTo("LeaderChanged");
        assertThat(a.getLeader().getPod()).isEqualTo("patroni-app-0");
        assertThat(a.getMessage()).contains("from patroni-app-0", "to patroni-app-1");
        assertThat(a.getFinishedAt()).isNotBlank();
      });
      assertThat(jobs).hasSize(2);
      assertThat(jobs.get(0).getMetadata().getName()).isEqualTo(first);
      assertThat(jobs.get(1).getMetadata().getName()).isEqualTo(first + "-a2")
          .isEqualTo(done.getJobName());
      assertThat(jobs.get(1).getMetadata().getAnnotations())
          .containsEntry("dbmigration.dev/leader-pod", "patroni-app-1");
      assertThat(done.getLeader().getPod()).isEqualTo("patroni-app-1");
      assertThat(done.getRevision().getCurrent()).isEqualTo("c0ffee000001");
      assertThat(revision).isEqualTo("c0ffee000001");
      assertThat(effects).isEqualTo(1);
      await().atMost(ReliabilityRig.TIMEOUT).untilAsserted(() -> assertThat(rig.eventReasons())
          .contains("LeaderChanged", "MigrationSucceeded"));
      assertThat(Serialization.asYaml(done)).doesNotContain(db.password());
    }
  }

  /**
   * Kubernetes alone (the test finishes the Jobs; best-effort, nothing listens at the leader's
   * address): a leader that changes during every attempt ends the run Failed, LeaderChanged.
   */
  @Test
  void aLeaderThatChangesDuringEveryAttemptEndsFailedNamingTheCause() {
    try (ReliabilityRig rig = ReliabilityRig.create("flapping")) {
      TestCluster cluster = rig.cluster;
      cluster.createSeedSecret(rig.namespace, "app-creds");
      cluster.createReadyPod(rig.namespace, "patroni-app-0", MASTER, "127.0.0.41");
      cluster.createReadyPod(rig.namespace, "patroni-app-1", REPLICA, "127.0.0.42");
      rig.startOperator(DatabaseCheckMode.BEST_EFFORT);
      DatabaseMigration dbm = rig.migration("registry.example/wps-api:pr-1234", 5432);
      dbm.getSpec().getJob().setLeaderChangeRetries(1);
      cluster.apply(dbm);

      String leader = "patroni-app-0";
      for (int attempt = 1; attempt <= 2; attempt++) {
        int expected = attempt;
        Job job = await("attempt " + attempt).atMost(ReliabilityRig.TIMEOUT)
            .until(() -> cluster.jobs(rig.namespace), j -> j.size() == expected)
            .stream().max(Comparator.comparing(j -> j.getMetadata().getName().length()))
            .orElseThrow();
        String next = leader.equals("patroni-app-0") ? "patroni-app-1" : "patroni-app-0";
        cluster.relabel(rig.namespace, leader, "role", "replica");
        cluster.relabel(rig.namespace, next, "role", "master");
        leader = next;
        cluster.failJob(rig.namespace, job.getMetadata().getName());
      }

      DatabaseMigrationStatus failed = rig.awaitStatus("Failed",
          s -> s.getPhase() == Phase.Failed);
      await("no third attempt").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> cluster.jobs(rig.namespace).size() == 2);
      ScenarioTable.record("leader changes during every attempt (1 retry allowed)",
          "Failed LeaderChanged, 2 attempts recorded, 2 Jobs",
          failed.getPhase() + " " + readyReason(failed) + ", "
              + failed.getAttempts().size() + " attempts recorded, "
              + cluster.jobs(rig.namespace).size() + " Jobs");

      assertThat(readyReason(failed)).isEqualTo("LeaderChanged");
      assertThat(failed.getMessage()).contains("giving up after 2 attempts");
      assertThat(failed.getAttempts()).extracting(AttemptStatus::getCause)
          .containsExactly("LeaderChanged", "LeaderChanged");
      assertThat(ReliabilityRig.condition(failed, "Stalled").getStatus()).isEqualTo("True");
      await().atMost(ReliabilityRig.TIMEOUT).untilAsserted(() -> assertThat(rig.eventReasons())
          .contains("LeaderChanged"));
    }
  }
}
