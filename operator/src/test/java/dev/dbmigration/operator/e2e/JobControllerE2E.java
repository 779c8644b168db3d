package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.PullPolicy;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.testing.ScenarioTable;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * What the real Job controller and kubelet decide, and what the status then says: one pod for a
 * failing migration under backoffLimit 0, a hung migration stopped at its deadline, and a pod that
 * can never start named within seconds and its run ended, not left Running for half an hour.
 */
@Order(3)
class JobControllerE2E extends ClusterScenario {

  @Test
  void aFailingMigrationUnderBackoffLimitZeroRunsOnePodAndReportsTheToolsWordsMasked()
      throws Exception {
    String ns = cluster.newNamespace("failing");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-failing");
    migrations.create(Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/failing"));

    DatabaseMigrationStatus failed = migrations.await(ns, "app", "Failed", Migrations.RUN,
        s -> s.getPhase() == Phase.Failed);
    int pods = migrations.podsOf(ns, failed.getJobName()).size();
    boolean masked = !failed.getMessage().contains(db.password());
    String observed = failed.getPhase() + " " + Migrations.readyReason(failed) + ", " + pods
        + " pod, output " + (failed.getMessage().contains("boom: intentional failure")
        ? "shown" : "missing") + (masked ? ", password masked" : ", PASSWORD SHOWN")
        + ", database at " + db.revision();
    ScenarioTable.E2E.row("failing migration, backoffLimit 0",
        "Failed MigrationFailed, 1 pod, output shown, password masked, database at a1b2c3d4e5f6",
        observed);
    assertThat(observed).isEqualTo("Failed MigrationFailed, 1 pod, output shown, password"
        + " masked, database at a1b2c3d4e5f6");
  }

  @Test
  void aHungMigrationIsStoppedAtItsDeadlineAndTheStatusSaysSo() throws Exception {
    String ns = cluster.newNamespace("hung");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-hung");
    try (ClusterDatabase.Gate gate = db.closeGate()) {
      DatabaseMigration dbm = Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/gated");
      dbm.getSpec().getJob().setActiveDeadlineSeconds(15L);
      migrations.create(dbm);
      gate.awaitMigrationWaiting(Migrations.RUN);

      DatabaseMigrationStatus stopped = migrations.await(ns, "app", "Failed", Migrations.RUN,
          s -> s.getPhase() == Phase.Failed);
      String observed = stopped.getPhase() + ", " + (stopped.getMessage()
          .contains("DeadlineExceeded") ? "DeadlineExceeded" : stopped.getMessage())
          + ", nothing applied: " + "base".equals(db.revision());
      ScenarioTable.E2E.row("hung migration, activeDeadlineSeconds 15",
          "Failed, DeadlineExceeded, nothing applied: true", observed);
      assertThat(observed).isEqualTo("Failed, DeadlineExceeded, nothing applied: true");
    }
  }

  @Test
  void anImageThatIsNotThereIsNamedWithinSecondsAndEndsTheRun() {
    String ns = cluster.newNamespace("absent");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-absent");
    DatabaseMigration dbm = Migrations.of(ns, "app", db, "localhost/wps-api:absent",
        "/app/bootstrap");
    dbm.getSpec().getJob().setImagePullPolicy(PullPolicy.Never);
    migrations.create(dbm);
    Instant created = Instant.now();

    DatabaseMigrationStatus ended = migrations.await(ns, "app", "Failed", Duration.ofMinutes(1),
        s -> s.getPhase() == Phase.Failed);
    long seconds = Duration.between(created, Instant.now()).toSeconds();
    boolean jobGone = migrations.jobs(ns).isEmpty()
        || migrations.jobs(ns).get(0).getMetadata().getDeletionTimestamp() != null;
    String observed = ended.getPhase() + " " + Migrations.readyReason(ended) + ", names "
        + (ended.getMessage().contains("localhost/wps-api:absent") ? "the image" : "nothing")
        + ", Job removed: " + jobGone;
    ScenarioTable.E2E.row("image absent (imagePullPolicy Never)",
        "Failed PodNotStarting, names the image, Job removed: true (in " + seconds + " s)",
        observed + " (in " + seconds + " s)");
    assertThat(observed).isEqualTo("Failed " + Reasons.POD_NOT_STARTING
        + ", names the image, Job removed: true");
  }
}
