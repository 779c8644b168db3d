package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.lock.LockKey;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.testing.ScenarioTable;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The database lock on a real Patroni cluster: an app replica that migrates at start with an
 * env.py taking the operator's key (/app/locking) holds the lock mid-migration (held at the
 * gate); the operator's run waits for it in its lock sidecar (seen in pg_locks), then finds
 * nothing to do. Then a holder that dies: its pod killed, its session and the lock go with it,
 * and the waiting run goes on and applies the revision once.
 */
@Order(42)
class DatabaseLockE2E extends ClusterScenario {

  @Test
  void twoRunnersNeverInterleaveAndALockGoesWithItsHoldersSession() throws Exception {
    String ns = cluster.newNamespace("lock");
    ClusterDatabase db = ClusterDatabase.patroni(cluster, ns, "patroni-lock");
    long key = LockKey.of(db.database(), "alembic_version");

    // One waits, then finds nothing to do.
    List<String> whileReplicaHolds;
    String log;
    DatabaseMigrationStatus nothingToDo;
    try (ClusterDatabase.Gate gate = db.closeGate()) {
      replica(ns, db, "replica-1");
      awaitLock(db, key, List.of("granted"));
      migrations.create(Migrations.of(ns, "app", db, Migrations.BUILD_1, "/app/locking"));
      whileReplicaHolds = awaitLock(db, key, List.of("granted", "dbmigration-lock waiting"));
      String phaseWhileWaiting = migrations.status(ns, "app").getPhase().name();
      assertThat(phaseWhileWaiting).isEqualTo("Running");
    }
    nothingToDo = migrations.awaitFinished(ns, "app", 1L);
    log = cluster.kubectl("logs", "-n", ns, "job/" + nothingToDo.getJobName(), "-c", "migrate");
    String lockLog = cluster.kubectl("logs", "-n", ns, "job/" + nothingToDo.getJobName(), "-c",
        "lock");
    String first = "while the replica migrates: " + whileReplicaHolds + "; then the operator's"
        + " run: " + nothingToDo.getPhase() + " at " + nothingToDo.getRevision().getCurrent()
        + ", its alembic ran no revision: " + !log.contains("Running upgrade")
        + ", its sidecar waited: " + lockLog.contains("waiting for advisory lock " + key)
        + ", effect rows " + db.query("SELECT count(*) FROM effect");
    ScenarioTable.E2E.row("database lock: an app replica migrating, the operator's run waits"
        + " (Patroni)", "while the replica migrates: [app granted, dbmigration-lock waiting];"
        + " then the operator's run: Succeeded at c0ffee000001, its alembic ran no revision:"
        + " true, its sidecar waited: true, effect rows 1", first);
    assertThat(first).isEqualTo("while the replica migrates: [app granted, dbmigration-lock"
        + " waiting]; then the operator's run: Succeeded at c0ffee000001, its alembic ran no"
        + " revision: true, its sidecar waited: true, effect rows 1");

    long down = migrations.edit(ns, "app", s -> {
      s.setAction(Action.DOWNGRADE);
      s.setAllowDowngrade(true);
      s.setTarget("base");
    });
    assertThat(migrations.awaitFinished(ns, "app", down).getPhase()).isEqualTo(Phase.Succeeded);

    // A holder that dies: the lock goes with its session.
    List<String> beforeKill;
    List<String> afterKill;
    try (ClusterDatabase.Gate gate = db.closeGate()) {
      Job holder = replica(ns, db, "replica-2");
      awaitLock(db, key, List.of("granted"));
      long up = migrations.edit(ns, "app", s -> {
        s.setAction(Action.UPGRADE);
        s.setAllowDowngrade(false);
        s.setTarget("head");
      });
      beforeKill = awaitLock(db, key, List.of("granted", "dbmigration-lock waiting"));
      long killed = System.nanoTime();
      for (Pod pod : migrations.podsOf(ns, holder.getMetadata().getName())) {
        cluster.client().pods().inNamespace(ns).withName(pod.getMetadata().getName())
            .withGracePeriod(0).delete();
      }
      cluster.client().batch().v1().jobs().inNamespace(ns)
          .withName(holder.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      afterKill = awaitLock(db, key, List.of("dbmigration-lock granted"));
      // Bounded by the env.py's client_connection_check_interval: the holder was mid-statement.
      long releasedMs = Duration.ofNanos(System.nanoTime() - killed).toMillis();
      assertThat(releasedMs).isLessThan(30_000);
      gate.awaitMigrationWaiting(Migrations.RUN);
      gate.close();
      DatabaseMigrationStatus applied = migrations.awaitFinished(ns, "app", up);
      String second = "before the kill: " + beforeKill + "; after: " + afterKill + "; the run: "
          + applied.getPhase() + " at " + applied.getRevision().getCurrent() + ", effect rows "
          + db.query("SELECT count(*) FROM effect");
      System.out.println("[lock] released " + releasedMs + " ms after the holder's pod was"
          + " deleted");
      ScenarioTable.E2E.row("database lock: its holder's pod killed, the lock goes with the"
          + " session (Patroni)", "before the kill: [app granted, dbmigration-lock waiting];"
          + " after: [dbmigration-lock granted]; the run: Succeeded at c0ffee000001, effect rows"
          + " 1", second);
      assertThat(second).isEqualTo("before the kill: [app granted, dbmigration-lock waiting];"
          + " after: [dbmigration-lock granted]; the run: Succeeded at c0ffee000001, effect rows"
          + " 1");
    }
  }

  /**
   * An app replica that migrates at start: alembic upgrade head of /app/locking, whose env.py
   * takes the lock itself, as a plain Job the operator does not own.
   */
  private static Job replica(String ns, ClusterDatabase db, String name) {
    DatabaseMigration like = Migrations.of(ns, name, db, Migrations.BUILD_1, "/app/locking");
    like.getMetadata().setUid("none");
    Job job = MigrationJobBuilder.build(like, name, db.leader().orElseThrow().getStatus()
        .getPodIP(), Migrations.BUILD_1, null);
    job.getMetadata().setOwnerReferences(List.of());
    job.getMetadata().setLabels(Map.of("app", name));
    job.getMetadata().setAnnotations(Map.of());
    job.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", name));
    return cluster.client().resource(job).create();
  }

  /** The lock's sessions once they are {@code expected} (each row's end, holders first). */
  private static List<String> awaitLock(ClusterDatabase db, long key, List<String> expected) {
    return await("advisory lock " + key + " " + expected).atMost(Migrations.RUN)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> db.advisoryLock(key), rows -> rows.size() == expected.size()
            && java.util.stream.IntStream.range(0, rows.size())
                .allMatch(i -> rows.get(i).endsWith(expected.get(i))));
  }
}
