package dev.dbmigration.operator.model.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.run.Run;
import dev.dbmigration.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  @Test
  void readyOnlyWhenTheCurrentGenerationSucceeded() {
    assertThat(Readiness.of(at(2L, 2L, Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED)).state())
        .isEqualTo(Readiness.State.READY);
    assertThat(Readiness.of(at(3L, 2L, Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED)).state())
        .as("a success of the previous generation").isEqualTo(Readiness.State.WAITING);
  }

  @Test
  void failedAndInvalidEndTheWaitRunningAndWaitingDoNot() {
    assertThat(Readiness.of(at(1L, 1L, Phase.Failed, Reasons.MIGRATION_FAILED)).state())
        .isEqualTo(Readiness.State.FAILED);
    assertThat(Readiness.of(at(1L, 1L, Phase.Invalid, Reasons.INVALID_SPEC)).state())
        .isEqualTo(Readiness.State.FAILED);
    assertThat(Readiness.of(at(1L, 1L, Phase.Running, Reasons.MIGRATION_RUNNING)).state())
        .isEqualTo(Readiness.State.WAITING);
    assertThat(Readiness.of(at(1L, 1L, Phase.WaitingForDatabase, Reasons.LEADER_NOT_FOUND)))
        .satisfies(r -> {
          assertThat(r.state()).isEqualTo(Readiness.State.WAITING);
          assertThat(r.message()).startsWith("WaitingForDatabase (LeaderNotFound): ");
        });
  }

  /** Issue 15: the app's wait mode means "migrated"; a plan that awaits approval is not. */
  @Test
  void aPlanAwaitingApprovalKeepsTheAppWaiting() {
    assertThat(Readiness.of(at(1L, 1L, Phase.AwaitingApproval, Reasons.AWAITING_APPROVAL)))
        .satisfies(r -> {
          assertThat(r.state()).isEqualTo(Readiness.State.WAITING);
          assertThat(r.message()).startsWith("AwaitingApproval (AwaitingApproval): ");
        });
  }

  /** Issue 19: an app rolled out with a new image is not released by the old image's run. */
  @Test
  void theRunOfAnotherImageDoesNotReleaseAnAppOfANewOne() {
    DatabaseMigration dbm = at(1L, 1L, Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED);
    dbm.getStatus().setImage("registry.example/wps-api:build-1");

    assertThat(Readiness.of(dbm, "registry.example/wps-api:build-1").state())
        .isEqualTo(Readiness.State.READY);
    assertThat(Readiness.of(dbm, "registry.example/wps-api:build-2")).satisfies(r -> {
      assertThat(r.state()).isEqualTo(Readiness.State.WAITING);
      assertThat(r.message()).contains("build-2", "build-1");
    });
    // A failure of the old image's run says nothing about the new one either.
    DatabaseMigration failed = at(1L, 1L, Phase.Failed, Reasons.MIGRATION_FAILED);
    failed.getStatus().setImage("registry.example/wps-api:build-1");
    assertThat(Readiness.of(failed, "registry.example/wps-api:build-2").state())
        .isEqualTo(Readiness.State.WAITING);
  }

  /** Issue 19: a rerun requested by annotation is pending until the operator reports it. */
  @Test
  void aRerunRequestNotYetSeenWaits() {
    DatabaseMigration dbm = at(1L, 1L, Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED);
    dbm.getMetadata().setAnnotations(java.util.Map.of(DatabaseMigration.RERUN_ANNOTATION, "2"));

    assertThat(Readiness.of(dbm).state()).isEqualTo(Readiness.State.WAITING);
    dbm.getStatus().setRerun("2");
    assertThat(Readiness.of(dbm).state()).isEqualTo(Readiness.State.READY);
  }

  @Test
  void anAbsentResourceOrStatusWaits() {
    assertThat(Readiness.of(null).state()).isEqualTo(Readiness.State.WAITING);
    DatabaseMigration fresh = Fixtures.migration("ns", "wps-api");
    fresh.getMetadata().setGeneration(1L);
    assertThat(Readiness.of(fresh).state()).isEqualTo(Readiness.State.WAITING);
  }

  private static DatabaseMigration at(long generation, long observed, Phase phase, String reason) {
    DatabaseMigration dbm = Fixtures.migration("ns", "wps-api");
    dbm.getMetadata().setGeneration(generation);
    dbm.setStatus(StatusAssembler.assemble(null, observed,
        new MigrationState(phase, reason, "detail"), Run.none(null), null, null, null,
        "2026-11-24T10:00:00Z"));
    return dbm;
  }
}
