package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.RunRecord;
import dev.dbmigration.operator.model.run.Run;
import dev.dbmigration.operator.model.status.DatabaseCheck;
import dev.dbmigration.operator.model.status.MigrationState;
import java.time.Duration;
import java.util.List;

/**
 * What the status says once a plan is carried out: the state, the run it describes, the database
 * check made in this pass (null: the last one stands), when to look again though nothing changes
 * (null: on events only), the run's retried attempts, the run that finished in this pass (for the
 * history) and the run identity.
 */
public record Outcome(MigrationState state, Run run, DatabaseCheck check, Duration recheck,
    List<AttemptStatus> attempts, RunRecord finished, String identity) {

  public Outcome {
    attempts = List.copyOf(attempts);
  }

  static Outcome of(MigrationState state, Run run, String identity) {
    return new Outcome(state, run, null, null, List.of(), null, identity);
  }

  /** The run as started: its start time is the Job's creation, as Kubernetes recorded it. */
  public Outcome startedAt(String jobCreation) {
    Run started = new Run(run.jobName(), run.rerun(), run.leader(), jobCreation,
        run.completionTime(), run.revision(), run.output(), run.image());
    return new Outcome(state, started, check, recheck, attempts, finished, identity);
  }
}
