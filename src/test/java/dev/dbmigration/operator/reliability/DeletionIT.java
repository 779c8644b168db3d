package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.controller.DatabaseMigrationReconciler;
import dev.dbmigration.operator.testing.MigrationGate;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deleting a DatabaseMigration removes its Jobs and their pods, running or finished: the test
 * API server runs no garbage collector, so this is the operator's own cleanup at work.
 */
class DeletionIT {

  static final Map<String, String> LEADER = Map.of("cluster-name", "patroni-app", "role", "master");

  @Test
  void aResourceDeletedMidRunTakesItsJobAndPodsAndTheMigrationStops() throws Exception {
    TestPostgres postgres = ReliabilityRig.postgres();
    TestPostgres.Credentials db = postgres.createDatabase("deleted");
    try (ReliabilityRig rig = ReliabilityRig.create("deleted");
         MigrationGate gate = MigrationGate.close(postgres, db)) {
      rig.createSecret(db);
      rig.cluster.createReadyPod(rig.namespace, "patroni-app-0", LEADER, postgres.host());
      rig.startRunner().startOperator(DatabaseCheckMode.REQUIRED);
      rig.cluster.apply(rig.migration(ReliabilityRig.GATED_IMAGE, postgres.port()));
      gate.awaitMigrationWaiting(ReliabilityRig.TIMEOUT);
      rig.awaitStatus("Running", s -> s.getPhase() == Phase.Running);
      assertThat(rig.resource().getMetadata().getFinalizers())
          .contains(DatabaseMigrationReconciler.FINALIZER);
      assertThat(migrationPods(rig)).hasSize(1);

      rig.client.resource(rig.resource()).delete();

      await("the resource, its Job and its pod are gone").atMost(ReliabilityRig.TIMEOUT)
          .until(() -> rig.resource() == null && rig.cluster.jobs(rig.namespace).isEmpty()
              && migrationPods(rig).isEmpty());
      // The runner killed alembic with its Job. Its server session still waits at the gate (a
      // backend does not notice a gone client while it waits for a lock); once the gate opens,
      // it cannot answer and ends, and nothing may have been applied.
      gate.open();
      await("the stopped migration's session ends").atMost(ReliabilityRig.TIMEOUT)
          .until(() -> gate.waiting().isEmpty());
      await("nothing applied").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> ReliabilityRig.effects(postgres.connect(db)) == 0);
      String revision = TestPostgres.alembicRevision(postgres.connect(db));
      ScenarioTable.record("resource deleted mid-run",
          "resource gone, 0 Jobs, 0 pods, database at base",
          (rig.resource() == null ? "resource gone" : "resource still there") + ", "
              + rig.cluster.jobs(rig.namespace).size() + " Jobs, " + migrationPods(rig).size()
              + " pods, database at " + revision);
      assertThat(revision).isEqualTo("base");
      assertThat(rig.cluster.jobs(rig.namespace)).isEmpty();
      assertThat(migrationPods(rig)).isEmpty();
      // The database pods are the user's, not the operator's: they stay.
      assertThat(rig.client.pods().inNamespace(rig.namespace).withName("patroni-app-0").get())
          .isNotNull();
    }
  }

  /** Kubernetes alone (best-effort; the test finishes the Job): a finished run's Job goes too. */
  @Test
  void aResourceDeletedAfterItsRunTakesTheFinishedJob() {
    try (ReliabilityRig rig = ReliabilityRig.create("deleted-done")) {
      rig.cluster.createSeedSecret(rig.namespace, "app-creds");
      rig.cluster.createReadyPod(rig.namespace, "patroni-app-0", LEADER, "127.0.0.51");
      rig.startOperator(DatabaseCheckMode.BEST_EFFORT);
      rig.cluster.apply(rig.migration(ReliabilityRig.APP_IMAGE, 5432));
      Job job = await("a Job").atMost(ReliabilityRig.TIMEOUT)
          .until(() -> rig.cluster.jobs(rig.namespace), j -> j.size() == 1).get(0);
      rig.cluster.completeJob(rig.namespace, job.getMetadata().getName());
      rig.awaitStatus("Succeeded", s -> s.getPhase() == Phase.Succeeded);

      DatabaseMigration dbm = rig.resource();
      rig.client.resource(dbm).delete();

      await("the resource and its Job are gone").atMost(ReliabilityRig.TIMEOUT)
          .until(() -> rig.resource() == null && rig.cluster.jobs(rig.namespace).isEmpty());
      ScenarioTable.record("resource deleted after its run", "resource gone, 0 Jobs",
          (rig.resource() == null ? "resource gone" : "resource still there") + ", "
              + rig.cluster.jobs(rig.namespace).size() + " Jobs");
      assertThat(rig.cluster.jobs(rig.namespace)).isEmpty();
    }
  }

  static List<Pod> migrationPods(ReliabilityRig rig) {
    return rig.client.pods().inNamespace(rig.namespace)
        .withLabel("batch.kubernetes.io/job-name").list().getItems();
  }
}
