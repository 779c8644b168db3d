package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.RevisionStatus;
import dev.dbmigration.operator.api.v1alpha1.RunRecord;
import dev.dbmigration.operator.database.Probe;
import dev.dbmigration.operator.database.Redactor;
import dev.dbmigration.operator.database.RevisionReader;
import dev.dbmigration.operator.model.run.Backoff;
import dev.dbmigration.operator.model.validation.CredentialsCheck;
import dev.dbmigration.operator.model.status.DatabaseCheck;
import dev.dbmigration.operator.model.run.FollowedImage;
import dev.dbmigration.operator.model.job.JobNames;
import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.run.LeaderRetries;
import dev.dbmigration.operator.model.leader.LeaderSelection;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.model.status.MigrationState;
import dev.dbmigration.operator.model.run.Run;
import dev.dbmigration.operator.model.run.RunHistory;
import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.model.validation.SpecValidator;
import dev.dbmigration.operator.model.status.StatusAssembler;
import dev.dbmigration.operator.model.validation.Violation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a DatabaseMigration into at most one Job per run (generation + rerun token), one more
 * for each retry after a leader change, and reports the run in the resource's status.
 * Kubernetes reads come from informer caches; the writes are the Job's creation, Events and the
 * status patch, skipped when the freshly computed status equals the stored one. The database
 * itself is probed only around a run: before the Job (is the host writable, which revision) and
 * once when the Job finishes (which revision now).
 */
// Rerun requests arrive as an annotation, which does not bump the generation: every event counts.
@ControllerConfiguration(name = DatabaseMigrationReconciler.NAME,
    generationAwareEventProcessing = false, finalizerName = DatabaseMigrationReconciler.FINALIZER)
