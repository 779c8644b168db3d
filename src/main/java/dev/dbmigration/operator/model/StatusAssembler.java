package dev.dbmigration.operator.model;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;

/**
 * Computes the whole status fresh from what this pass observed. Only two things carry over from
 * the previous status: the conditions' transition times and the last known revision.
 */
public final class StatusAssembler {

  private StatusAssembler() {
  }

  public static DatabaseMigrationStatus assemble(DatabaseMigrationStatus previous, long generation,
      MigrationState state, Run run, String now) {
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setObservedGeneration(generation);
    status.setPhase(state.phase());
    status.setConditions(Conditions.of(state, generation,
        previous == null ? null : previous.getConditions(), now));
    status.setMessage(state.message());
    status.setJobName(run.jobName());
    status.setRerun(run.rerun());
    status.setLeader(run.leader());
    status.setStartTime(run.startTime());
    status.setCompletionTime(run.completionTime());
    status.setRevision(previous == null ? null : previous.getRevision());
    return status;
  }
}
