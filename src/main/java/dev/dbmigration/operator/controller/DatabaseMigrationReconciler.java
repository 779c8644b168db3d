package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.RevisionStatus;
import dev.dbmigration.operator.database.Probe;
import dev.dbmigration.operator.database.Redactor;
import dev.dbmigration.operator.database.RevisionReader;
import dev.dbmigration.operator.model.CredentialsCheck;
import dev.dbmigration.operator.model.DatabaseCheck;
import dev.dbmigration.operator.model.JobNames;
import dev.dbmigration.operator.model.JobOutcome;
import dev.dbmigration.operator.model.JobPodOutput;
import dev.dbmigration.operator.model.Labels;
import dev.dbmigration.operator.model.LeaderSelection;
import dev.dbmigration.operator.model.MigrationJobBuilder;
import dev.dbmigration.operator.model.MigrationState;
import dev.dbmigration.operator.model.Run;
import dev.dbmigration.operator.model.SpecValidator;
import dev.dbmigration.operator.model.StatusAssembler;
import dev.dbmigration.operator.model.Violation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a DatabaseMigration into at most one Job per run (generation + rerun token) and reports
 * the run in the resource's status. Kubernetes reads come from informer caches; the writes are
 * the Job's creation, Events and the status patch, skipped when the freshly computed status
 * equals the stored one. The database itself is probed only around a run: before the Job (is
 * the host writable, which revision) and once when the Job finishes (which revision now).
 */
// Rerun requests arrive as an annotation, which does not bump the generation: every event counts.
@ControllerConfiguration(name = DatabaseMigrationReconciler.NAME, generationAwareEventProcessing = false)
public class DatabaseMigrationReconciler implements Reconciler<DatabaseMigration> {

