package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.PlanStatus;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.RevisionStatus;
import dev.dbmigration.operator.database.Probe;
import dev.dbmigration.operator.database.Redactor;
import dev.dbmigration.operator.model.job.JobNames;
import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.model.job.PodStart;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import dev.dbmigration.operator.model.run.FollowedImage;
import dev.dbmigration.operator.model.run.LeaderRetries;
import dev.dbmigration.operator.model.run.Run;
import dev.dbmigration.operator.model.run.RunHistory;
import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.model.status.Conditions;
import dev.dbmigration.operator.model.status.DatabaseCheck;
import dev.dbmigration.operator.model.status.MigrationState;
import dev.dbmigration.operator.model.validation.CredentialsCheck;
import dev.dbmigration.operator.model.validation.SecretView;
import dev.dbmigration.operator.model.validation.SpecValidator;
import dev.dbmigration.operator.model.validation.Violation;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, from one {@link Observation}, what the reconciler does with a DatabaseMigration and
 * what its status says afterwards. Pure: the same observation always gives the same plan, so
 * every branch is tested in a table (PlannerTest) and the reconciler is left with the I/O.
 *
 * <p>The order of the questions is the story of a run: is the spec usable, which image and so
 * which run; does that run's Job exist (then follow it, or report how it ended); if not, may a
 * Job be made now (suspended? backing off after a leader change? credentials, one leader, a
 * writable database?), and if so, make it.
 */
public final class Planner {

  private static final int OUTPUT_LINES = 20;
  private static final int OUTPUT_CHARS = 2000;
  private static final int HISTORY_LINES = 200;
  private static final int HISTORY_CHARS = 16000;

  private final PlannerSettings settings;

  public Planner(PlannerSettings settings) {
    this.settings = settings;
  }

  public Plan plan(Observation o) {
    DatabaseMigration dbm = o.resource();
    DatabaseMigrationStatus previous = dbm.getStatus();
    String rerun = emptyToNull(RunIdentity.rerunTokenOf(dbm));
    Optional<Violation> violation = SpecValidator.validate(dbm);
    if (violation.isPresent()) {
      return reportOnly(new MigrationState(Phase.Invalid, Reasons.INVALID_SPEC,
          violation.get().toString()), Run.none(rerun));
    }
    DatabaseMigrationSpec spec = dbm.getSpec();
    String image = spec.getImage();
    String followed = null;
    if (spec.getImageFrom() != null) {
      FollowedImage resolved = FollowedImage.of(spec.getImageFrom(), o.followedTemplate());
      if (resolved instanceof FollowedImage.Missing missing) {
        // A finished run stays reported while its workload is away (an app being redeployed,
        // or the whole environment being torn down); only a new run needs the image.
        return isFinal(previous) ? unchanged(previous)
            : reportOnly(new MigrationState(Phase.Pending, Reasons.IMAGE_SOURCE_NOT_FOUND,
                missing.message()), Run.none(rerun));
      }
      image = followed = ((FollowedImage.Found) resolved).image();
    }
    RunIdentity identity = RunIdentity.of(dbm, followed, previous);
    return new RunPlanner(o, identity, image, rerun).plan();
  }

  /** The status when the run cannot start because another run holds its database. */
  public Plan busy(Observation o, Plan.Start start, Job other) {
    String owner = other.getMetadata().getOwnerReferences().isEmpty() ? "?"
        : other.getMetadata().getOwnerReferences().get(0).getName();
    Outcome running = start.outcome();
    String message = "database " + start.databaseKey() + " is being migrated by "
        + other.getMetadata().getNamespace() + "/" + owner + " (Job "
        + other.getMetadata().getName() + "); this run starts when that one ends";
    return new Plan.Report(new Outcome(new MigrationState(Phase.Pending,
        Reasons.WAITING_FOR_OTHER_MIGRATION, message), Run.none(running.run().rerun())
        .withImage(running.run().image()), running.check(), settings.otherRunRecheck(),
        running.attempts(), null, running.identity()).withPlan(running.plan()));
  }

