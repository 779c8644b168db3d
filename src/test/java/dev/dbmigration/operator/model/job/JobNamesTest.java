package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobNamesTest {

  private static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  @Test
  void sameResourceGivesSameName() {
    assertThat(JobNames.forRun(migration("wps-api", "uid-1", 3L, null)))
        .isEqualTo(JobNames.forRun(migration("wps-api", "uid-1", 3L, null)));
  }

  @Test
  void nameShowsResourceAndGeneration() {
    assertThat(JobNames.forRun(migration("wps-api", "uid-1", 3L, null)))
        .matches("^wps-api-g3-[a-z2-7]{5}$");
  }

  @Test
  void missingGenerationCountsAsFirst() {
    assertThat(JobNames.forRun(migration("wps-api", "uid-1", null, null)))
        .isEqualTo(JobNames.forRun(migration("wps-api", "uid-1", 1L, null)));
  }

  @Test
  void longDottedNameGivesValidLabel() {
    String name = ("a".repeat(62) + ".").repeat(4) + "b";
    assertThat(name).hasSize(253);

    String jobName = JobNames.forRun(migration(name, "uid-1", 12L, null));

    assertThat(jobName).hasSizeLessThanOrEqualTo(63).matches(DNS_LABEL).doesNotContain(".");
    assertThat(jobName).startsWith("a".repeat(50)).contains("-g12-");
  }

  @Test
  void dotsBecomeDashes() {
    assertThat(JobNames.forRun(migration("wps.api", "uid-1", 1L, null))).startsWith("wps-api-g1-");
  }

  @Test
  void dashLeftAtCutIsStripped() {
    // "-g1-xxxxx" takes 9 characters, so the prefix is cut after 54 and would end in '-'.
    String name = "a".repeat(53) + "-" + "b".repeat(20);

    String jobName = JobNames.forRun(migration(name, "uid-1", 1L, null));

    assertThat(jobName).startsWith("a".repeat(53) + "-g1-").matches(DNS_LABEL);
  }

  @Test
  void dotLeftAtCutIsStripped() {
    String name = "a".repeat(53) + "." + "b".repeat(20);

    String jobName = JobNames.forRun(migration(name, "uid-1", 1L, null));

    assertThat(jobName).startsWith("a".repeat(53) + "-g1-").matches(DNS_LABEL);
  }

  @Test
  void newGenerationGivesNewName() {
    assertThat(JobNames.forRun(migration("wps-api", "uid-1", 2L, null)))
        .isNotEqualTo(JobNames.forRun(migration("wps-api", "uid-1", 3L, null)));
  }

  @Test
  void newRerunTokenGivesNewName() {
    String first = JobNames.forRun(migration("wps-api", "uid-1", 2L, null));
    String rerun = JobNames.forRun(migration("wps-api", "uid-1", 2L, "2024-05-01T10:00"));
    String rerunAgain = JobNames.forRun(migration("wps-api", "uid-1", 2L, "2024-05-01T11:00"));

    assertThat(rerun).isNotEqualTo(first).isNotEqualTo(rerunAgain);
    assertThat(rerun).startsWith("wps-api-g2-");
  }

  @Test
  void emptyRerunTokenIsLikeNone() {
    assertThat(JobNames.forRun(migration("wps-api", "uid-1", 2L, "")))
        .isEqualTo(JobNames.forRun(migration("wps-api", "uid-1", 2L, null)));
  }

  @Test
  void recreatedResourceGivesNewName() {
    assertThat(JobNames.forRun(migration("wps-api", "uid-1", 1L, null)))
        .isNotEqualTo(JobNames.forRun(migration("wps-api", "uid-2", 1L, null)));
  }

  @Test
  void theFirstAttemptIsTheRunsJobAndRetriesGetTheirOwnStableNames() {
    DatabaseMigration dbm = migration("wps-api", "uid-1", 3L, null);

    assertThat(JobNames.forAttempt(dbm, 1)).isEqualTo(JobNames.forRun(dbm));
    assertThat(JobNames.forAttempt(dbm, 2)).isEqualTo(JobNames.forRun(dbm) + "-a2");
    assertThat(JobNames.forAttempt(migration("wps-api", "uid-1", 3L, null), 2))
        .isEqualTo(JobNames.forAttempt(dbm, 2));
    assertThat(JobNames.forAttempt(dbm, 3)).isNotEqualTo(JobNames.forAttempt(dbm, 2));
  }

  @Test
  void aRetryOfALongNameStillFitsALabel() {
    String name = ("a".repeat(62) + ".").repeat(4) + "b";

    String jobName = JobNames.forAttempt(migration(name, "uid-1", 12L, null), 11);

    assertThat(jobName).hasSizeLessThanOrEqualTo(63).matches(DNS_LABEL).endsWith("-a11")
        .contains("-g12-");
  }

  private static DatabaseMigration migration(String name, String uid, Long generation, String rerun) {
    DatabaseMigration dbm = Fixtures.migration("pr-1234", name);
    dbm.getMetadata().setUid(uid);
    dbm.getMetadata().setGeneration(generation);
    if (rerun != null) {
      dbm.getMetadata().setAnnotations(Map.of(DatabaseMigration.RERUN_ANNOTATION, rerun));
    }
    return dbm;
  }

  @Test
  void eachFollowedImageIsItsOwnRunOfTheSameGeneration() {
    DatabaseMigration dbm = migration("wps-api", "uid-1", 4L, null);

    assertThat(JobNames.forRun(dbm, "app:v1")).startsWith("wps-api-g4-")
        .isNotEqualTo(JobNames.forRun(dbm, "app:v2"))
        .isNotEqualTo(JobNames.forRun(dbm))
        .isEqualTo(JobNames.forRun(dbm, "app:v1"));
  }
}
