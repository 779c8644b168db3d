package dev.dbmigration.operator.model.status;

import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
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
    List<Condition> before = previous == null ? null : previous.getConditions();
    List<Condition> conditions = new ArrayList<>(Conditions.of(state, generation, before, now));
    if (check != null) {
      conditions.add(Conditions.databaseReachable(check, generation, before, now));
    } else {
      Conditions.find(before, ConditionTypes.DATABASE_REACHABLE).ifPresent(conditions::add);
    }
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
    return status;
  }
}
