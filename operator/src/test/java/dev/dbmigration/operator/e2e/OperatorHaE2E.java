package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas from the chart: the leading pod deleted in the middle of a run, the
 * other takes over at once (the stopping replica hands its Lease back), and the run ends with one
 * Job and one success Event.
 */
@Order(8)
class OperatorHaE2E extends ClusterScenario {

  @AfterEach
  void oneReplicaAgain() {
    operator.upgrade(OperatorInstall.sharedValues());
    operator.awaitReady();
  }

  @Test
  void theLeadingReplicaDeletedMidRunHandsOverAtOnceAndTheRunEndsOnce() throws Exception {
    Map<String, Object> two = new HashMap<>(OperatorInstall.sharedValues());
    two.put("replicas", 2);
    operator.upgrade(two);
    operator.awaitReady();
    String ns = cluster.newNamespace("ha");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-ha");
    String leader;
    long handover;
    try (ClusterDatabase.Gate gate = db.closeGate()) {
      migrations.create(Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/gated"));
      gate.awaitMigrationWaiting(Migrations.RUN);
      migrations.await(ns, "app", "Running", Migrations.RUN, s -> s.getPhase() == Phase.Running);
      leader = holder();
      assertThat(operator.pods()).extracting(p -> p.getMetadata().getName()).contains(leader);

      long start = System.nanoTime();
      cluster.client().pods().inNamespace(operator.namespace()).withName(leader).delete();
      String next = await("another replica holds the Lease").atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(200))
          .until(OperatorHaE2E::holder, h -> h != null && !h.isEmpty() && !h.equals(leader));
      handover = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertThat(next).isNotEqualTo(leader);
    }
    DatabaseMigrationStatus done = migrations.await(ns, "app", "Succeeded", Migrations.RUN,
        s -> s.getPhase().isFinal());
    long succeededEvents = migrations.eventsOnce(ns, "app", Reasons.MIGRATION_SUCCEEDED).stream()
        .filter(e -> Reasons.MIGRATION_SUCCEEDED.equals(e.getReason())).count();
    String observed = done.getPhase() + ", " + migrations.jobs(ns).size() + " Job, "
        + succeededEvents + " success Event, handed over within 5 s: " + (handover < 5000);
    ScenarioTable.E2E.row("two replicas, the leading one deleted mid-run",
        "Succeeded, 1 Job, 1 success Event, handed over within 5 s: true (in " + handover
            + " ms)", observed + " (in " + handover + " ms)");
    assertThat(observed).isEqualTo("Succeeded, 1 Job, 1 success Event, handed over within 5 s:"
        + " true");
  }

  /** The pod that holds the shared operator's Lease; null when none is held. */
  static String holder() {
    RealCluster cluster = RealCluster.get();
    OperatorInstall operator = OperatorInstall.shared(cluster);
    Lease lease = cluster.client().leases().inNamespace(operator.namespace())
        .withName(operator.release() + "-database-migration-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
