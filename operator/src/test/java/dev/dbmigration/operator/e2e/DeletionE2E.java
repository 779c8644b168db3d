package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.ScenarioTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Deleting a DatabaseMigration mid-run: no finalizer of the operator's ever held it, the real
 * garbage collector removes its Job and the Job's pod, the migration stops, and nothing of it is
 * left in the database.
 */
@Order(4)
class DeletionE2E extends ClusterScenario {

  @Test
  void aResourceDeletedMidRunTakesItsJobAndPodThroughTheGarbageCollector() throws Exception {
    String ns = cluster.newNamespace("deleted");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-deleted");
    List<List<String>> finalizersSeen = new ArrayList<>();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    ClusterDatabase.Gate gate = db.closeGate();
    try {
      migrations.create(Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/gated"));
      // Every state the resource is seen in, from creation to deletion: never a finalizer.
      watcher.scheduleAtFixedRate(() -> {
        DatabaseMigration seen = migrations.resource(ns, "app").get();
        if (seen != null) {
          synchronized (finalizersSeen) {
            finalizersSeen.add(seen.getMetadata().getFinalizers());
          }
        }
      }, 0, 200, TimeUnit.MILLISECONDS);
      gate.awaitMigrationWaiting(Migrations.RUN);
      String job = migrations.await(ns, "app", "Running", Migrations.RUN,
          s -> s.getPhase() == Phase.Running).getJobName();
      assertThat(migrations.podsOf(ns, job)).hasSize(1);

      long start = System.nanoTime();
      migrations.resource(ns, "app").delete();
      await("the Job and its pod collected").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> migrations.jobs(ns).isEmpty() && migrations.podsOf(ns, job).isEmpty());
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      // A backend waiting for a lock does not notice its client is gone; once the gate opens it
      // runs on, finds no client to answer, and its transaction is rolled back.
      gate.close();
      await("the stopped migration's session ends").atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> "0".equals(db.query("SELECT count(*) FROM pg_stat_activity WHERE"
              + " datname = current_database() AND pid <> pg_backend_pid()")));
      watcher.shutdownNow();
      watcher.awaitTermination(5, TimeUnit.SECONDS);
      boolean anyFinalizer;
      synchronized (finalizersSeen) {
        anyFinalizer = finalizersSeen.stream().anyMatch(f -> f != null && !f.isEmpty());
      }
      String observed = (migrations.resource(ns, "app").get() == null ? "gone" : "still there")
          + ", finalizer seen: " + anyFinalizer + ", 0 Jobs, 0 pods, database at "
          + db.revision() + ", effect table: " + db.query("SELECT to_regclass('effect')");
      ScenarioTable.E2E.row("resource deleted mid-run (garbage collector)",
          "gone, finalizer seen: false, 0 Jobs, 0 pods, database at base, effect table: null"
              + " (in " + seconds + " s)", observed + " (in " + seconds + " s)");
      assertThat(observed).isEqualTo("gone, finalizer seen: false, 0 Jobs, 0 pods, database at"
          + " base, effect table: null");
    } finally {
      watcher.shutdownNow();
      gate.close();
    }
  }
}
