package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobNamesTest {

  private static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  @Test
  void sameResourceGivesSameName() {
    assertThat(forRun(migration("wps-api", "uid-1", 3L, null)))
        .isEqualTo(forRun(migration("wps-api", "uid-1", 3L, null)));
  }

  @Test
  void nameShowsResourceAndGeneration() {
    assertThat(forRun(migration("wps-api", "uid-1", 3L, null)))
        .matches("^wps-api-g3-[a-z2-7]{5}$");
  }

  @Test
  void missingGenerationCountsAsFirst() {
    assertThat(forRun(migration("wps-api", "uid-1", null, null)))
        .isEqualTo(forRun(migration("wps-api", "uid-1", 1L, null)));
  }

  @Test
  void longDottedNameGivesValidLabel() {
    String name = ("a".repeat(62) + ".").repeat(4) + "b";
    assertThat(name).hasSize(253);

    String jobName = forRun(migration(name, "uid-1", 12L, null));

    assertThat(jobName).hasSizeLessThanOrEqualTo(63).matches(DNS_LABEL).doesNotContain(".");
    assertThat(jobName).startsWith("a".repeat(50)).contains("-g12-");
  }

  @Test
  void dotsBecomeDashes() {
    assertThat(forRun(migration("wps.api", "uid-1", 1L, null))).startsWith("wps-api-g1-");
  }

  @Test
  void dashLeftAtCutIsStripped() {
    // "-g1-xxxxx" takes 9 characters, so the prefix is cut after 54 and would end in '-'.
    String name = "a".repeat(53) + "-" + "b".repeat(20);

    String jobName = forRun(migration(name, "uid-1", 1L, null));

    assertThat(jobName).startsWith("a".repeat(53) + "-g1-").matches(DNS_LABEL);
  }

  @Test
  void dotLeftAtCutIsStripped() {
    String name = "a".repeat(53) + "." + "b".repeat(20);

    String jobName = forRun(migration(name, "uid-1", 1L, null));

    assertThat(jobName).startsWith("a".repeat(53) + "-g1-").matches(DNS_LABEL);
  }

  @Test
  void newGenerationGivesNewName() {
    assertThat(forRun(migration("wps-api", "uid-1", 2L, null)))
        .isNotEqualTo(forRun(migration("wps-api", "uid-1", 3L, null)));
  }

  @Test
  void newRerunTokenGivesNewName() {
    String first = forRun(migration("wps-api", "uid-1", 2L, null));
    String rerun = forRun(migration("wps-api", "uid-1", 2L, "2024-05-01T10:00"));
    String rerunAgain = forRun(migration("wps-api", "uid-1", 2L, "2024-05-01T11:00"));

    assertThat(rerun).isNotEqualTo(first).isNotEqualTo(rerunAgain);
    assertThat(rerun).startsWith("wps-api-g2-");
  }

  @Test
  void emptyRerunTokenIsLikeNone() {
    assertThat(forRun(migration("wps-api", "uid-1", 2L, "")))
        .isEqualTo(forRun(migration("wps-api", "uid-1", 2L, null)));
  }

  @Test
  void recreatedResourceGivesNewName() {
    assertThat(forRun(migration("wps-api", "uid-1", 1L, null)))
        .isNotEqualTo(forRun(migration("wps-api", "uid-2", 1L, null)));
  }

  @Test
  void theFirstAttemptIsTheRunsJobAndRetriesGetTheirOwnStableNames() {
    DatabaseMigration dbm = migration("wps-api", "uid-1", 3L, null);

    assertThat(forAttempt(dbm, 1)).isEqualTo(forRun(dbm));
    assertThat(forAttempt(dbm, 2)).isEqualTo(forRun(dbm) + "-a2");
    assertThat(forAttempt(migration("wps-api", "uid-1", 3L, null), 2))
        .isEqualTo(forAttempt(dbm, 2));
    assertThat(forAttempt(dbm, 3)).isNotEqualTo(forAttempt(dbm, 2));
  }

  @Test
  void aRetryOfALongNameStillFitsALabel() {
    String name = ("a".repeat(62) + ".").repeat(4) + "b";

    String jobName = forAttempt(migration(name, "uid-1", 12L, null), 11);

    assertThat(jobName).hasSizeLessThanOrEqualTo(63).matches(DNS_LABEL).endsWith("-a11")
        .contains("-g12-");
  }

  private static String forRun(DatabaseMigration dbm) {
    return forRun(dbm, null);
  }

  private static String forRun(DatabaseMigration dbm, String followedImage) {
    return JobNames.of(dbm, RunIdentity.of(dbm, followedImage, null), 1);
  }

  private static String forAttempt(DatabaseMigration dbm, int attempt) {
    return JobNames.of(dbm, RunIdentity.of(dbm, null, null), attempt);
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

    assertThat(forRun(dbm, "app:v1")).startsWith("wps-api-g4-")
        .isNotEqualTo(forRun(dbm, "app:v2"))
        .isNotEqualTo(forRun(dbm))
        .isEqualTo(forRun(dbm, "app:v1"));
  }
}