  /**
   * After the run's Job was created: a Stop when the API server dropped the restartPolicy of its
   * lock sidecar (a cluster without native sidecars), since that pod would run its engine with
   * no lock held, or never end; empty when the Job is as asked.
   */
  public Optional<Plan.Stop> afterCreate(Plan.Start start, Job created) {
    List<Container> asked = start.job().getSpec().getTemplate().getSpec().getInitContainers();
    List<Container> made = created.getSpec().getTemplate().getSpec().getInitContainers();
    if (asked == null || asked.isEmpty() || made == null
        || made.stream().allMatch(c -> c.getRestartPolicy() != null)) {
      return Optional.empty();
    }
    Outcome started = start.outcome();
    return Optional.of(new Plan.Stop(created, new Outcome(new MigrationState(Phase.Failed,
        Reasons.DATABASE_LOCK_UNSUPPORTED, "the cluster dropped the restartPolicy of the lock"
        + " sidecar (native sidecars need Kubernetes 1.29 or later), so Job "
        + created.getMetadata().getName() + " is removed before it runs: upgrade the cluster, or"
        + " set spec.databaseLock: false"), started.run(), started.check(), null,
        started.attempts(), null, started.identity())));
  }

  /** The decisions about one run, once the spec is usable and its identity known. */
  private final class RunPlanner {

    private final Observation o;
    private final DatabaseMigration dbm;
    private final DatabaseMigrationStatus previous;
    private final RunIdentity identity;
    private final String image;
    private final String rerun;
    private final List<AttemptStatus> attempts;
    private final String jobName;

    RunPlanner(Observation o, RunIdentity identity, String image, String rerun) {
      this.o = o;
      this.dbm = o.resource();
      this.previous = dbm.getStatus();
      this.identity = identity;
      this.image = image;
      this.rerun = rerun;
      this.attempts = LeaderRetries.recorded(dbm, identity, previous);
      this.jobName = JobNames.of(dbm, identity, LeaderRetries.currentAttempt(dbm, attempts));
    }

    Plan plan() {
      if (isFinal(previous) && identity.text().equals(previous.getRunIdentity())) {
        // Reported already. Its Job may since have gone (ttlSecondsAfterFinished), or be one
        // that could not start and could not be removed: the run has ended either way. Only its
        // drift check, when asked for, may still have something to say.
        Plan.Report unchanged = unchanged(previous);
        return new DriftStep(o, identity).next(previous, unchanged.outcome())
            .orElse(unchanged);
      }
      Optional<Job> job = o.job(jobName);
      if (job.isPresent()) {
        return JobOutcome.of(job.get()).phase().isFinal() ? ended(job.get())
            : running(job.get());
      }
      if (dbm.getSpec().suspendOrDefault()) {
        return report(new MigrationState(Phase.Pending, Reasons.SUSPENDED,
            "suspended: no new run starts until spec.suspend is false"), noJob(), null);
      }
      if (!attempts.isEmpty()) {
        AttemptStatus last = attempts.get(attempts.size() - 1);
        Instant due = Instant.parse(last.getFinishedAt())
            .plus(settings.retryBackoff().afterFailures(attempts.size()));
        if (due.isAfter(o.now())) {
          Run waiting = new Run(last.getJob(), rerun, last.getLeader(),
              previous == null ? null : previous.getStartTime(), null, null, null, image);
          return new Plan.Report(new Outcome(new MigrationState(Phase.Pending,
              Reasons.LEADER_CHANGED, retryMessage(last.getMessage(), attemptText(), due)),
              waiting, null, Duration.between(o.now(), due), attempts, null, identity.text()));
        }
      }
      return start();
    }

