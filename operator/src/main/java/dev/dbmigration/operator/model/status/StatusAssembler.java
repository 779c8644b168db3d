package dev.dbmigration.operator.model.status;

import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.PlanStatus;
import dev.dbmigration.operator.api.v1alpha1.RunRecord;
import dev.dbmigration.operator.model.run.Run;
import dev.dbmigration.operator.model.run.RunHistory;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes the whole status fresh from what this pass observed. What a pass may not observe
 * carries over from the previous status: the conditions' transition times, the last known
 * revision, and the last database check (the database is only probed around a run).
 */
public final class StatusAssembler {

  private StatusAssembler() {
  }

  public static DatabaseMigrationStatus assemble(DatabaseMigrationStatus previous, long generation,
      MigrationState state, Run run, DatabaseCheck check, RunRecord finished, String runIdentity,
      String now) {
    return assemble(previous, generation, state, run, check, finished, runIdentity, null, null,
        now);
  }

  /**
   * As above, with the run's plan and a drift check's report. A null plan keeps the one the
   * previous status held for the same run (a new run has none until it makes one); a null
   * report keeps the last drift check's.
   */
  public static DatabaseMigrationStatus assemble(DatabaseMigrationStatus previous, long generation,
      MigrationState state, Run run, DatabaseCheck check, RunRecord finished, String runIdentity,
      PlanStatus plan, DriftReport drift, String now) {
    List<Condition> before = previous == null ? null : previous.getConditions();
    List<Condition> conditions = new ArrayList<>(Conditions.of(state, generation, before, now));
    if (check != null) {
      conditions.add(Conditions.databaseReachable(check, generation, before, now));
    } else {
      Conditions.find(before, ConditionTypes.DATABASE_REACHABLE).ifPresent(conditions::add);
    }
    if (drift != null) {
      conditions.add(Conditions.schemaDrift(drift, generation, before, now));
    } else {
      Conditions.find(before, ConditionTypes.SCHEMA_DRIFT).ifPresent(conditions::add);
    }
    boolean sameRun = previous != null && runIdentity != null
        && runIdentity.equals(previous.getRunIdentity());
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setObservedGeneration(generation);
    status.setPhase(state.phase());
    status.setConditions(conditions);
    status.setMessage(state.message());
    status.setJobName(run.jobName());
    status.setRerun(run.rerun());
    status.setLeader(run.leader());
    status.setStartTime(run.startTime());
    status.setCompletionTime(run.completionTime());
    status.setOutput(run.output());
    status.setImage(run.image());
    status.setRunIdentity(runIdentity);
    status.setHistory(RunHistory.append(previous == null ? null : previous.getHistory(), finished));
    status.setRevision(run.revision() != null ? run.revision()
        : previous == null ? null : previous.getRevision());
    status.setPlan(plan != null ? plan : sameRun ? previous.getPlan() : null);
    status.setDrift(drift != null ? drift.status() : previous == null ? null : previous.getDrift());
    return status;
  }
}
