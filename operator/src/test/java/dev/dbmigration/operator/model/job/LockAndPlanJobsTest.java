package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock sidecar in a run's pod, and the plan's and drift check's Jobs made from the run's. */
class LockAndPlanJobsTest {

  private static final String HOST = "10.128.3.17";
  private static final String OPERATOR_IMAGE = "ghcr.io/dbmigration/database-migration-operator:1";

  private static DatabaseMigration dbm() {
    DatabaseMigration dbm = Fixtures.migration("pr-1234", "wps-api");
    dbm.getMetadata().setUid("uid-1");
    return dbm;
  }

  @Test
  void theLockSidecarStartsBeforeTheEngineAndGetsTheCredentialsOnlyByReference() {
    Job job = MigrationJobBuilder.build(dbm(), "wps-api-g1-abcde", HOST, Fixtures.IMAGE,
        OPERATOR_IMAGE);
    Container lock = job.getSpec().getTemplate().getSpec().getInitContainers().get(0);
    assertThat(lock.getName()).isEqualTo(LockSidecar.CONTAINER_NAME);
    assertThat(lock.getRestartPolicy()).isEqualTo("Always");
    assertThat(lock.getImage()).isEqualTo(OPERATOR_IMAGE);
    assertThat(lock.getCommand()).isNullOrEmpty();
    assertThat(lock.getStartupProbe().getTcpSocket().getPort().getIntVal())
        .isEqualTo(LockSidecar.READY_PORT);
    // The probe may fail as long as the run may last: the wait for the lock is the run's.
    assertThat(lock.getStartupProbe().getFailureThreshold()).isEqualTo(1800);
    assertThat(lock.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(lock.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    EnvVar password = lock.getEnv().stream()
        .filter(e -> e.getName().equals("DBMIGRATION_LOCK_PASSWORD")).findFirst().orElseThrow();
    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("app-db-password");
    assertThat(lock.getEnv()).anyMatch(e -> e.getName().equals("DBMIGRATION_LOCK_HOST")
        && HOST.equals(e.getValue()));
    Container migrate = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(migrate.getEnv()).anyMatch(e -> e.getName().equals("DBMIGRATION_LOCK_HELD")
        && "true".equals(e.getValue()));
  }

  @Test
  void flywayLocksItsOwnVersionTable() {
    DatabaseMigration flyway = dbm();
    flyway.getSpec().setEngine(Engine.FLYWAY);
    Job job = MigrationJobBuilder.build(flyway, "wps-api-g1-abcde", HOST, Fixtures.IMAGE,
        OPERATOR_IMAGE);
    assertThat(job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getArgs())
        .contains("--version-table=flyway_schema_history");
  }

  @Test
  void aUsersCommandHasNoVersionTableToLockSoItsPodHasNoSidecar() {
    DatabaseMigration command = dbm();
    command.getSpec().setEngine(Engine.COMMAND);
    command.getSpec().setCommand(java.util.List.of("alembic", "upgrade", "head"));
    Job job = MigrationJobBuilder.build(command, "wps-api-g1-abcde", HOST, Fixtures.IMAGE,
        OPERATOR_IMAGE);
    assertThat(job.getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().equals(LockSidecar.HELD_VARIABLE));
  }

  @Test
  void withoutTheLockThereIsNoSidecarAndNoHeldVariable() {
    DatabaseMigration unlocked = dbm();
    unlocked.getSpec().setDatabaseLock(false);
    Job job = MigrationJobBuilder.build(unlocked, "wps-api-g1-abcde", HOST, Fixtures.IMAGE,
        OPERATOR_IMAGE);
    assertThat(job.getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().equals(LockSidecar.HELD_VARIABLE));
  }

  @Test
  void anOfflinePlanJobHasNoCredentialsNoLockAndAHostThatResolvesNowhere() {
    DatabaseMigration dbm = dbm();
    PlanCommand plan = new AlembicEngine().plan(dbm.getSpec(), "base").orElseThrow();
    Job job = PlanJobBuilder.plan(dbm, "wps-api-g1-abcde-pxxxxx", HOST, Fixtures.IMAGE, plan);
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo(PlanJobBuilder.PLAN_CONTAINER);
    assertThat(container.getCommand().subList(0, 2)).containsExactly("python3", "-c");
    assertThat(container.getCommand().subList(3, 6)).containsExactly("upgrade", "base", "head");
    assertThat(container.getEnv()).noneMatch(e -> e.getValueFrom() != null);
    assertThat(container.getEnv()).anyMatch(e -> e.getName().equals("POSTGRES_HOST")
        && PlanJobBuilder.OFFLINE_HOST.equals(e.getValue()));
    assertThat(Serialization.asJson(job)).doesNotContain(HOST);
    assertThat(job.getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getMetadata().getLabels()).containsEntry(Labels.COMPONENT,
        Labels.COMPONENT_PLAN);
    assertThat(container.getWorkingDir()).isEqualTo("/app/bootstrap");
  }

  @Test
  void aFlywayPlanReadsTheDatabaseWithTheRunsConnection() {
    DatabaseMigration flyway = dbm();
    flyway.getSpec().setEngine(Engine.FLYWAY);
    PlanCommand plan = new FlywayEngine().plan(flyway.getSpec(), "1").orElseThrow();
    Job job = PlanJobBuilder.plan(flyway, "p", HOST, Fixtures.IMAGE, plan);
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getCommand()).containsExactly("flyway", "info");
    assertThat(container.getEnv()).anyMatch(e -> e.getValueFrom() != null
        && e.getValueFrom().getSecretKeyRef() != null);
    assertThat(plan.sql()).isFalse();
  }

  @Test
  void theDriftCheckRunsAlembicCheckAgainstTheDatabase() {
    Job job = PlanJobBuilder.driftCheck(dbm(), "wps-api-g1-abcde-check", HOST, Fixtures.IMAGE,
        List.of("alembic", "check"));
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo(PlanJobBuilder.CHECK_CONTAINER);
    assertThat(container.getCommand()).containsExactly("alembic", "check");
    assertThat(container.getEnv()).anyMatch(e -> HOST.equals(e.getValue()));
    assertThat(job.getMetadata().getLabels()).containsEntry(Labels.COMPONENT,
        Labels.COMPONENT_DRIFT_CHECK);
  }

  @Test
  void aPlansOutputIsReadBetweenItsMarkersAfterTheEnginesLogLines() {
    String out = "INFO  [alembic] Running upgrade  -> a1\n"
        + "-----BEGIN DBMIGRATION PLAN {\"heads\": [\"a1\", \"b2\"], \"error\": null}-----\n"
        + "BEGIN;\nCREATE TABLE t ();\nCOMMIT;\n\n-----END DBMIGRATION PLAN-----\n";
    PlanOutput plan = PlanOutput.parse(out, true).orElseThrow();
    assertThat(plan.heads()).containsExactly("a1", "b2");
    assertThat(plan.error()).isNull();
    assertThat(plan.text()).isEqualTo("BEGIN;\nCREATE TABLE t ();\nCOMMIT;\n");
    assertThat(PlanOutput.parse(out.substring(0, out.indexOf("COMMIT")), true)).isEmpty();
  }
}