    /** No Job yet, none in the way: credentials, one leader, a writable database, then the Job. */
    private Plan start() {
      var ref = dbm.getSpec().getDatabase().getCredentialsSecret();
      Optional<CredentialsCheck.Problem> problem = CredentialsCheck.check(ref,
          dbm.getMetadata().getNamespace(), o.secret());
      if (problem.isPresent()) {
        return report(new MigrationState(Phase.Pending, problem.get().reason(),
            problem.get().message()), noJob(), null);
      }
      LeaderStatus leader;
      if (dbm.getSpec().getDatabase().getHost() != null) {
        leader = new LeaderStatus(null, dbm.getSpec().getDatabase().getHost());
      } else {
        LeaderSelection selection = LeaderSelection.select(dbm.getSpec().getDatabase()
            .getLeader(), o.pods());
        if (selection instanceof LeaderSelection.None none) {
          return report(new MigrationState(Phase.WaitingForDatabase, Reasons.LEADER_NOT_FOUND,
              none.reason()), noJob(), null);
        }
        if (selection instanceof LeaderSelection.Several several) {
          return report(new MigrationState(Phase.WaitingForDatabase, Reasons.MULTIPLE_LEADERS,
              several.pods().size() + " pods carry the leader role, refusing to guess: "
                  + String.join(", ", several.pods())), noJob(), null);
        }
        LeaderSelection.Found found = (LeaderSelection.Found) selection;
        leader = new LeaderStatus(found.pod(), found.host());
      }
      if (o.probe() == null) {
        return new Plan.CheckDatabase(leader);
      }
      DatabaseCheck check = check(o.probe(), leader);
      RevisionStatus revision = null;
      if (o.probe() instanceof Probe.Reachable reachable) {
        if (reachable.inRecovery()) {
          return waitForDatabase(new MigrationState(Phase.WaitingForDatabase,
              Reasons.LEADER_IN_RECOVERY,
              describe(leader) + " is in recovery (a replica): refusing to migrate it"
                  + " (rechecked, less often the longer it lasts)"), check);
        }
        revision = reachable.revisionText().map(r -> new RevisionStatus(r, r)).orElse(null);
      } else if (settings.databaseCheck() == DatabaseCheckMode.REQUIRED
          || ((Probe.Unreachable) o.probe()).definite()) {
        // A definite refusal (TLS) is what the Job would meet too: no Job in either mode.
        boolean definite = ((Probe.Unreachable) o.probe()).definite();
        return waitForDatabase(new MigrationState(Phase.WaitingForDatabase,
            Reasons.DATABASE_UNREACHABLE,
            "the operator cannot reach " + describe(leader) + " ("
                + ((Probe.Unreachable) o.probe()).reason() + "); no Job until it can (rechecked,"
                + " less often the longer it lasts" + (definite ? ")"
                : "; DATABASE_CHECK=best-effort runs the Job regardless)")), check);
      }
      PlanStatus plan = null;
      String planNote = null;
      if (PlanGate.applies(dbm.getSpec())) {
        String from = o.probe() instanceof Probe.Reachable read ? read.revision().toString()
            : null;
        PlanGate.Decision decision = new PlanGate(o, identity, image).decide(leader.getHost(),
            from);
        if (decision instanceof PlanGate.Hold hold) {
          return hold.plan();
        }
        if (decision instanceof PlanGate.Render render) {
          return new Plan.Launch(render.job(), new Outcome(render.state(), noJob(), check, null,
              attempts, null, identity.text()).withPlan(render.plan()));
        }
        if (decision instanceof PlanGate.Wait wait) {
          return held(wait, leader, revision, check);
        }
        PlanGate.Go go = (PlanGate.Go) decision;
        plan = go.plan();
        planNote = go.note();
      }
      String databaseKey = leader.getHost() + ":" + dbm.getSpec().getDatabase().portOrDefault() + "/"
          + Objects.requireNonNullElse(o.secret().databaseName(), "");
      Job job = MigrationJobBuilder.build(dbm, jobName, leader.getHost(), image,
          settings.lockImage());
      Map<String, String> annotations = job.getMetadata().getAnnotations();
      annotations.put(Labels.DATABASE_ANNOTATION, databaseKey);
      annotations.put(Labels.RUN_ANNOTATION, identity.text());
      if (leader.getPod() != null) {
        annotations.put(Labels.LEADER_POD_ANNOTATION, leader.getPod());
      }
      annotations.put(Labels.LEADER_HOST_ANNOTATION, leader.getHost());
      String message = "Job " + jobName + " started against " + describe(leader)
          + (attempts.isEmpty() ? "" : " (" + attemptText() + ", after a leader change)")
          + (planNote == null ? "" : "; " + planNote);
      return new Plan.Start(job, databaseKey, new Outcome(new MigrationState(Phase.Running,
          Reasons.MIGRATION_RUNNING, message), new Run(jobName, rerun, leader,
          o.now().toString(), null, revision, null, image), check, null, attempts, null,
          identity.text()).withPlan(plan));
    }

