package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.DriftStatus;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.database.Redactor;
import dev.dbmigration.operator.model.job.Engines;
import dev.dbmigration.operator.model.job.JobNames;
import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.job.PlanJobBuilder;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.model.status.DriftReport;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The drift check after a successful run (spec.driftCheck): a Job runs the engine's check
 * against the database, and its answer becomes the SchemaDrift condition. The run's own outcome
 * stands whatever the check says.
 */
final class DriftStep {

  /** What alembic check says when the models and the database differ. */
  private static final Pattern DETECTED = Pattern.compile(
      "(?m)^.*New upgrade operations detected:?(.*)$");
  private static final int LINES = 10;
  private static final int CHARS = 1500;

  private final Observation o;
  private final DatabaseMigration dbm;
  private final RunIdentity identity;

  DriftStep(Observation o, RunIdentity identity) {
    this.o = o;
    this.dbm = o.resource();
    this.identity = identity;
  }

  /** What to do about the drift check of a run reported as {@code finished}; empty: nothing. */
  Optional<Plan> next(DatabaseMigrationStatus finished, Outcome unchanged) {
    DatabaseMigrationSpec spec = dbm.getSpec();
    Optional<List<String>> command = Engines.forEngine(spec.engineOrDefault()).driftCheck();
    if (!spec.driftCheckOrDefault() || finished.getPhase() != Phase.Succeeded
        || spec.actionOrDefault() == Action.HISTORY || command.isEmpty()) {
      return Optional.empty();
    }
    String jobName = JobNames.driftCheck(dbm, identity);
    DriftStatus previous = finished.getDrift();
    boolean ours = previous != null && jobName.equals(previous.getJobName());
    if (ours && DriftReport.isDone(previous)) {
      return Optional.empty();
    }
    Optional<Job> job = o.job(jobName);
    if (job.isEmpty()) {
      if (ours) {
        return Optional.of(report(unchanged, new DriftReport(new DriftStatus(jobName,
            DriftReport.UNKNOWN), "Unknown", Reasons.DRIFT_CHECK_UNAVAILABLE, "Job " + jobName
            + " is gone before its result was read")));
      }
      String host = host(finished);
      if (host == null) {
        return Optional.empty();
      }
      return Optional.of(new Plan.Launch(PlanJobBuilder.driftCheck(dbm, jobName, host,
          finished.getImage() != null ? finished.getImage() : spec.getImage(), command.get()),
          unchanged.withDrift(running(jobName))));
    }
    Phase phase = JobOutcome.of(job.get()).phase();
    if (!phase.isFinal()) {
      return Optional.of(report(unchanged, running(jobName)));
    }
    if (phase == Phase.Succeeded) {
      return Optional.of(report(unchanged, new DriftReport(new DriftStatus(jobName,
          DriftReport.NO_DRIFT), "False", Reasons.NO_DRIFT, String.join(" ", command.get())
          + " found the database as the models describe it (Job " + jobName + ")")));
    }
    if (o.probe() == null && finished.getLeader() != null) {
      // The check's output may hold the password: read it only with the values to mask.
      return Optional.of(new Plan.CheckDatabase(finished.getLeader()));
    }
    String tail = JobPodOutput.terminationMessage(o.podsOf(job.get()), jobName)
        .map(t -> Redactor.excerpt(t, o.scrub(), LINES, CHARS)).orElse("");
    Matcher detected = DETECTED.matcher(tail);
    String summary = null;
    while (detected.find()) {
      summary = detected.group(1).strip();
    }
    if (summary != null) {
      return Optional.of(report(unchanged, new DriftReport(new DriftStatus(jobName,
          DriftReport.DRIFT), "True", Reasons.DRIFT_DETECTED, "the database differs from the"
          + " models (" + String.join(" ", command.get()) + ", Job " + jobName + "): "
          + (summary.isEmpty() ? "new upgrade operations detected" : summary))));
    }
    return Optional.of(report(unchanged, new DriftReport(new DriftStatus(jobName,
        DriftReport.UNKNOWN), "Unknown", Reasons.DRIFT_CHECK_UNAVAILABLE, "the check could not"
        + " run (Alembic 1.9 or later, and target_metadata in env.py, are needed; Job " + jobName
        + "): " + (tail.isEmpty() ? "no output" : tail))));
  }

  private static DriftReport running(String jobName) {
    return new DriftReport(new DriftStatus(jobName, DriftReport.RUNNING), "Unknown",
        Reasons.DRIFT_CHECK_RUNNING, "Job " + jobName + " checks the database against the models");
  }

  private static Plan report(Outcome unchanged, DriftReport drift) {
    return new Plan.Report(unchanged.withDrift(drift));
  }

  // The leader now, where one is found; else the host the run went to.
  private String host(DatabaseMigrationStatus finished) {
    var database = dbm.getSpec().getDatabase();
    if (database.getHost() != null) {
      return database.getHost();
    }
    if (database.getLeader() != null && LeaderSelection.select(database.getLeader(), o.pods())
        instanceof LeaderSelection.Found found) {
      return found.host();
    }
    LeaderStatus leader = finished.getLeader();
    return leader == null ? null : leader.getHost();
  }
}
