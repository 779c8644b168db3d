package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A real Patroni 3.0.2 cluster on the Kubernetes DCS, labelling its own leader: the operator
 * finds it with the patroni preset, checks it is writable, and migrates it; a failover in the
 * middle of a run is named and retried against the new leader, and the migration's effect is in
 * the database exactly once; Patroni killed inside the leader leaves nothing applied twice.
 */
@Order(6)
class PatroniE2E extends ClusterScenario {

  @Test
  void aFailoverMidRunIsNamedAndTheRunRetriedOnTheNewLeaderOnce() throws Exception {
    String ns = cluster.newNamespace("failover");
    ClusterDatabase db = ClusterDatabase.patroni(cluster, ns, "patroni-failover");
    Pod first = db.leader().orElseThrow();
    String revision;
    try (ClusterDatabase.Gate gate = db.closeGate()) {
      migrations.create(Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/gated"));
      gate.awaitMigrationWaiting(Migrations.RUN);
      DatabaseMigrationStatus running = migrations.await(ns, "app", "Running", Migrations.RUN,
          s -> s.getPhase() == Phase.Running);
      assertThat(running.getLeader().getPod()).isEqualTo(first.getMetadata().getName());

      cluster.client().pods().inNamespace(ns).withName(first.getMetadata().getName()).delete();
      Instant deleted = Instant.now();
      Pod promoted = db.awaitLeader(Duration.ofMinutes(2), first.getMetadata().getName());
      long promotedIn = Duration.between(deleted, Instant.now()).toSeconds();
      DatabaseMigrationStatus changed = migrations.await(ns, "app", "LeaderChanged",
          Duration.ofMinutes(2), s -> Reasons.LEADER_CHANGED.equals(Migrations.readyReason(s)));
      Instant detected = Instant.now();
      DatabaseMigrationStatus retried = migrations.await(ns, "app", "the retry running",
          Duration.ofMinutes(2), s -> s.getAttempts() != null && !s.getAttempts().isEmpty()
              && (s.getPhase() == Phase.Running || s.getPhase().isFinal()));
      long retryIn = Duration.between(detected, Instant.now()).toSeconds();
      DatabaseMigrationStatus done = migrations.await(ns, "app", "Succeeded", Migrations.RUN,
          s -> s.getPhase().isFinal());
      revision = db.revision();
      String effects = db.query("SELECT count(*) FROM effect");
      List<Event> events = migrations.events(ns, "app");
      boolean warned = events.stream().anyMatch(e -> Reasons.LEADER_CHANGED.equals(e.getReason())
          && "Warning".equals(e.getType()));
      AttemptStatus attempt = done.getAttempts().get(0);
      String observed = done.getPhase() + " on " + done.getLeader().getPod() + " at "
          + done.getRevision().getCurrent() + ", database at " + revision + ", effect rows "
          + effects + ", attempt 1 " + attempt.getCause() + " on " + attempt.getLeader().getPod()
          + ", Warning event: " + warned;
      ScenarioTable.E2E.row("Patroni failover mid-run (leader pod deleted)",
          "Succeeded on " + promoted.getMetadata().getName() + " at c0ffee000001, database at"
              + " c0ffee000001, effect rows 1, attempt 1 LeaderChanged on "
              + first.getMetadata().getName() + ", Warning event: true (promoted in "
              + promotedIn + " s; LeaderChanged seen " + "→ retry running in " + retryIn + " s)",
          observed + " (promoted in " + promotedIn + " s; LeaderChanged seen → retry running in "
              + retryIn + " s)");
      assertThat(changed.getMessage()).contains(first.getMetadata().getName());
      assertThat(retried).isNotNull();
      assertThat(observed).isEqualTo("Succeeded on " + promoted.getMetadata().getName()
          + " at c0ffee000001, database at c0ffee000001, effect rows 1, attempt 1"
          + " LeaderChanged on " + first.getMetadata().getName() + ", Warning event: true");
    }
  }

  /**
   * Patroni killed inside the leader: the kubelet restarts the container in place and the same
   * member keeps the lead. The run in flight loses its session; whatever the status then says
   * must be what the database holds, and the effect is never applied twice.
   */
  @Test
  void patroniKilledInTheLeaderMidRunAppliesNothingTwiceAndTheStatusTellsTheTruth()
      throws Exception {
    String ns = cluster.newNamespace("patroni-kill");
    ClusterDatabase db = ClusterDatabase.patroni(cluster, ns, "patroni-kill");
    Pod leader = db.leader().orElseThrow();
    int restartsBefore = restarts(ns, leader.getMetadata().getName());
    try (ClusterDatabase.Gate gate = db.closeGate()) {
      migrations.create(Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/gated"));
      gate.awaitMigrationWaiting(Migrations.RUN);
      migrations.await(ns, "app", "Running", Migrations.RUN, s -> s.getPhase() == Phase.Running);
      // From the node, as the OOM killer would: inside its pod namespace, PID 1 cannot be killed.
      assertThat(NodeProcesses.kill(leader.getMetadata().getUid(), "/usr/bin/patroni ")).isPositive();
    } catch (java.sql.SQLException gateLost) {
      // The gate's session went with the PostgreSQL it ran on: the gate is open anyway.
    }
    await("the leader container restarted").atMost(Duration.ofMinutes(2))
        .until(() -> restarts(ns, leader.getMetadata().getName()) > restartsBefore);
    Pod after = db.awaitLeader(Duration.ofMinutes(2), null);
    DatabaseMigrationStatus done = migrations.await(ns, "app", "an end", Duration.ofMinutes(4),
        s -> s.getPhase().isFinal());
    String revision = db.revision();
    String effects = db.query("SELECT to_regclass('effect')") == null ? "0"
        : db.query("SELECT count(*) FROM effect");
    String statusRevision = done.getRevision() == null ? null : done.getRevision().getCurrent();
    boolean truthful = done.getPhase() == Phase.Succeeded
        ? "c0ffee000001".equals(revision) && "1".equals(effects)
            && "c0ffee000001".equals(statusRevision)
        : "base".equals(revision) && "0".equals(effects);
    String observed = "same leader: " + after.getMetadata().getName()
        .equals(leader.getMetadata().getName()) + ", effect applied at most once: "
        + (Integer.parseInt(effects) <= 1) + ", status matches the database: " + truthful;
    ScenarioTable.E2E.row("Patroni killed inside the leader mid-run",
        "same leader: true, effect applied at most once: true, status matches the database:"
            + " true (" + done.getPhase() + " " + Migrations.readyReason(done) + ", database at "
            + revision + ")", observed + " (" + done.getPhase() + " "
            + Migrations.readyReason(done) + ", database at " + revision + ")");
    assertThat(observed).isEqualTo("same leader: true, effect applied at most once: true,"
        + " status matches the database: true");
  }

  private static int restarts(String ns, String pod) {
    Pod p = cluster.client().pods().inNamespace(ns).withName(pod).get();
    return p == null || p.getStatus().getContainerStatuses() == null ? 0
        : p.getStatus().getContainerStatuses().stream().mapToInt(c -> c.getRestartCount()).sum();
  }
}
