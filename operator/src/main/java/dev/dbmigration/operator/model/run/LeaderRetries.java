package dev.dbmigration.operator.model.run;

import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.model.job.JobNames;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Job that fails because the database leader moved while it ran is retried against the new
 * leader; a failure against an unchanged leader is the migration's own and is not. The attempts
 * of a run live in its status, each naming its Job, and every attempt's Job has a name derived
 * from the resource and the attempt number, so a restarted operator resumes at the right attempt.
 */
public final class LeaderRetries {

  private LeaderRetries() {
  }

  /** The first attempt plus {@code spec.job.leaderChangeRetries}. */
  public static int maxAttempts(DatabaseMigration dbm) {
    return 1 + Math.max(0, dbm.getSpec().jobOrDefault().leaderChangeRetriesOrDefault());
  }

  /**
   * The retried attempts {@code previous} records for the run {@code run}, oldest first. Entries
   * of an earlier run name other Jobs and are dropped.
   */
  public static List<AttemptStatus> recorded(DatabaseMigration dbm, RunIdentity run,
      DatabaseMigrationStatus previous) {
    List<AttemptStatus> recorded = new ArrayList<>();
    if (previous == null || previous.getAttempts() == null) {
      return recorded;
    }
    for (AttemptStatus attempt : previous.getAttempts()) {
      int number = recorded.size() + 1;
      if (number > maxAttempts(dbm) || attempt == null
          || !JobNames.of(dbm, run, number).equals(attempt.getJob())) {
        break;
      }
      recorded.add(attempt);
    }
    return recorded;
  }

  /** The attempt the current Job belongs to: the one after the recorded ones, at most the last. */
  public static int currentAttempt(DatabaseMigration dbm, List<AttemptStatus> recorded) {
    return Math.min(recorded.size() + 1, maxAttempts(dbm));
  }

  /**
   * How the leader moved away from {@code ranAgainst}, the leader a failed Job was pointed at,
   * judged by {@code now}; empty when it is still the leader or the Job named no leader pod (an
   * explicit host, where there is no leader to follow).
   */
  public static Optional<String> change(LeaderStatus ranAgainst, LeaderSelection now) {
    if (ranAgainst == null || ranAgainst.getPod() == null) {
      return Optional.empty();
    }
    String old = describe(ranAgainst.getPod(), ranAgainst.getHost());
    if (now instanceof LeaderSelection.Found found) {
      if (found.pod().equals(ranAgainst.getPod())
          && Objects.equals(found.host(), ranAgainst.getHost())) {
        return Optional.empty();
      }
      return Optional.of("the leader changed from " + old + " to "
          + describe(found.pod(), found.host()));
    }
    if (now instanceof LeaderSelection.Several several) {
      return Optional.of(old + " is no longer the only leader (" + String.join(", ",
          several.pods()) + " carry the role)");
    }
    return Optional.of(old + " is no longer the leader and none has taken over yet");
  }

  private static String describe(String pod, String host) {
    return pod + " (" + host + ")";
  }
}