    /**
     * The plan holds the run: waiting for it or for its approval, or refused (several heads, no
     * plan to approve), which ends the run with nothing applied.
     */
    private Plan held(PlanGate.Wait wait, LeaderStatus leader, RevisionStatus revision,
        DatabaseCheck check) {
      if (!wait.ends()) {
        Duration recheck = Reasons.PLAN_UNAVAILABLE.equals(wait.state().reason())
            ? settings.databaseRecheck().afterWaiting(Duration.ZERO) : null;
        return new Plan.Report(new Outcome(wait.state(), noJob(), check, recheck, attempts, null,
            identity.text()).withPlan(wait.plan()));
      }
      String now = o.now().toString();
      Run refused = new Run(wait.plan().getJobName(), rerun, leader, now, now, revision, null,
          image);
      String at = revision == null ? null : revision.getCurrent();
      return new Plan.Report(new Outcome(wait.state(), refused, check, null, attempts,
          RunHistory.entry(dbm, refused, wait.state().phase(), at, at), identity.text())
          .withPlan(wait.plan()));
    }

    /** The run's Job is active: report it running, or its pod's trouble starting. */
    private Plan running(Job job) {
      Run run = runOf(job);
      Optional<PodStart.Problem> problem = PodStart.of(o.podsOf(job), o.now(),
          Duration.ofSeconds(dbm.getSpec().jobOrDefault().podStartDeadlineSecondsOrDefault()));
      if (problem.isPresent() && problem.get().ends()) {
        String message = problem.get().message() + "; the run ends and Job " + jobName
            + " is removed (fix the image or the spec, or rerun)";
        Run ended = run.withCompletionTime(o.now().toString());
        return new Plan.Stop(job, new Outcome(new MigrationState(Phase.Failed,
            Reasons.POD_NOT_STARTING, message), ended, null, null, attempts,
            RunHistory.entry(dbm, ended, Phase.Failed, revisionBefore(), null), identity.text()));
      }
      if (problem.isPresent()) {
        return report(new MigrationState(Phase.Pending, Reasons.POD_NOT_STARTING,
            problem.get().message() + " (the run ends if it still cannot start "
                + dbm.getSpec().jobOrDefault().podStartDeadlineSecondsOrDefault()
                + " s after the pod was created)"), run, null);
      }
      // The message written when the Job was made (which leader, which attempt) stands while it
      // runs: rewording it would cost a status write that tells the user nothing new.
      boolean told = previous != null && previous.getPhase() == Phase.Running
          && jobName.equals(previous.getJobName())
          && Reasons.MIGRATION_RUNNING.equals(readyReason(previous));
      return report(new MigrationState(Phase.Running, Reasons.MIGRATION_RUNNING, told
          ? previous.getMessage() : "Job " + jobName + " is running against "
          + (run.leader() == null ? "its database" : describe(run.leader()))), run, null);
    }

