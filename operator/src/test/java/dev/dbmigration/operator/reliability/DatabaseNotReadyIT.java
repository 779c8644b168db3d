package dev.dbmigration.operator.reliability;

import static dev.dbmigration.operator.reliability.ReliabilityRig.condition;
import static dev.dbmigration.operator.reliability.ReliabilityRig.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestPostgres;
import dev.dbmigration.operator.testing.TestStandby;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A database that cannot take the migration yet: unreachable, or a leader in recovery. By
 * default the operator waits with a clear condition and no Job, and the run proceeds when the
 * database comes back; DATABASE_CHECK=best-effort keeps running the Job regardless.
 */
class DatabaseNotReadyIT {

  static final Map<String, String> LEADER = Map.of("cluster-name", "patroni-app", "role", "master");
  static final String HEAD = "8192a3b4c5d6";
  /** A loopback address where nothing listens. */
  static final String NOTHING_THERE = "127.0.0.77";

  @Test
  void anUnreachableDatabaseMeansWaitingWithoutAJobUntilItIsBack() throws Exception {
    TestPostgres postgres = ReliabilityRig.postgres();
    TestPostgres.Credentials db = postgres.createDatabase("unreachable");
    try (ReliabilityRig rig = ReliabilityRig.create("unreachable")) {
      rig.createSecret(db);
      rig.cluster.createReadyPod(rig.namespace, "patroni-app-0", LEADER, NOTHING_THERE);
      rig.startRunner().startOperator(DatabaseCheckMode.REQUIRED);
      rig.cluster.apply(rig.migration(ReliabilityRig.APP_IMAGE, postgres.port()));

      DatabaseMigrationStatus waiting = rig.awaitStatus("WaitingForDatabase",
          s -> s.getPhase() == Phase.WaitingForDatabase);
      await("no Job while the database is unreachable").during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(15)).until(() -> rig.cluster.jobs(rig.namespace).isEmpty());
      waiting = rig.status();
      ScenarioTable.record("database unreachable (DATABASE_CHECK=required)",
          "WaitingForDatabase DatabaseUnreachable, DatabaseReachable=False, 0 Jobs",
          waiting.getPhase() + " " + readyReason(waiting) + ", DatabaseReachable="
              + condition(waiting, "DatabaseReachable").getStatus() + ", "
              + rig.cluster.jobs(rig.namespace).size() + " Jobs");
      assertThat(waiting.getPhase()).isEqualTo(Phase.WaitingForDatabase);
      assertThat(readyReason(waiting)).isEqualTo("DatabaseUnreachable");
      assertThat(waiting.getMessage()).contains(NOTHING_THERE + ":" + postgres.port())
          .contains("no Job until it can").doesNotContain(db.password());
      assertThat(condition(waiting, "DatabaseReachable").getStatus()).isEqualTo("False");
      assertThat(condition(waiting, "Reconciling").getStatus()).isEqualTo("True");
      assertThat(Serialization.asYaml(waiting)).doesNotContain(db.password());

      // The pod comes back at an address where the database answers.
      rig.cluster.setPodStatus(rig.namespace, "patroni-app-0", "Running", true, postgres.host());

      DatabaseMigrationStatus done = rig.awaitStatus("Succeeded",
          s -> s.getPhase() == Phase.Succeeded || s.getPhase() == Phase.Failed);
      String revision = TestPostgres.alembicRevision(postgres.connect(db));
      ScenarioTable.record("database back after being unreachable",
          "Succeeded, 1 Job, database at " + HEAD,
          done.getPhase() + ", " + rig.cluster.jobs(rig.namespace).size()
              + " Job, database at " + revision);
      assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(Phase.Succeeded);
      assertThat(rig.cluster.jobs(rig.namespace)).hasSize(1);
      assertThat(revision).isEqualTo(HEAD);
      assertThat(done.getRevision().getCurrent()).isEqualTo(HEAD);
      assertThat(condition(done, "DatabaseReachable").getStatus()).isEqualTo("True");
      await().atMost(ReliabilityRig.TIMEOUT).untilAsserted(() -> assertThat(rig.eventReasons())
          .contains("DatabaseUnreachable", "MigrationSucceeded"));
    }
  }

  @Test
  void aLeaderInRecoveryMeansWaitingWithoutAJobUntilItIsPromoted() throws Exception {
    TestPostgres postgres = ReliabilityRig.postgres();
    TestPostgres.Credentials db = postgres.createDatabase("recovery");
    try (ReliabilityRig rig = ReliabilityRig.create("recovery");
         TestStandby standby = TestStandby.of(postgres)) {
      assertThat(standby.inRecovery()).isTrue();
      rig.createSecret(db);
      // The pod that carries the leader label is a replica: a stale label mid-failover.
      rig.cluster.createReadyPod(rig.namespace, "patroni-app-1", LEADER, standby.host());
      rig.startRunner().startOperator(DatabaseCheckMode.REQUIRED);
      rig.cluster.apply(rig.migration(ReliabilityRig.APP_IMAGE, standby.port()));

      rig.awaitStatus("LeaderInRecovery", s -> s.getPhase() == Phase.WaitingForDatabase
          && "LeaderInRecovery".equals(readyReason(s)));
      await("no Job while the leader is in recovery").during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(15)).until(() -> rig.cluster.jobs(rig.namespace).isEmpty());
      DatabaseMigrationStatus waiting = rig.status();
      ScenarioTable.record("leader in recovery (a real streaming standby)",
          "WaitingForDatabase LeaderInRecovery, 0 Jobs",
          waiting.getPhase() + " " + readyReason(waiting) + ", "
              + rig.cluster.jobs(rig.namespace).size() + " Jobs");
      assertThat(waiting.getPhase()).isEqualTo(Phase.WaitingForDatabase);
      assertThat(readyReason(waiting)).isEqualTo("LeaderInRecovery");
      assertThat(waiting.getMessage()).contains("patroni-app-1", "in recovery");

      standby.promote();

      DatabaseMigrationStatus done = rig.awaitStatus("Succeeded after the promotion",
          s -> s.getPhase() == Phase.Succeeded || s.getPhase() == Phase.Failed);
      String revision = TestPostgres.alembicRevision(standby.connect(db));
      String onOldPrimary = TestPostgres.alembicRevision(postgres.connect(db));
      ScenarioTable.record("leader promoted after recovery",
          "Succeeded, 1 Job, promoted server at " + HEAD + ", old primary at base",
          done.getPhase() + ", " + rig.cluster.jobs(rig.namespace).size()
              + " Job, promoted server at " + revision + ", old primary at " + onOldPrimary);
      assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(Phase.Succeeded);
      assertThat(rig.cluster.jobs(rig.namespace)).hasSize(1);
      assertThat(revision).isEqualTo(HEAD);
      assertThat(onOldPrimary).isEqualTo("base");
      assertThat(standby.inRecovery()).isFalse();
    }
  }

  /**
   * Kubernetes alone: with DATABASE_CHECK=best-effort (an operator kept from the databases by a
   * network policy) an unreachable database does not hold the Job back; the condition says so.
   */
  @Test
  void bestEffortRunsTheJobAlthoughTheOperatorCannotReachTheDatabase() {
    try (ReliabilityRig rig = ReliabilityRig.create("best-effort")) {
      rig.cluster.createSeedSecret(rig.namespace, "app-creds");
      rig.cluster.createReadyPod(rig.namespace, "patroni-app-0", LEADER, NOTHING_THERE);
      rig.startOperator(DatabaseCheckMode.BEST_EFFORT);
      rig.cluster.apply(rig.migration(ReliabilityRig.APP_IMAGE, 5432));

      Job job = await("a Job").atMost(ReliabilityRig.TIMEOUT)
          .until(() -> rig.cluster.jobs(rig.namespace), j -> j.size() == 1).get(0);
      DatabaseMigrationStatus running = rig.awaitStatus("Running",
          s -> s.getPhase() == Phase.Running);
      ScenarioTable.record("database unreachable (DATABASE_CHECK=best-effort)",
          "Running, DatabaseReachable=False, 1 Job",
          running.getPhase() + ", DatabaseReachable="
              + condition(running, "DatabaseReachable").getStatus() + ", "
              + rig.cluster.jobs(rig.namespace).size() + " Job");
      assertThat(condition(running, "DatabaseReachable").getMessage())
          .contains("runs in its Job regardless");
      rig.cluster.completeJob(rig.namespace, job.getMetadata().getName());
      rig.awaitStatus("Succeeded", s -> s.getPhase() == Phase.Succeeded);
    }
  }
}
