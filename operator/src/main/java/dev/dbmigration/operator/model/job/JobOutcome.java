package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.status.MigrationState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.Optional;

/** Reads what a migration Job's status says about the run. */
public final class JobOutcome {

  private JobOutcome() {
  }

  public static MigrationState of(Job job) {
    List<JobCondition> conditions = job.getStatus() == null || job.getStatus().getConditions() == null
        ? List.of() : job.getStatus().getConditions();
    if (isTrue(conditions, "Complete")) {
      return new MigrationState(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED,
          "Job " + job.getMetadata().getName() + " completed");
    }
    Optional<JobCondition> failed = find(conditions, "Failed");
    if (failed.isPresent()) {
      JobCondition c = failed.get();
      String why = c.getReason() == null ? "" : " (" + c.getReason() + ")";
      String detail = c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + c.getMessage();
      return new MigrationState(Phase.Failed, Reasons.MIGRATION_FAILED,
          "Job " + job.getMetadata().getName() + " failed" + why + detail);
    }
    return new MigrationState(Phase.Running, Reasons.MIGRATION_RUNNING,
        "Job " + job.getMetadata().getName() + " is running");
  }

  /** When the Job reached its final state, as the Job reports it. */
  public static Optional<String> completionTime(Job job) {
    if (job.getStatus() == null) {
      return Optional.empty();
    }
    if (job.getStatus().getCompletionTime() != null) {
      return Optional.of(job.getStatus().getCompletionTime());
    }
    List<JobCondition> conditions = job.getStatus().getConditions() == null
        ? List.of() : job.getStatus().getConditions();
    return find(conditions, "Failed").map(JobCondition::getLastTransitionTime);
  }

  private static boolean isTrue(List<JobCondition> conditions, String type) {
    return find(conditions, type).isPresent();
  }

  private static Optional<JobCondition> find(List<JobCondition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }
}