  public static final String NAME = "databasemigration";
  /**
   * A leader in recovery, or another resource's run on the same database, ends with nothing a
   * watch on this resource would see, so only these waiting states recheck on a timer.
   */
  static final Duration RECHECK = Duration.ofSeconds(10);
  private static final int OUTPUT_LINES = 20;
  private static final int OUTPUT_CHARS = 2000;
  private static final int HISTORY_LINES = 200;
  private static final int HISTORY_CHARS = 16000;
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrationReconciler.class);

  private final Clock clock;
  private final DatabaseAccess database;
  private final MigrationMetrics metrics;
  private KubernetesClient client;
  private MigrationEvents events;
  private JobOutputs outputs;
  private InformerEventSource<Job, DatabaseMigration> jobs;
  private InformerEventSource<Secret, DatabaseMigration> secrets;
  private InformerEventSource<Pod, DatabaseMigration> pods;
  private DatabaseRuns databaseRuns;

  public DatabaseMigrationReconciler() {
    this(Clock.systemUTC(), new RevisionReader());
  }

  public DatabaseMigrationReconciler(Clock clock, RevisionReader revisionReader) {
    this(clock, revisionReader, MigrationMetrics.none());
  }

  public DatabaseMigrationReconciler(MigrationMetrics metrics) {
    this(Clock.systemUTC(), new RevisionReader(), metrics);
  }

  public DatabaseMigrationReconciler(Clock clock, RevisionReader revisionReader,
      MigrationMetrics metrics) {
    this.clock = clock;
    this.database = new DatabaseAccess(revisionReader);
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, DatabaseMigration>> prepareEventSources(
      EventSourceContext<DatabaseMigration> context) {
    client = context.getClient();
    events = new MigrationEvents(client, clock);
    outputs = new JobOutputs(client);
    jobs = EventSources.jobs(context);
    secrets = EventSources.secrets(context);
    pods = EventSources.pods(context);
    databaseRuns = new DatabaseRuns(jobs);
    return List.of(jobs, secrets, pods);
  }

  @Override
  public UpdateControl<DatabaseMigration> reconcile(DatabaseMigration dbm,
      Context<DatabaseMigration> context) {
    DatabaseMigrationStatus previous = dbm.getStatus();
    String token = JobNames.rerunTokenOf(dbm);
    String rerun = token.isEmpty() ? null : token;
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();

    Decision decision = decide(dbm, previous, rerun);
    if (decision == null) {
      return UpdateControl.noUpdate();
    }
    DatabaseMigrationStatus status = StatusAssembler.assemble(previous, JobNames.generationOf(dbm),
        decision.state(), decision.run(), decision.check(), now);
    UpdateControl<DatabaseMigration> control;
    if (sameJson(previous, status)) {
      control = UpdateControl.noUpdate();
    } else {
      announce(dbm, previous, decision.state(), status);
      DatabaseMigration patch = new DatabaseMigration();
      patch.setMetadata(dbm.getMetadata());
      patch.setStatus(status);
      control = UpdateControl.patchStatus(patch);
    }
    return decision.recheck() ? control.rescheduleAfter(RECHECK) : control;
  }

  /** What this pass found; null when a finished run's status already says all there is. */
  private Decision decide(DatabaseMigration dbm, DatabaseMigrationStatus previous, String rerun) {
    List<Violation> violations = SpecValidator.validate(dbm);
    if (!violations.isEmpty()) {
      String message = violations.stream().map(Violation::toString)
          .collect(Collectors.joining("; "));
      return Decision.of(new MigrationState(Phase.Invalid, Reasons.INVALID_SPEC, message),
          Run.none(rerun));
    }
    String namespace = dbm.getMetadata().getNamespace();
    String jobName = JobNames.forRun(dbm);
    boolean finishedBefore = previous != null && jobName.equals(previous.getJobName())
        && previous.getPhase() != null && previous.getPhase().isFinal();
    Optional<Job> job = jobs.get(new ResourceID(jobName, namespace));
    if (job.isPresent()) {
      return fromJob(dbm, job.get(), previous, rerun, finishedBefore);
    }
    if (finishedBefore) {
      // The Job of a finished run was removed (ttlSecondsAfterFinished); the run stays done.
      return null;
    }
    return startRun(dbm, jobName, rerun, namespace);
  }

  private Decision fromJob(DatabaseMigration dbm, Job job, DatabaseMigrationStatus previous,
      String rerun, boolean finishedBefore) {
    LeaderStatus leader = leaderOf(job);
    MigrationState state = JobOutcome.of(job);
    Run run = new Run(job.getMetadata().getName(), rerun, leader,
        job.getMetadata().getCreationTimestamp(), JobOutcome.completionTime(job).orElse(null),
        null, null);
    if (!state.phase().isFinal()) {
      return Decision.of(state, run);
    }
    if (finishedBefore) {
      // Already reported: keep the message that holds the engine's output and the revision.
      return Decision.of(new MigrationState(previous.getPhase(), state.reason(),
          previous.getMessage()), run.withOutput(previous.getOutput()));
    }
    Secret secret = secret(dbm);
    Probe probe = database.probe(dbm, secret, leader == null ? null : leader.getHost());
    String before = previous == null || previous.getRevision() == null ? null
        : previous.getRevision().getBefore();
    RevisionStatus revision = probe instanceof Probe.Reachable reachable
        ? new RevisionStatus(before, reachable.revision().toString()) : null;
    String message = state.message();
    List<String> secretValues = DatabaseAccess.secretsToRedact(dbm, secret);
    List<Pod> namespacePods = pods.list(dbm.getMetadata().getNamespace(), p -> true).toList();
    String output = null;
    if (state.phase() == Phase.Failed) {
      Optional<String> tail = JobPodOutput.terminationMessage(namespacePods,
          job.getMetadata().getName());
      if (tail.isPresent()) {
        message = message + "; output:\n" + Redactor.excerpt(tail.get(), secretValues,
            OUTPUT_LINES, OUTPUT_CHARS);
      }
    } else {
      if (revision != null) {
        message = message + "; revision " + revision.getCurrent();
      }
      if (dbm.getSpec().getAction() == Action.HISTORY) {
        output = outputs.read(namespacePods, job)
            .map(text -> Redactor.excerpt(text, secretValues, HISTORY_LINES, HISTORY_CHARS))
            .orElse("(the output could not be read)");
      }
    }
    Run finished = run.withRevision(revision).withOutput(output);
    return new Decision(new MigrationState(state.phase(), state.reason(), message), finished,
        check(probe), false);
  }

  private Decision startRun(DatabaseMigration dbm, String jobName, String rerun, String namespace) {
    var ref = dbm.getSpec().getDatabase().getCredentialsSecret();
    Secret secret = secret(dbm);
    Optional<CredentialsCheck.Problem> problem = CredentialsCheck.check(ref, namespace, secret);
    if (problem.isPresent()) {
      return Decision.of(new MigrationState(Phase.Pending, problem.get().reason(),
          problem.get().message()), Run.none(rerun));
    }

    LeaderStatus leader;
    String explicitHost = dbm.getSpec().getDatabase().getHost();
    if (explicitHost != null) {
      leader = new LeaderStatus(null, explicitHost);
    } else {
      LeaderSelection selection = LeaderSelection.select(dbm.getSpec().getDatabase().getLeader(),
          pods.list(namespace, p -> true).toList());
      if (selection instanceof LeaderSelection.None none) {
        return waiting(Reasons.LEADER_NOT_FOUND, none.reason(), rerun);
      }
      if (selection instanceof LeaderSelection.Several several) {
        return waiting(Reasons.MULTIPLE_LEADERS, several.pods().size()
            + " pods carry the leader role, refusing to guess: "
            + String.join(", ", several.pods()), rerun);
      }
      LeaderSelection.Found found = (LeaderSelection.Found) selection;
      leader = new LeaderStatus(found.pod(), found.host());
    }

    Probe probe = database.probe(dbm, secret, leader.getHost());
    RevisionStatus revision = null;
    if (probe instanceof Probe.Reachable reachable) {
      if (reachable.inRecovery()) {
        String message = describe(leader) + " is in recovery (a replica): refusing to migrate it";
        return new Decision(new MigrationState(Phase.WaitingForDatabase,
            Reasons.LEADER_IN_RECOVERY, message), Run.none(rerun), check(probe), true);
      }
      revision = new RevisionStatus(reachable.revision().toString(),
          reachable.revision().toString());
    }

    int port = Objects.requireNonNullElse(dbm.getSpec().getDatabase().getPort(), 5432);
    String databaseKey = DatabaseRuns.key(leader.getHost(), port,
        Objects.requireNonNullElse(DatabaseAccess.databaseName(dbm, secret), ""));
    Job job = MigrationJobBuilder.build(dbm, jobName, leader.getHost());
    job.getMetadata().getAnnotations().put(Labels.DATABASE_ANNOTATION, databaseKey);
    DatabaseRuns.Result start = databaseRuns.startUnlessBusy(databaseKey, jobName,
        () -> createJob(job, leader));
    if (start.busyWith() != null) {
      Job other = start.busyWith();
      String owner = other.getMetadata().getOwnerReferences().isEmpty() ? "?"
          : other.getMetadata().getOwnerReferences().get(0).getName();
      String message = "database " + databaseKey + " is being migrated by "
          + other.getMetadata().getNamespace() + "/" + owner + " (Job "
          + other.getMetadata().getName() + "); this run starts when that one ends";
      return new Decision(new MigrationState(Phase.Pending, Reasons.WAITING_FOR_OTHER_MIGRATION,
          message), Run.none(rerun), check(probe), true);
    }
    Job created = start.created();
    jobs.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    LOG.info("created Job {} against {}", jobName, describe(leader));
    return new Decision(new MigrationState(Phase.Running, Reasons.MIGRATION_RUNNING,
        "Job " + jobName + " started against " + describe(leader)),
        new Run(jobName, rerun, leader, created.getMetadata().getCreationTimestamp(), null,
            revision, null), check(probe), false);
  }

  private Secret secret(DatabaseMigration dbm) {
    String name = dbm.getSpec().getDatabase().getCredentialsSecret().getName();
    return secrets.get(new ResourceID(name, dbm.getMetadata().getNamespace())).orElse(null);
  }

  private Job createJob(Job job, LeaderStatus leader) {
    if (leader.getPod() != null) {
      job.getMetadata().getAnnotations().put(Labels.LEADER_POD_ANNOTATION, leader.getPod());
    }
    job.getMetadata().getAnnotations().put(Labels.LEADER_HOST_ANNOTATION, leader.getHost());
    var resource = client.batch().v1().jobs()
        .inNamespace(job.getMetadata().getNamespace()).resource(job);
    try {
      return resource.create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // Made by an earlier pass whose status write was lost; the deterministic name finds it.
      LOG.info("Job {} already exists, adopting it", job.getMetadata().getName());
      return Objects.requireNonNull(resource.get(), "Job vanished after a create conflict");
    }
  }

  private static DatabaseCheck check(Probe probe) {
    if (probe instanceof Probe.Unreachable unreachable) {
      return new DatabaseCheck(false, "the operator could not check the database ("
          + unreachable.reason() + "); the migration runs in its Job regardless");
    }
    Probe.Reachable reachable = (Probe.Reachable) probe;
    return new DatabaseCheck(true, (reachable.inRecovery() ? "in recovery" : "writable")
        + ", revision " + reachable.revision());
  }

  private static Decision waiting(String reason, String message, String rerun) {
    return Decision.of(new MigrationState(Phase.WaitingForDatabase, reason, message),
        Run.none(rerun));
  }

  private static LeaderStatus leaderOf(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(Labels.LEADER_HOST_ANNOTATION)) {
      return null;
    }
    return new LeaderStatus(annotations.get(Labels.LEADER_POD_ANNOTATION),
        annotations.get(Labels.LEADER_HOST_ANNOTATION));
  }

  private static String describe(LeaderStatus leader) {
    return leader.getPod() == null ? "host " + leader.getHost()
        : "leader " + leader.getPod() + " (" + leader.getHost() + ")";
  }

  /** Events mark transitions only, so a resource that waits for hours does not flood the log. */
  private void announce(DatabaseMigration dbm, DatabaseMigrationStatus previous,
      MigrationState state, DatabaseMigrationStatus status) {
    boolean changed = previous == null || previous.getPhase() != state.phase()
        || !Objects.equals(readyReason(previous), state.reason());
    if (!changed) {
      return;
    }
    LOG.info("phase {} ({}): {}", state.phase(), state.reason(), state.message());
    metrics.transition(dbm, state, status);
    switch (state.phase()) {
      case Failed, Invalid -> events.warning(dbm, state.reason(), state.message());
      default -> events.normal(dbm, state.reason(), state.message());
    }
  }

  private static String readyReason(DatabaseMigrationStatus status) {
    return status.getConditions() == null ? null : status.getConditions().stream()
        .filter(c -> ConditionTypes.READY.equals(c.getType())).map(c -> c.getReason())
        .findFirst().orElse(null);
  }

  private static boolean sameJson(DatabaseMigrationStatus a, DatabaseMigrationStatus b) {
    return a != null && Serialization.asJson(a).equals(Serialization.asJson(b));
  }

  /** The outcome of one pass: state, run facts, the database check if one was made. */
  private record Decision(MigrationState state, Run run, DatabaseCheck check, boolean recheck) {
    static Decision of(MigrationState state, Run run) {
      return new Decision(state, run, null, false);
    }
  }
}
