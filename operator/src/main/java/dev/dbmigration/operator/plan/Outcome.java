package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.PlanStatus;
import dev.dbmigration.operator.api.v1alpha1.RunRecord;
import dev.dbmigration.operator.model.run.Run;
import dev.dbmigration.operator.model.status.DatabaseCheck;
import dev.dbmigration.operator.model.status.DriftReport;
import dev.dbmigration.operator.model.status.MigrationState;
import java.time.Duration;
import java.util.List;

/**
 * What the status says once a plan is carried out: the state, the run it describes, the database
 * check made in this pass (null: the last one stands), when to look again though nothing changes
 * (null: on events only), the run's retried attempts, the run that finished in this pass (for the
 * history), the run identity, the run's plan (null: the one the status holds for this run
 * stands) and a drift check's report (null: the last one stands).
 */
public record Outcome(MigrationState state, Run run, DatabaseCheck check, Duration recheck,
    List<AttemptStatus> attempts, RunRecord finished, String identity, PlanStatus plan,
    DriftReport drift) {

  public Outcome {
    attempts = List.copyOf(attempts);
  }

  public Outcome(MigrationState state, Run run, DatabaseCheck check, Duration recheck,
      List<AttemptStatus> attempts, RunRecord finished, String identity) {
    this(state, run, check, recheck, attempts, finished, identity, null, null);
  }

  public Outcome withPlan(PlanStatus kept) {
    return new Outcome(state, run, check, recheck, attempts, finished, identity, kept, drift);
  }

  public Outcome withDrift(DriftReport report) {
    return new Outcome(state, run, check, recheck, attempts, finished, identity, plan, report);
  }

  static Outcome of(MigrationState state, Run run, String identity) {
    return new Outcome(state, run, null, null, List.of(), null, identity);
  }

  /** The run as started: its start time is the Job's creation, as Kubernetes recorded it. */
  public Outcome startedAt(String jobCreation) {
    Run started = new Run(run.jobName(), run.rerun(), run.leader(), jobCreation,
        run.completionTime(), run.revision(), run.output(), run.image());
    return new Outcome(state, started, check, recheck, attempts, finished, identity, plan,
        drift);
  }
}
