package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.controller.DatabaseMigrationReconciler;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deletion never waits on the operator: no finalizer of its own, ever, and one left by an older
 * operator is taken off, also from a resource already being deleted. The Jobs are owned by their
 * resource (controller, blockOwnerDeletion), which is all a cluster's garbage collector needs;
 * that it then removes them and their pods is shown on the real cluster (the e2e tier), as this
 * API server runs no garbage collector.
 */
class DeletionIT {

  static final Map<String, String> LEADER = Map.of("cluster-name", "patroni-app", "role", "master");

  @Test
  void aResourceCarriesNoFinalizerAndGoesAtOnceEvenWithTheOperatorStopped() {
    try (ReliabilityRig rig = ReliabilityRig.create("deleted")) {
      rig.cluster.createSeedSecret(rig.namespace, "app-creds");
      rig.cluster.createReadyPod(rig.namespace, "patroni-app-0", LEADER, "127.0.0.51");
      rig.startOperator(DatabaseCheckMode.BEST_EFFORT);
      rig.cluster.apply(rig.migration(ReliabilityRig.APP_IMAGE, 5432));
      Job job = await("a Job").atMost(ReliabilityRig.TIMEOUT)
          .until(() -> rig.cluster.jobs(rig.namespace), j -> j.size() == 1).get(0);
      rig.awaitStatus("Running", s -> s.getPhase() == Phase.Running);
      DatabaseMigration running = rig.resource();

      assertThat(running.getMetadata().getFinalizers()).isNullOrEmpty();
      OwnerReference owner = job.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getUid()).isEqualTo(running.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
      assertThat(owner.getBlockOwnerDeletion()).isTrue();

      rig.stopOperator();
      rig.client.resource(running).delete();
      await("the resource is gone with the operator stopped").atMost(Duration.ofSeconds(10))
          .until(() -> rig.resource() == null);
      ScenarioTable.record("resource deleted, operator stopped",
          "finalizers [], gone, Job owned by DatabaseMigration/app as controller",
          "finalizers " + running.getMetadata().getFinalizers() + ", "
              + (rig.resource() == null ? "gone" : "still there") + ", Job owned by "
              + owner.getKind() + "/" + owner.getName()
              + (Boolean.TRUE.equals(owner.getController()) ? " as controller" : ""));
    }
  }

  @Test
  void theFinalizerOfAnOlderOperatorIsTakenOffAlsoWhileTheResourceIsBeingDeleted() {
    try (ReliabilityRig rig = ReliabilityRig.create("legacy")) {
      rig.cluster.createSeedSecret(rig.namespace, "app-creds");
      DatabaseMigration kept = rig.migration(ReliabilityRig.APP_IMAGE, 5432);
      kept.getMetadata().setName("kept");
      kept.getMetadata().setFinalizers(List.of(DatabaseMigrationReconciler.LEGACY_FINALIZER));
      DatabaseMigration deleting = rig.migration(ReliabilityRig.APP_IMAGE, 5432);
      deleting.getMetadata().setName("deleting");
      deleting.getMetadata().setFinalizers(List.of(DatabaseMigrationReconciler.LEGACY_FINALIZER));
      rig.cluster.apply(kept);
      rig.client.resource(rig.cluster.apply(deleting)).delete();
      assertThat(rig.client.resource(deleting).get().getMetadata().getDeletionTimestamp())
          .as("held by the old finalizer").isNotNull();

      rig.startOperator(DatabaseCheckMode.BEST_EFFORT);

      await("the deleted resource is gone").atMost(ReliabilityRig.TIMEOUT)
          .until(() -> rig.client.resource(deleting).get() == null);
      await("the kept resource lost the old finalizer").atMost(ReliabilityRig.TIMEOUT)
          .until(() -> rig.client.resource(kept).get().getMetadata().getFinalizers().isEmpty());
      ScenarioTable.record("operator upgraded over the old finalizer",
          "finalizers [], deleted resource gone",
          "finalizers " + rig.client.resource(kept).get().getMetadata().getFinalizers()
              + ", deleted resource " + (rig.client.resource(deleting).get() == null ? "gone"
              : "still there"));
    }
  }
}
