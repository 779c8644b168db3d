package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.controller.StatusWriter.EventType;
import dev.dbmigration.operator.model.status.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusWriterTest {

  @ParameterizedTest
  @CsvSource({
      "Running, MigrationRunning, NONE",
      "Succeeded, MigrationSucceeded, NORMAL",
      "Failed, MigrationFailed, WARNING",
      "Failed, PodNotStarting, WARNING",
      "Invalid, InvalidSpec, WARNING",
      "Pending, LeaderChanged, WARNING",
      "Pending, PodNotStarting, WARNING",
      "WaitingForDatabase, MultipleLeaders, WARNING",
      "WaitingForDatabase, LeaderNotFound, NORMAL",
      "Pending, SecretNotFound, NORMAL",
      "Pending, WaitingForOtherMigration, NORMAL",
  })
  void aRunsStartAloneGoesWithoutAnEvent(Phase phase, String reason, EventType expected) {
    assertThat(StatusWriter.eventFor(new MigrationState(phase, reason, "m"))).isEqualTo(expected);
  }

  @Test
  void theSuccessEventSaysWhenAndAgainstWhichLeaderTheRunStarted() {
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setJobName("wps-api-g3-7f2c1");
    status.setStartTime("2026-12-02T10:00:01Z");
    status.setLeader(new LeaderStatus("patroni-wps-0", "10.1.0.5"));

    assertThat(StatusWriter.eventMessage(new MigrationState(Phase.Succeeded,
        Reasons.MIGRATION_SUCCEEDED, "Job wps-api-g3-7f2c1 completed; revision 4d5e6f"), status))
        .isEqualTo("Job wps-api-g3-7f2c1 completed; revision 4d5e6f (Job wps-api-g3-7f2c1"
            + " started 2026-12-02T10:00:01Z against leader patroni-wps-0 (10.1.0.5))");
    status.setLeader(new LeaderStatus(null, "db.example"));
    assertThat(StatusWriter.eventMessage(new MigrationState(Phase.Succeeded,
        Reasons.MIGRATION_SUCCEEDED, "done"), status))
        .endsWith("started 2026-12-02T10:00:01Z against host db.example)");
  }

  @Test
  void aFailuresEventEndsWithTheEnginesOutputAsBefore() {
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setJobName("wps-api-g3-7f2c1");
    status.setStartTime("2026-12-02T10:00:01Z");
    String message = "Job wps-api-g3-7f2c1 failed; output:\nalembic: Can't locate revision";

    assertThat(StatusWriter.eventMessage(new MigrationState(Phase.Failed,
        Reasons.MIGRATION_FAILED, message), status)).isEqualTo(message);
  }
}
