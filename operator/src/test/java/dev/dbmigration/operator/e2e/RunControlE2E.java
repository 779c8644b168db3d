package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.RunRecord;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Running again and not running again, on the real cluster: kubectl wait right after a rerun,
 * a Job removed by the TTL controller, a rerun soon after that, and a pod that can never start
 * while another resource waits for the same database.
 */
@Order(5)
class RunControlE2E extends ClusterScenario {

  /**
   * Issue 19: kubectl wait right after a rerun request returned on the last run's Ready when the
   * operator had not yet turned it False. A spec.rerun is a new generation, and kubectl skips a
   * condition of an older one: with the operator stopped when the rerun is asked for (an outage,
   * or just a slow reconcile), the wait must hold until the new run has succeeded.
   */
  @Test
  void kubectlWaitRightAfterARerunWaitsForTheNewRun() throws Exception {
    String ns = cluster.newNamespace("rerun-wait");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-rerun-wait");
    migrations.create(Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/bootstrap"));
    DatabaseMigrationStatus first = migrations.awaitFinished(ns, "app", 1L);
    assertThat(first.getPhase()).isEqualTo(Phase.Succeeded);

    operator.scale(0);
    CompletableFuture<Instant> waited;
    try {
      cluster.kubectl("patch", "-n", ns, "dbm/app", "--type=merge", "-p",
          "{\"spec\":{\"rerun\":\"" + Instant.now().getEpochSecond() + "\"}}");
      waited = CompletableFuture.supplyAsync(() -> {
        cluster.kubectl("wait", "-n", ns, "--for=condition=Ready", "dbm/app", "--timeout=240s");
        return Instant.now();
      });
      await("kubectl wait holds while no one has run the rerun")
          .during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20))
          .until(() -> !waited.isDone());
    } finally {
      operator.scale(1);
    }
    Instant returned = await("kubectl wait returns").atMost(Migrations.RUN)
        .until(() -> waited.getNow(null), r -> r != null);

    DatabaseMigrationStatus now = migrations.status(ns, "app");
    Job second = cluster.client().batch().v1().jobs().inNamespace(ns)
        .withName(now.getJobName()).get();
    boolean afterCompletion = second.getStatus().getCompletionTime() != null
        && !Instant.parse(second.getStatus().getCompletionTime()).isAfter(returned);
    String observed = "returned on " + (now.getJobName().equals(first.getJobName())
        ? "the first run" : "the new run") + ", its Job complete before: " + afterCompletion;
    ScenarioTable.E2E.row("kubectl wait right after spec.rerun, the operator stopped",
        "returned on the new run, its Job complete before: true", observed);
    assertThat(observed).isEqualTo("returned on the new run, its Job complete before: true");
  }

  /**
   * Issue 13: a finished Job removed by the TTL controller is never run again; and issue 19: a
   * rerun right after waited behind its own deleted Job as WaitingForOtherMigration.
   */
  @Test
  void aJobRemovedByItsTtlIsNotRunAgainAndARerunRightAfterStartsAtOnce() throws Exception {
    String ns = cluster.newNamespace("ttl");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-ttl");
    DatabaseMigration dbm = Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/bootstrap");
    dbm.getSpec().getJob().setTtlSecondsAfterFinished(3);
    migrations.create(dbm);
    DatabaseMigrationStatus done = migrations.awaitFinished(ns, "app", 1L);
    await("the TTL controller removes the Job").atMost(Duration.ofMinutes(1))
        .until(() -> migrations.jobs(ns).isEmpty());
    // Nothing a watch would see starts a run: any event of the resource or its pods would have
    // made one by the time the database's pods and the resource were touched again.
    cluster.client().pods().inNamespace(ns).withName(db.name() + "-0")
        .edit(p -> {
          p.getMetadata().getAnnotations().put("touched", "1");
          return p;
        });
    await("no rerun after the Job went").during(Duration.ofSeconds(8))
        .atMost(Duration.ofSeconds(15)).until(() -> migrations.jobs(ns).isEmpty());
    DatabaseMigrationStatus kept = migrations.status(ns, "app");

    long generation = migrations.edit(ns, "app", s -> s.setRerun("1"));
    Instant asked = Instant.now();
    DatabaseMigrationStatus running = migrations.await(ns, "app", "the rerun started",
        Duration.ofSeconds(60), s -> s.getObservedGeneration() == generation
            && (s.getPhase() == Phase.Running || s.getPhase().isFinal()));
    long startedIn = Duration.between(asked, Instant.now()).toSeconds();
    DatabaseMigrationStatus again = migrations.awaitFinished(ns, "app", generation);
    List<String> reasons = migrations.events(ns, "app").stream().map(Event::getReason).toList();
    String observed = kept.getPhase() + " kept after the TTL, history " + kept.getHistory()
        .stream().map(RunRecord::getResult).toList() + ", rerun " + again.getPhase()
        + ", waited for itself: " + reasons.contains(Reasons.WAITING_FOR_OTHER_MIGRATION);
    ScenarioTable.E2E.row("Job removed by ttlSecondsAfterFinished, then a rerun",
        "Succeeded kept after the TTL, history [Succeeded], rerun Succeeded, waited for itself:"
            + " false (rerun started in " + startedIn + " s)", observed + " (rerun started in "
            + startedIn + " s)");
    assertThat(done.getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(running.getPhase()).isNotEqualTo(Phase.Pending);
    assertThat(observed).isEqualTo("Succeeded kept after the TTL, history [Succeeded], rerun"
        + " Succeeded, waited for itself: false");
  }

  /**
   * Issue 19: an image that runs as root under runAsNonRoot showed Running for 30 minutes while
   * it held the database, so another resource waited behind it.
   */
  @Test
  void aPodThatCannotStartIsNamedAtOnceAndFreesItsDatabase() throws Exception {
    String ns = cluster.newNamespace("root-image");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-root");
    migrations.create(Migrations.of(ns, "stuck", db, Migrations.ROOT_IMAGE, "/app/bootstrap"));
    Instant created = Instant.now();
    migrations.await(ns, "stuck", "its Job", Duration.ofSeconds(60),
        s -> s.getJobName() != null);
    CompletableFuture<DatabaseMigrationStatus> other = CompletableFuture.supplyAsync(() -> {
      migrations.create(Migrations.of(ns, "other", db, Migrations.BUILD_1, "/app/bootstrap"));
      return migrations.awaitFinished(ns, "other", 1L);
    });

    DatabaseMigrationStatus ended = migrations.await(ns, "stuck", "Failed",
        Duration.ofMinutes(1), s -> s.getPhase() == Phase.Failed);
    long seconds = Duration.between(created, Instant.now()).toSeconds();
    DatabaseMigrationStatus otherDone = other.get();
    String observed = ended.getPhase() + " " + Migrations.readyReason(ended) + " naming "
        + (ended.getMessage().contains("runAsNonRoot") ? "runAsNonRoot" : ended.getMessage())
        + ", the other resource " + otherDone.getPhase() + " at " + db.revision();
    ScenarioTable.E2E.row("image runs as root under runAsNonRoot, another resource waits",
        "Failed PodNotStarting naming runAsNonRoot, the other resource Succeeded at "
            + Migrations.HEAD + " (ended in " + seconds + " s)", observed + " (ended in "
            + seconds + " s)");
    assertThat(observed).isEqualTo("Failed PodNotStarting naming runAsNonRoot, the other"
        + " resource Succeeded at " + Migrations.HEAD);
    assertThat(seconds).as("ended within seconds, not at the 30-minute deadline")
        .isLessThan(60);
  }
}