public class DatabaseMigrationReconciler implements Reconciler<DatabaseMigration>,
    Cleaner<DatabaseMigration> {

  public static final String NAME = "databasemigration";
  /** Held until a deleted resource's Jobs and pods are gone (see {@link RunCleanup}). */
  public static final String FINALIZER = DatabaseMigration.GROUP + "/cleanup";
  /**
   * Another resource's run on the same database ends with nothing a watch on this resource would
   * see, so that wait rechecks on a timer (as the database waits do, see {@link DatabaseWaits}).
   */
  static final Duration RECHECK = Duration.ofSeconds(10);
  private static final int OUTPUT_LINES = 20;
  private static final int OUTPUT_CHARS = 2000;
  private static final int HISTORY_LINES = 200;
  private static final int HISTORY_CHARS = 16000;
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrationReconciler.class);

  private final Clock clock;
  private final DatabaseAccess database;
  private final DatabaseCheckMode databaseCheck;
  private final Backoff retryBackoff;
  private final DatabaseWaits databaseWaits;
  private final MigrationMetrics metrics;
  private final AnnouncedTransitions announced = new AnnouncedTransitions();
  private RunCleanup cleanup;
  private KubernetesClient client;
  private MigrationEvents events;
  private JobOutputs outputs;
  private InformerEventSource<Job, DatabaseMigration> jobs;
  private InformerEventSource<Secret, DatabaseMigration> secrets;
  private InformerEventSource<Pod, DatabaseMigration> pods;
  private DatabaseRuns databaseRuns;
  private Workloads workloads;

  public DatabaseMigrationReconciler() {
    this(new OperatorSettings(java.util.Set.of(), 0));
  }

  public DatabaseMigrationReconciler(OperatorSettings settings) {
    this(settings, MigrationMetrics.none());
  }

  public DatabaseMigrationReconciler(OperatorSettings settings, MigrationMetrics metrics) {
    this(Clock.systemUTC(), new RevisionReader(), settings, metrics);
  }

  public DatabaseMigrationReconciler(Clock clock, RevisionReader revisionReader,
      OperatorSettings settings, MigrationMetrics metrics) {
    this.clock = clock;
    this.database = new DatabaseAccess(revisionReader);
    this.metrics = metrics;
    this.databaseCheck = settings.databaseCheck();
    // Retries after a leader change: 10 s, 20 s, 40 s by default. Database rechecks space out
    // to two minutes at most, so a database that comes back is noticed soon enough.
    this.retryBackoff = new Backoff(settings.backoff(), settings.backoff().multipliedBy(30));
    this.databaseWaits = new DatabaseWaits(
        new Backoff(settings.backoff(), settings.backoff().multipliedBy(12)));
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
    databaseRuns = new DatabaseRuns(jobs, clock);
    cleanup = new RunCleanup(client);
    workloads = new Workloads(context);
    return List.of(jobs, secrets, pods, workloads.deployments(), workloads.statefulSets());
  }

  @Override
  public UpdateControl<DatabaseMigration> reconcile(DatabaseMigration dbm,
      Context<DatabaseMigration> context) {
    DatabaseMigrationStatus previous = dbm.getStatus();
    String token = JobNames.rerunTokenOf(dbm);
    String rerun = token.isEmpty() ? null : token;
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();

    Decision decision = decide(dbm, previous, rerun, now);
    DatabaseMigrationStatus status = StatusAssembler.assemble(previous, JobNames.generationOf(dbm),
        decision.state(), decision.run(), decision.check(), decision.finished(),
        decision.identity(), now);
    status.setAttempts(decision.attempts().isEmpty() ? null : decision.attempts());
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
    return decision.recheck() != null ? control.rescheduleAfter(decision.recheck()) : control;
  }

  /** The resource is going: its Jobs (running or not) and their pods go with it. */
  @Override
  public DeleteControl cleanup(DatabaseMigration dbm, Context<DatabaseMigration> context) {
    databaseWaits.clear(dbm.getMetadata().getUid());
    announced.forget(dbm.getMetadata().getUid());
    cleanup.removeRunsOf(dbm);
    return DeleteControl.defaultDelete();
  }

  /** What this pass found. */
  private Decision decide(DatabaseMigration dbm, DatabaseMigrationStatus previous, String rerun,
      String now) {
    List<Violation> violations = SpecValidator.validate(dbm);
    if (!violations.isEmpty()) {
      return Decision.of(new MigrationState(Phase.Invalid, Reasons.INVALID_SPEC,
          SpecValidator.describe(violations)),
          Run.none(rerun));
    }
    String namespace = dbm.getMetadata().getNamespace();
    String image = dbm.getSpec().getImage();
    String followed = null;
    if (dbm.getSpec().getImageFrom() != null) {
      FollowedImage resolved = FollowedImage.of(dbm.getSpec().getImageFrom(),
          workloads.podTemplate(namespace, dbm.getSpec().getImageFrom()));
      if (resolved instanceof FollowedImage.Missing missing) {
        return Decision.of(new MigrationState(Phase.Pending, Reasons.IMAGE_SOURCE_NOT_FOUND,
            missing.message()), Run.none(rerun));
      }
      image = followed = ((FollowedImage.Found) resolved).image();
    }
    String identity = RunIdentity.of(dbm, followed);
    List<AttemptStatus> attempts = LeaderRetries.recorded(dbm, followed, previous);
    boolean previousFinished = previous != null && previous.getPhase() != null
        && previous.getPhase().isFinal() && previous.getJobName() != null;
    // A spec that differs from the finished run's only in suspend answers to that same run.
    boolean sameRunAsFinished = previousFinished && identity.equals(previous.getRunIdentity());
    String jobName = sameRunAsFinished ? previous.getJobName()
        : JobNames.forAttempt(dbm, followed, LeaderRetries.currentAttempt(dbm, attempts));
    if (sameRunAsFinished && previous.getAttempts() != null) {
      attempts = previous.getAttempts();
    }
    boolean finishedBefore = previousFinished && jobName.equals(previous.getJobName());
    Optional<Job> job = jobs.get(new ResourceID(jobName, namespace));
    if (job.isPresent()) {
      return fromJob(dbm, job.get(), previous, rerun, finishedBefore, now)
          .withEarlierAttempts(attempts).identified(identity);
    }
    if (finishedBefore) {
      // The Job of a finished run was removed (ttlSecondsAfterFinished); the run stays done.
      return Decision.of(new MigrationState(previous.getPhase(), readyReason(previous),
          previous.getMessage()), Run.of(previous)).withEarlierAttempts(attempts)
          .identified(identity);
    }
    if (Boolean.TRUE.equals(dbm.getSpec().getSuspend())) {
      return Decision.of(new MigrationState(Phase.Pending, Reasons.SUSPENDED,
          "suspended: no new run starts until spec.suspend is false"),
          Run.none(rerun).withImage(image)).withEarlierAttempts(attempts).identified(identity);
    }
    if (attempts.isEmpty()) {
      return startRun(dbm, jobName, rerun, namespace, image).identified(identity);
    }
    return retry(dbm, previous, attempts, jobName, rerun, namespace, image, now)
        .identified(identity);
  }

  /** The next attempt after a leader change, once its backoff has passed. */
  private Decision retry(DatabaseMigration dbm, DatabaseMigrationStatus previous,
      List<AttemptStatus> attempts, String jobName, String rerun, String namespace, String image,
      String now) {
    AttemptStatus last = attempts.get(attempts.size() - 1);
    Instant due = Instant.parse(last.getFinishedAt())
        .plus(retryBackoff.afterFailures(attempts.size()));
    Duration left = Duration.between(Instant.parse(now), due);
    String attempt = "attempt " + (attempts.size() + 1) + " of " + LeaderRetries.maxAttempts(dbm);
    if (!left.isNegative() && !left.isZero()) {
      Run waiting = new Run(last.getJob(), rerun, last.getLeader(),
          previous == null ? null : previous.getStartTime(), null, null, null, image);
      return new Decision(new MigrationState(Phase.Pending, Reasons.LEADER_CHANGED,
          retryMessage(last.getMessage(), attempt, due)), waiting, null, left, attempts, null,
          null);
    }
    Decision started = startRun(dbm, jobName, rerun, namespace, image)
        .withEarlierAttempts(attempts);
    if (started.state().phase() != Phase.Running) {
      return started;
    }
    return started.withState(new MigrationState(Phase.Running, Reasons.MIGRATION_RUNNING,
        started.state().message() + " (" + attempt + ", after a leader change)"));
  }

  private Decision fromJob(DatabaseMigration dbm, Job job, DatabaseMigrationStatus previous,
      String rerun, boolean finishedBefore, String now) {
    LeaderStatus leader = leaderOf(job);
    MigrationState state = JobOutcome.of(job);
    Run run = new Run(job.getMetadata().getName(), rerun, leader,
        job.getMetadata().getCreationTimestamp(), JobOutcome.completionTime(job).orElse(null),
        null, null, imageOf(job));
    if (!state.phase().isFinal()) {
      // The message written when the Job was made (which leader, which attempt) stands while it
      // runs: rewording it would cost a status write that tells the user nothing new.
      boolean reported = previous != null && previous.getPhase() == state.phase()
          && job.getMetadata().getName().equals(previous.getJobName())
          && Objects.equals(readyReason(previous), state.reason());
      return Decision.of(reported ? new MigrationState(state.phase(), state.reason(),
          previous.getMessage()) : state, run);
    }
    if (finishedBefore) {
      // Already reported: keep the message that holds the engine's output and the revision.
      // (The reason too: a run that gave up after leader changes stays LeaderChanged.)
      return Decision.of(new MigrationState(previous.getPhase(),
          Objects.requireNonNullElse(readyReason(previous), state.reason()),
          previous.getMessage()), run.withOutput(previous.getOutput()));
    }
    Optional<String> leaderChange = state.phase() == Phase.Failed
        && dbm.getSpec().getDatabase().getLeader() != null
        ? LeaderRetries.change(leader, LeaderSelection.select(dbm.getSpec().getDatabase()
            .getLeader(), podsIn(dbm.getMetadata().getNamespace())))
        : Optional.empty();
    if (leaderChange.isPresent()) {
      return leaderChanged(dbm, previous, job, run, leaderChange.get(), now);
    }
    Secret secret = secret(dbm);
    Probe probe = database.probe(dbm, secret, leader == null ? null : leader.getHost());
    String before = previous == null || previous.getRevision() == null ? null
        : previous.getRevision().getBefore();
    RevisionStatus revision = probe instanceof Probe.Reachable reachable
        ? new RevisionStatus(before, reachable.revision().toString()) : null;
    String message = state.message();
    List<String> secretValues = DatabaseAccess.secretsToRedact(dbm, secret);
    List<Pod> namespacePods = podsIn(dbm.getMetadata().getNamespace());
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
    RunRecord record = RunHistory.entry(dbm, finished, state.phase(),
        before, revision == null ? null : revision.getCurrent());
    return new Decision(new MigrationState(state.phase(), state.reason(), message), finished,
        check(probe), null, List.of(), record, null);
  }

  /**
   * A Job failed and its leader is no longer the leader: the failure is the failover's, not the
   * migration's. The attempt is recorded and the next one follows after a backoff, until the
   * attempts allowed are spent; then the run fails, naming the leader changes as the cause.
   */
  private Decision leaderChanged(DatabaseMigration dbm, DatabaseMigrationStatus previous, Job job,
      Run run, String change, String now) {
    List<AttemptStatus> attempts = new ArrayList<>(LeaderRetries.recorded(dbm, previous));
    String message = "Job " + job.getMetadata().getName() + " failed after " + change;
    attempts.add(new AttemptStatus(job.getMetadata().getName(), run.leader(),
        Reasons.LEADER_CHANGED, message, now));
    int max = LeaderRetries.maxAttempts(dbm);
    LOG.info("{} (attempt {} of {})", message, attempts.size(), max);
    if (attempts.size() >= max) {
      RunRecord record = RunHistory.entry(dbm, run, Phase.Failed, null, null);
      return new Decision(new MigrationState(Phase.Failed, Reasons.LEADER_CHANGED, message
          + "; giving up after " + max + " attempts (spec.job.leaderChangeRetries)"), run, null,
          null, attempts, record, null);
    }
    Duration wait = retryBackoff.afterFailures(attempts.size());
    return new Decision(new MigrationState(Phase.Pending, Reasons.LEADER_CHANGED,
        retryMessage(message, "attempt " + (attempts.size() + 1) + " of " + max,
            Instant.parse(now).plus(wait))), run, null, wait, attempts, null, null);
  }

  // The due time, not the time left: the message (and so the status) stays the same each pass.
  private static String retryMessage(String failure, String attempt, Instant due) {
    return failure + "; " + attempt + " starts at " + due;
  }

  private Decision startRun(DatabaseMigration dbm, String jobName, String rerun, String namespace,
      String image) {
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
          podsIn(namespace));
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
    String uid = dbm.getMetadata().getUid();
    if (probe instanceof Probe.Reachable reachable) {
      if (reachable.inRecovery()) {
        Duration next = databaseWaits.next(uid, clock.instant());
        String message = describe(leader) + " is in recovery (a replica): refusing to migrate it"
            + " (rechecked, less often the longer it lasts)";
        return new Decision(new MigrationState(Phase.WaitingForDatabase,
            Reasons.LEADER_IN_RECOVERY, message), Run.none(rerun).withImage(image), check(probe),
            next, List.of(), null, null);
      }
      revision = new RevisionStatus(reachable.revision().toString(),
          reachable.revision().toString());
    } else if (databaseCheck == DatabaseCheckMode.REQUIRED) {
      Duration next = databaseWaits.next(uid, clock.instant());
      String message = "the operator cannot reach " + describe(leader) + " ("
          + ((Probe.Unreachable) probe).reason() + "); no Job until it can (rechecked, less "
          + "often the longer it lasts; DATABASE_CHECK=best-effort runs the Job regardless)";
      return new Decision(new MigrationState(Phase.WaitingForDatabase,
          Reasons.DATABASE_UNREACHABLE, message), Run.none(rerun).withImage(image), check(probe),
          next, List.of(), null, null);
    }
    databaseWaits.clear(uid);

    int port = Objects.requireNonNullElse(dbm.getSpec().getDatabase().getPort(), 5432);
    String databaseKey = DatabaseRuns.key(leader.getHost(), port,
        Objects.requireNonNullElse(DatabaseAccess.databaseName(dbm, secret), ""));
    Job job = MigrationJobBuilder.build(dbm, jobName, leader.getHost(), image);
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
          message), Run.none(rerun).withImage(image), check(probe), RECHECK, List.of(), null,
          null);
    }
    Job created = start.created();
    jobs.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    LOG.info("created Job {} against {}", jobName, describe(leader));
    return new Decision(new MigrationState(Phase.Running, Reasons.MIGRATION_RUNNING,
        "Job " + jobName + " started against " + describe(leader)),
        new Run(jobName, rerun, leader, created.getMetadata().getCreationTimestamp(), null,
            revision, null, image), check(probe), null, List.of(), null, null);
  }

  // The informer's namespace index: listing with a namespace filter walks every cached pod of
  // every namespace, which the benchmark's profile showed growing with the cluster.
  private List<Pod> podsIn(String namespace) {
    return pods.byIndex(Cache.NAMESPACE_INDEX, namespace);
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

  private DatabaseCheck check(Probe probe) {
    if (probe instanceof Probe.Unreachable unreachable) {
      return new DatabaseCheck(false, "the operator could not check the database ("
          + unreachable.reason() + (databaseCheck == DatabaseCheckMode.REQUIRED ? ")"
          : "); the migration runs in its Job regardless"));
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
    String transition = status.getObservedGeneration() + "/" + status.getJobName() + "/"
        + state.phase() + "/" + state.reason();
    if (!changed || !announced.isNew(dbm.getMetadata().getUid(), transition)) {
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

  private static String imageOf(Job job) {
    var containers = job.getSpec().getTemplate().getSpec().getContainers();
    return containers.isEmpty() ? null : containers.get(0).getImage();
  }

  /**
   * The outcome of one pass: state, run facts, the database check if one was made, when to look
   * again though nothing changes (null: on events only), the run's earlier attempts, the run
   * that finished in this pass (for the history) and what the run answers (see RunIdentity).
   */
  private record Decision(MigrationState state, Run run, DatabaseCheck check, Duration recheck,
      List<AttemptStatus> attempts, RunRecord finished, String identity) {
    static Decision of(MigrationState state, Run run) {
      return new Decision(state, run, null, null, List.of(), null, null);
    }

    Decision withState(MigrationState newState) {
      return new Decision(newState, run, check, recheck, attempts, finished, identity);
    }

    /** Keeps the attempts this pass recorded, else those recorded before. */
    Decision withEarlierAttempts(List<AttemptStatus> earlier) {
      return attempts.isEmpty()
          ? new Decision(state, run, check, recheck, earlier, finished, identity) : this;
    }

    Decision identified(String runIdentity) {
      return new Decision(state, run, check, recheck, attempts, finished, runIdentity);
    }
  }
}
