package dev.dbmigration.operator.model.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.job.JobNames;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import dev.dbmigration.operator.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderRetriesTest {

  private static final LeaderStatus OLD = new LeaderStatus("patroni-app-0", "10.0.0.1");

  @Test
  void theSameLeaderIsNoChange() {
    assertThat(LeaderRetries.change(OLD, new LeaderSelection.Found("patroni-app-0", "10.0.0.1")))
        .isEmpty();
  }

  @Test
  void anotherLeaderIsAChangeNamingBoth() {
    assertThat(LeaderRetries.change(OLD, new LeaderSelection.Found("patroni-app-1", "10.0.0.2")))
        .hasValue("the leader changed from patroni-app-0 (10.0.0.1) to patroni-app-1 (10.0.0.2)");
  }

  @Test
  void theSamePodAtANewAddressIsAChange() {
    assertThat(LeaderRetries.change(OLD, new LeaderSelection.Found("patroni-app-0", "10.0.0.9")))
        .isPresent();
  }

  @Test
  void noLeaderOrSeveralMeanTheOldOneLostTheRole() {
    assertThat(LeaderRetries.change(OLD, new LeaderSelection.None("no pods")))
        .hasValueSatisfying(m -> assertThat(m).contains("patroni-app-0", "none has taken over"));
    assertThat(LeaderRetries.change(OLD,
        new LeaderSelection.Several(List.of("patroni-app-0", "patroni-app-1"))))
        .hasValueSatisfying(m -> assertThat(m).contains("no longer the only leader"));
  }

  @Test
  void anExplicitHostHasNoLeaderToFollow() {
    assertThat(LeaderRetries.change(new LeaderStatus(null, "db.example"),
        new LeaderSelection.None("no leader discovery is configured"))).isEmpty();
    assertThat(LeaderRetries.change(null, new LeaderSelection.None("x"))).isEmpty();
  }

  @Test
  void attemptsAreCountedFromTheStatusOfTheSameRunOnly() {
    DatabaseMigration dbm = migration(4L);
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setAttempts(List.of(attempt(JobNames.of(dbm, run(dbm), 1)),
        attempt(JobNames.of(dbm, run(dbm), 2))));

    assertThat(LeaderRetries.recorded(dbm, run(dbm), status)).hasSize(2);
    assertThat(LeaderRetries.currentAttempt(dbm, LeaderRetries.recorded(dbm, run(dbm), status)))
        .isEqualTo(3);
    // A new generation is a new run: the attempts of the old one do not count.
    assertThat(LeaderRetries.recorded(migration(5L), run(migration(5L)), status)).isEmpty();
    assertThat(LeaderRetries.recorded(dbm, run(dbm), null)).isEmpty();
  }

  @Test
  void whenEveryAttemptIsSpentTheLastStaysCurrent() {
    DatabaseMigration dbm = migration(1L);
    dbm.getSpec().getJob().setLeaderChangeRetries(1);
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setAttempts(List.of(attempt(JobNames.of(dbm, run(dbm), 1)),
        attempt(JobNames.of(dbm, run(dbm), 2))));

    assertThat(LeaderRetries.maxAttempts(dbm)).isEqualTo(2);
    assertThat(LeaderRetries.currentAttempt(dbm, LeaderRetries.recorded(dbm, run(dbm), status)))
        .isEqualTo(2);
  }

  @Test
  void threeRetriesByDefault() {
    assertThat(LeaderRetries.maxAttempts(migration(1L))).isEqualTo(4);
  }

  private static AttemptStatus attempt(String job) {
    return new AttemptStatus(job, OLD, Reasons.LEADER_CHANGED, "moved", "2026-01-01T00:00:00Z");
  }

  private static RunIdentity run(DatabaseMigration dbm) {
    return RunIdentity.of(dbm, null, null);
  }

  private static DatabaseMigration migration(long generation) {
    DatabaseMigration dbm = Fixtures.migration("pr-1", "app");
    dbm.getMetadata().setUid("uid-1");
    dbm.getMetadata().setGeneration(generation);
    return dbm;
  }
}
