package dev.dbmigration.operator.model.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunIdentityTest {

  @Test
  void aNewResourceRunsAtItsGeneration() {
    RunIdentity run = RunIdentity.of(migration(3L), null, null);

    assertThat(run.generation()).isEqualTo(3L);
    assertThat(run.text()).matches("^g3-[a-z2-7]{5}$");
    assertThat(RunIdentity.parse(run.text())).contains(run);
  }

  @Test
  void pausingAndResumingNamesTheSameRunAlthoughTheGenerationMoves() {
    DatabaseMigration running = migration(3L);
    RunIdentity run = RunIdentity.of(running, null, null);
    DatabaseMigration paused = migration(4L);
    paused.getSpec().setSuspend(true);
    DatabaseMigration resumed = migration(5L);

    assertThat(RunIdentity.of(paused, null, status(run))).isEqualTo(run);
    assertThat(RunIdentity.of(resumed, null, status(run))).isEqualTo(run);
  }

  @Test
  void aSpecChangedBackToAnEarlierValueIsANewRun() {
    DatabaseMigration first = migration(1L);
    RunIdentity a = RunIdentity.of(first, null, null);
    DatabaseMigration changed = migration(2L);
    changed.getSpec().setTarget("+1");
    RunIdentity b = RunIdentity.of(changed, null, status(a));
    DatabaseMigration back = migration(3L);

    RunIdentity again = RunIdentity.of(back, null, status(b));

    assertThat(b).isNotEqualTo(a);
    assertThat(again).isNotEqualTo(a).isNotEqualTo(b);
    assertThat(again.generation()).isEqualTo(3L);
  }

  @Test
  void aRerunTokenOrAnotherFollowedImageIsANewRunOfTheSameGeneration() {
    DatabaseMigration dbm = migration(2L);
    RunIdentity run = RunIdentity.of(dbm, "app:v1", null);
    DatabaseMigration rerun = migration(2L);
    rerun.getMetadata().setAnnotations(Map.of(DatabaseMigration.RERUN_ANNOTATION, "1"));

    assertThat(RunIdentity.of(rerun, "app:v1", status(run))).isNotEqualTo(run)
        .extracting(RunIdentity::generation).isEqualTo(2L);
    assertThat(RunIdentity.of(dbm, "app:v2", status(run))).isNotEqualTo(run);
    assertThat(RunIdentity.of(dbm, "app:v1", status(run))).isEqualTo(run);
  }

  @Test
  void anotherResourceOfTheSameNameIsAnotherRun() {
    DatabaseMigration recreated = migration(1L);
    recreated.getMetadata().setUid("uid-2");

    assertThat(RunIdentity.of(recreated, null, null))
        .isNotEqualTo(RunIdentity.of(migration(1L), null, null));
  }

  @Test
  void fieldsHoldingTheirDefaultDoNotCount() {
    DatabaseMigration written = migration(1L);
    written.getSpec().setJob(null);
    DatabaseMigration defaulted = migration(1L);
    defaulted.getSpec().setJob(new JobSettings());

    assertThat(RunIdentity.of(defaulted, null, null))
        .isEqualTo(RunIdentity.of(written, null, null));
  }

  @Test
  void aStatusOfTheOperatorBeforeThisIdentityKeepsItsRunUntilTheSpecMoves() {
    DatabaseMigrationStatus legacy = new DatabaseMigrationStatus();
    legacy.setObservedGeneration(3L);
    legacy.setJobName("wps-api-g3-k2abc");
    legacy.setRunIdentity("0123456789abcdef01234567");

    assertThat(RunIdentity.of(migration(3L), null, legacy).text()).isEqualTo("g3-k2abc");
    assertThat(RunIdentity.of(migration(4L), null, legacy).text()).startsWith("g4-");
  }

  private static DatabaseMigrationStatus status(RunIdentity run) {
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setRunIdentity(run.text());
    return status;
  }

  private static DatabaseMigration migration(long generation) {
    DatabaseMigration dbm = Fixtures.migration("ns", "wps-api");
    dbm.getMetadata().setUid("uid-1");
    dbm.getMetadata().setGeneration(generation);
    return dbm;
  }
}
