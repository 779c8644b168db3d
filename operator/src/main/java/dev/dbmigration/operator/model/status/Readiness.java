package dev.dbmigration.operator.model.status;

import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.model.job.JobNames;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Objects;

/**
 * Whether an app may start: the run for the spec, the rerun request and the image now in force
 * has succeeded. A status written for an older generation, before a rerun request was seen, or
 * for another image than the one the app runs says nothing about what the app was deployed
 * with, so it only waits.
 */
public record Readiness(State state, String message) {

  public enum State { READY, FAILED, WAITING }

  public static Readiness of(DatabaseMigration dbm) {
    return of(dbm, null);
  }

  /**
   * @param image the image the waiting app runs (a migration that follows the app's image runs
   *     once per image); null when any image will do
   */
  public static Readiness of(DatabaseMigration dbm, String image) {
    if (dbm == null) {
      return new Readiness(State.WAITING, "the DatabaseMigration does not exist (yet)");
    }
    long generation = RunIdentity.generationOf(dbm);
    DatabaseMigrationStatus status = dbm.getStatus();
    if (status == null || status.getObservedGeneration() == null
        || status.getObservedGeneration() != generation) {
      return new Readiness(State.WAITING, "generation " + generation
          + " is not yet seen by the operator");
    }
    String token = RunIdentity.rerunTokenOf(dbm);
    if (!token.isEmpty() && !token.equals(status.getRerun())) {
      return new Readiness(State.WAITING, "the rerun " + token
          + " is not yet seen by the operator");
    }
    if (image != null && !image.equals(status.getImage())) {
      return new Readiness(State.WAITING, "no run with image " + image + " yet (the status"
          + " is of " + Objects.requireNonNullElse(status.getImage(), "no image") + ")");
    }
    Condition ready = status.getConditions() == null ? null : status.getConditions().stream()
        .filter(c -> ConditionTypes.READY.equals(c.getType())).findFirst().orElse(null);
    String detail = status.getPhase() + (ready == null ? "" : " (" + ready.getReason() + ")")
        + ": " + Objects.requireNonNullElse(status.getMessage(), "");
    if (ready != null && "True".equals(ready.getStatus())
        && Objects.equals(ready.getObservedGeneration(), generation)) {
      return new Readiness(State.READY, detail);
    }
    if (status.getPhase() == Phase.Failed || status.getPhase() == Phase.Invalid) {
      return new Readiness(State.FAILED, detail);
    }
    return new Readiness(State.WAITING, detail);
  }
}