    /** The run's Job has ended: a leader change to retry after, or the run's outcome. */
    private Plan ended(Job job) {
      Run run = runOf(job);
      MigrationState state = JobOutcome.of(job);
      Optional<String> leaderChange = state.phase() == Phase.Failed
          && dbm.getSpec().getDatabase().getLeader() != null
          ? LeaderRetries.change(run.leader(), LeaderSelection.select(
              dbm.getSpec().getDatabase().getLeader(), o.pods()))
          : Optional.empty();
      if (leaderChange.isPresent()) {
        return leaderChanged(job, run, leaderChange.get());
      }
      if (o.probe() == null && run.leader() != null) {
        return new Plan.CheckDatabase(run.leader());
      }
      // A history run and the user's own command are run for what they print.
      boolean history = dbm.getSpec().actionOrDefault() == Action.HISTORY
          || dbm.getSpec().engineOrDefault() == Engine.COMMAND;
      if (history && state.phase() == Phase.Succeeded && o.output() == null) {
        return new Plan.ReadOutput(job);
      }
      RevisionStatus revision = o.probe() instanceof Probe.Reachable reachable
          ? reachable.revisionText().map(r -> new RevisionStatus(revisionBefore(), r)).orElse(null)
          : null;
      String message = state.message();
      String output = null;
      if (state.phase() == Phase.Failed) {
        Optional<String> tail = JobPodOutput.terminationMessage(o.podsOf(job), jobName);
        if (tail.isPresent()) {
          message = message + "; output:\n" + Redactor.excerpt(tail.get(), o.scrub(),
              OUTPUT_LINES, OUTPUT_CHARS);
        }
      } else {
        if (revision != null) {
          message = message + "; revision " + revision.getCurrent();
        }
        if (history) {
          output = o.output().isEmpty() ? "(the output could not be read)"
              : Redactor.excerpt(o.output(), o.scrub(), HISTORY_LINES, HISTORY_CHARS);
        }
      }
      Run finished = run.withRevision(revision).withOutput(output);
      return new Plan.Report(new Outcome(new MigrationState(state.phase(), state.reason(),
          message), finished, o.probe() == null ? null : check(o.probe(), run.leader()), null,
          attempts, RunHistory.entry(dbm, finished, state.phase(), revisionBefore(),
              revision == null ? null : revision.getCurrent()), identity.text()));
    }

    /**
     * A Job failed and its leader is no longer the leader: the failure is the failover's, not the
     * migration's. The attempt is recorded and the next one follows after a backoff, until the
     * attempts allowed are spent; then the run fails, naming the leader changes as the cause.
     */
    private Plan leaderChanged(Job job, Run run, String change) {
      List<AttemptStatus> recorded = new ArrayList<>(attempts);
      String message = "Job " + job.getMetadata().getName() + " failed after " + change;
      recorded.add(new AttemptStatus(job.getMetadata().getName(), run.leader(),
          Reasons.LEADER_CHANGED, message, o.now().toString()));
      int max = LeaderRetries.maxAttempts(dbm);
      if (recorded.size() >= max) {
        return new Plan.Report(new Outcome(new MigrationState(Phase.Failed,
            Reasons.LEADER_CHANGED, message + "; giving up after " + max
            + " attempts (spec.job.leaderChangeRetries)"), run, null, null, recorded,
            RunHistory.entry(dbm, run, Phase.Failed, revisionBefore(), null), identity.text()));
      }
      Duration wait = settings.retryBackoff().afterFailures(recorded.size());
      return new Plan.Report(new Outcome(new MigrationState(Phase.Pending,
          Reasons.LEADER_CHANGED, retryMessage(message, "attempt " + (recorded.size() + 1)
          + " of " + max, o.now().plus(wait))), run, null, wait, recorded, null,
          identity.text()));
    }

    /** The run as its Job tells it: name, leader (from the Job's annotations), times, image. */
    private Run runOf(Job job) {
      // The start time written when the Job was made stands: the Job's creation time differs
      // from it by the request's latency, and rewriting it would cost a status write.
      boolean told = previous != null && job.getMetadata().getName().equals(previous.getJobName())
          && previous.getStartTime() != null;
      return new Run(job.getMetadata().getName(), rerun, leaderOf(job),
          told ? previous.getStartTime() : job.getMetadata().getCreationTimestamp(),
          JobOutcome.completionTime(job).orElse(null), null, null, imageOf(job));
    }

    private Run noJob() {
      return Run.none(rerun).withImage(image);
    }

    /** Waiting for the database, looked at again after a delay that grows with the wait. */
    private Plan.Report waitForDatabase(MigrationState state, DatabaseCheck check) {
      return new Plan.Report(new Outcome(state, noJob(), check, databaseRecheck(check), attempts,
          null, identity.text()));
    }

