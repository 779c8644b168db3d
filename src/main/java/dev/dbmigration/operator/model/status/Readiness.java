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
 * Whether an app may start: its migration's current generation succeeded. A status written for
 * an older generation says nothing about the spec the app was deployed with, so it only waits.
 */
public record Readiness(State state, String message) {

  public enum State { READY, FAILED, WAITING }

  public static Readiness of(DatabaseMigration dbm) {
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