    private Plan.Report report(MigrationState state, Run run, DatabaseCheck check) {
      return new Plan.Report(new Outcome(state, run, check, null, attempts, null,
          identity.text()));
    }

    /** The revision read before the run started, as the status of the run recorded it. */
    private String revisionBefore() {
      return previous == null || previous.getRevision() == null
          || !jobStartedThisRun() ? null : previous.getRevision().getBefore();
    }

    private boolean jobStartedThisRun() {
      return identity.text().equals(previous.getRunIdentity());
    }

    private String attemptText() {
      return "attempt " + (attempts.size() + 1) + " of " + LeaderRetries.maxAttempts(dbm);
    }

    /**
     * When to check a database that is not ready again: as long again as it has not been ready,
     * from the time the DatabaseReachable condition turned false (state in status, so a
     * restarted operator spaces its checks the same way).
     */
    private Duration databaseRecheck(DatabaseCheck check) {
      Instant since = Conditions.find(previous == null ? null : previous.getConditions(),
              ConditionTypes.DATABASE_REACHABLE)
          .filter(c -> "False".equals(c.getStatus()) && !check.ready())
          .map(Condition::getLastTransitionTime)
          .flatMap(Planner::instant)
          .orElse(o.now());
      return settings.databaseRecheck().afterWaiting(Duration.between(since, o.now()));
    }
  }

  private static Plan.Report reportOnly(MigrationState state, Run run) {
    return new Plan.Report(Outcome.of(state, run, null));
  }

  /** The previous status, said again: the planner has nothing new to report. */
  private static Plan.Report unchanged(DatabaseMigrationStatus previous) {
    return new Plan.Report(new Outcome(new MigrationState(previous.getPhase(),
        readyReason(previous), previous.getMessage()), Run.of(previous), null, null,
        Objects.requireNonNullElse(previous.getAttempts(), List.of()), null,
        previous.getRunIdentity()));
  }

  private DatabaseCheck check(Probe probe, LeaderStatus leader) {
    if (probe instanceof Probe.Unreachable unreachable) {
      return new DatabaseCheck(false, Reasons.DATABASE_UNREACHABLE,
          "the operator could not check " + (leader == null ? "the database" : describe(leader))
              + " (" + unreachable.reason() + ")"
              + (settings.databaseCheck() == DatabaseCheckMode.REQUIRED || unreachable.definite()
              ? "" : "; the migration runs in its Job regardless"));
    }
    Probe.Reachable reachable = (Probe.Reachable) probe;
    return reachable.inRecovery()
        ? new DatabaseCheck(false, Reasons.LEADER_IN_RECOVERY,
            "in recovery (read-only)"
                + reachable.revisionText().map(r -> ", revision " + r).orElse(""))
        : new DatabaseCheck(true, Reasons.DATABASE_REACHABLE, "writable"
            + reachable.revisionText().map(r -> ", revision " + r).orElse(""));
  }

  // The due time, not the time left: the message (and so the status) stays the same each pass.
  private static String retryMessage(String failure, String attempt, Instant due) {
    return failure + "; " + attempt + " starts at " + due;
  }

  private static boolean isFinal(DatabaseMigrationStatus status) {
    return status != null && status.getPhase() != null && status.getPhase().isFinal()
        && status.getJobName() != null;
  }

  static String readyReason(DatabaseMigrationStatus status) {
    return Conditions.find(status.getConditions(), ConditionTypes.READY)
        .map(Condition::getReason).orElse(null);
  }

  private static LeaderStatus leaderOf(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(Labels.LEADER_HOST_ANNOTATION)) {
      return null;
    }
    return new LeaderStatus(annotations.get(Labels.LEADER_POD_ANNOTATION),
        annotations.get(Labels.LEADER_HOST_ANNOTATION));
  }

  private static String imageOf(Job job) {
    var containers = job.getSpec().getTemplate().getSpec().getContainers();
    return containers.isEmpty() ? null : containers.get(0).getImage();
  }

  private static String describe(LeaderStatus leader) {
    return leader.getPod() == null ? "host " + leader.getHost()
        : "leader " + leader.getPod() + " (" + leader.getHost() + ")";
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
