package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.database.RevisionReader;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.run.Run;
import dev.dbmigration.operator.model.status.MigrationState;
import dev.dbmigration.operator.plan.Observation;
import dev.dbmigration.operator.plan.Outcome;
import dev.dbmigration.operator.plan.Plan;
import dev.dbmigration.operator.plan.Planner;
import dev.dbmigration.operator.plan.PlannerSettings;
import dev.dbmigration.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a DatabaseMigration into at most one Job per run and reports the run in its status:
 * observe (the informers' caches), plan ({@link Planner}, pure), act (the I/O the plan names).
 * Deletion is the cluster's garbage collector's: the Jobs are owned by the resource, and no
 * finalizer of this operator ever holds a resource (or its namespace) back.
 */
// Every event, deletions included: a rerun request is an annotation, which does not bump the
// generation, and a resource left with the finalizer of an older operator must lose it even
// while it is being deleted.
@ControllerConfiguration(name = DatabaseMigrationReconciler.NAME,
    generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public class DatabaseMigrationReconciler implements Reconciler<DatabaseMigration> {

  public static final String NAME = "databasemigration";
  /** Held by operators before 0.2 until they had deleted a resource's Jobs themselves. */
  public static final String LEGACY_FINALIZER = DatabaseMigration.GROUP + "/cleanup";
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrationReconciler.class);
  /**
   * Facts a plan can ask for (a database check, a Job's output) and a plan kept, before the
   * pass's last plan.
   */
  private static final int MOST_PLANS_PER_PASS = 5;

  private final Clock clock;
  private final Planner planner;
  private final RevisionReader revisionReader;
  private DatabaseAccess database;
  private final MigrationMetrics metrics;
  private final MigrationJob jobs;
  private Observer observer;
  private StatusWriter status;
  private DatabaseRuns databaseRuns;
  private JobOutputs outputs;
  private PlanStore plans;

  public DatabaseMigrationReconciler(OperatorSettings settings, MigrationMetrics metrics) {
    this(Clock.systemUTC(), new RevisionReader(), settings, metrics);
  }

  public DatabaseMigrationReconciler(Clock clock, RevisionReader revisionReader,
      OperatorSettings settings, MigrationMetrics metrics) {
    this.clock = clock;
    this.planner = new Planner(PlannerSettings.of(settings.databaseCheck(), settings.backoff(),
        settings.operatorImage()));
    this.revisionReader = revisionReader;
    this.jobs = new MigrationJob(oneInformer(settings));
    this.metrics = metrics;
  }

  /**
   * The item store of the resources' own informer: resources with shared empties and conditions'
   * words kept once ({@link CachedForms#migration}), where JOSDK runs one informer for them.
   */
  public static Optional<ItemStore<DatabaseMigration>> primaryStore(OperatorSettings settings) {
    return oneInformer(settings) ? Optional.of(new PrunedStore<>(CachedForms::migration))
        : Optional.empty();
  }

  /**
   * Whether JOSDK serves a resource type with one informer: for all namespaces, or one. It gives
   * an item store to each of its informers, one per namespace, so a store is safe only then.
   */
  private static boolean oneInformer(OperatorSettings settings) {
    return settings.watchesAllNamespaces() || settings.namespaces().size() == 1;
  }

  @Override
  public List<EventSource<?, DatabaseMigration>> prepareEventSources(
      EventSourceContext<DatabaseMigration> context) {
    List<EventSource<?, DatabaseMigration>> sources =
        new ArrayList<>(EventSourceUtils.dependentEventSources(context, jobs));
    @SuppressWarnings("unchecked")
    InformerEventSource<Job, DatabaseMigration> jobSource =
        (InformerEventSource<Job, DatabaseMigration>) jobs.eventSource().orElseThrow();
    PrunedInformers<Secret> secrets = EventSources.secrets(context);
    PrunedInformers<Pod> pods = EventSources.pods(context, jobSource);
    Workloads workloads = new Workloads(context);
    databaseRuns = new DatabaseRuns(jobSource);
    metrics.countJobsOf(() -> jobSource.list().toList());
    observer = new Observer(secrets, pods, workloads, clock);
    status = new StatusWriter(new MigrationEvents(context.getClient(), clock), metrics, clock);
    outputs = new JobOutputs(context.getClient());
    plans = new PlanStore(context.getClient());
    database = new DatabaseAccess(revisionReader, context.getClient(),
        new CaBundleReader(context.getClient()));
    sources.addAll(List.of(secrets, pods, workloads.deployments(), workloads.statefulSets()));
    return sources;
  }

  @Override
  public UpdateControl<DatabaseMigration> reconcile(DatabaseMigration dbm,
      Context<DatabaseMigration> context) {
    if (context.isPrimaryResourceDeleted()) {
      return UpdateControl.noUpdate();
    }
    if (dbm.hasFinalizer(LEGACY_FINALIZER)) {
      PrimaryUpdateAndCacheUtils.removeFinalizer(context, LEGACY_FINALIZER);
      LOG.info("removed the finalizer {} of an earlier operator", LEGACY_FINALIZER);
    }
    if (dbm.isMarkedForDeletion()) {
      return UpdateControl.noUpdate();
    }
    Observation observation = observer.observe(dbm, context);
    if (observation.secret() == null && EventSources.secretName(dbm).isPresent()) {
      // Not in the cache: absent, or of a type the informer leaves on the API server. Asked
      // once, so that an existing Secret is never reported missing.
      observation = observation.withSecret(database.view(dbm));
    }
    Plan plan = planner.plan(observation);
    for (int i = 1; i < MOST_PLANS_PER_PASS && isQuestion(plan); i++) {
      observation = answer(dbm, plan, observation);
      plan = planner.plan(observation);
    }
    Outcome outcome;
    if (plan instanceof Plan.Start start) {
      outcome = start(dbm, context, observation, start);
    } else if (plan instanceof Plan.Launch launch) {
      outcome = launch(dbm, context, launch);
    } else if (plan instanceof Plan.Stop stop) {
      outcome = stop(context, stop);
    } else if (plan instanceof Plan.Report report) {
      outcome = report.outcome();
    } else {
      throw new IllegalStateException("a plan asked more than a pass answers: " + plan);
    }
    status.write(dbm, outcome, context);
    UpdateControl<DatabaseMigration> control = UpdateControl.noUpdate();
    return outcome.recheck() == null ? control : control.rescheduleAfter(outcome.recheck());
  }

  /**
   * The API server refused what the plan asked for (a Job refused by RBAC, admission or a
   * quota): said in status, instead of retries no one sees. JOSDK keeps retrying with backoff.
   */
  @Override
  public ErrorStatusUpdateControl<DatabaseMigration> updateErrorStatus(DatabaseMigration dbm,
      Context<DatabaseMigration> context, Exception e) {
    if (context.isPrimaryResourceDeleted() || dbm.isMarkedForDeletion()) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String reason = Reasons.RECONCILE_ERROR;
    String message = "the operator could not act on this resource: "
        + KubernetesErrors.describe(e) + " (retried with backoff)";
    if (e instanceof JobRefusedException) {
      reason = Reasons.JOB_REFUSED;
      message = e.getMessage();
    } else if (e instanceof PlanStore.PlanRefusedException) {
      reason = Reasons.PLAN_UNAVAILABLE;
      message = e.getMessage();
    }
    Run run = dbm.getStatus() == null ? Run.none(null) : Run.of(dbm.getStatus());
    try {
      status.write(dbm, new Outcome(new MigrationState(Phase.Pending, reason, message), run,
          null, null, List.of(), null, dbm.getStatus() == null ? null
          : dbm.getStatus().getRunIdentity()), context);
    } catch (KubernetesClientException writeFailed) {
      LOG.warn("could not report the error in status: {}", KubernetesErrors.describe(writeFailed));
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private static boolean isQuestion(Plan plan) {
    return plan instanceof Plan.CheckDatabase || plan instanceof Plan.ReadOutput
        || plan instanceof Plan.KeepPlan;
  }

  private Observation answer(DatabaseMigration dbm, Plan question, Observation observation) {
    if (question instanceof Plan.CheckDatabase check) {
      // The Secret's values are read now, used for the login and the redaction, and dropped.
      DatabaseAccess.Checked checked = database.check(dbm, check.leader().getHost());
      return observation.withSecret(checked.secret()).withProbe(checked.probe(),
          checked.scrub());
    }
    if (question instanceof Plan.KeepPlan keep) {
      if (keep.configMap() != null) {
        plans.keep(dbm, keep.configMap());
        LOG.info("kept plan {} of {} in ConfigMap {}", keep.plan().getDigest(),
            keep.plan().getRange(), keep.configMap().getMetadata().getName());
      }
      return observation.withKeptPlan(keep.plan());
    }
    Job job = ((Plan.ReadOutput) question).job();
    String printed = outputs.read(observation.pods(), job).orElse("");
    boolean plan = Labels.COMPONENT_PLAN.equals(job.getMetadata().getLabels() == null ? null
        : job.getMetadata().getLabels().get(Labels.COMPONENT));
    return plan ? observation.withPlanOutput(printed) : observation.withOutput(printed);
  }

  /** Creates a Job that does not touch the schema (a plan, a drift check): no database guard. */
  private Outcome launch(DatabaseMigration dbm, Context<DatabaseMigration> context,
      Plan.Launch launch) {
    Job job = launch.job();
    try {
      jobs.create(dbm, job, context);
    } catch (KubernetesClientException e) {
      throw new JobRefusedException(job.getMetadata().getName(), e);
    }
    LOG.info("created Job {}: {}", job.getMetadata().getName(),
        launch.outcome().drift() != null ? launch.outcome().drift().message()
            : launch.outcome().state().message());
    return launch.outcome();
  }

  private Outcome start(DatabaseMigration dbm, Context<DatabaseMigration> context,
      Observation observation, Plan.Start start) {
    Job job = start.job();
    DatabaseRuns.Result result = databaseRuns.startUnlessBusy(start.databaseKey(),
        dbm.getMetadata().getUid(), () -> {
          try {
            return jobs.create(dbm, job, context);
          } catch (KubernetesClientException e) {
            throw new JobRefusedException(job.getMetadata().getName(), e);
          }
        });
    if (result.busyWith() != null) {
      return ((Plan.Report) planner.busy(observation, start, result.busyWith())).outcome();
    }
    Optional<Plan.Stop> refused = planner.afterCreate(start, result.created());
    if (refused.isPresent()) {
      return stop(context, refused.get());
    }
    LOG.info("created Job {}: {}", job.getMetadata().getName(), start.outcome().state().message());
    return start.outcome().startedAt(result.created().getMetadata().getCreationTimestamp());
  }

  private Outcome stop(Context<DatabaseMigration> context, Plan.Stop stop) {
    Job job = stop.job();
    try {
      // Background: the Job goes now and its pod after it, so the database is free at once.
      context.getClient().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
      LOG.info("removed Job {}: {}", job.getMetadata().getName(),
          stop.outcome().state().message());
    } catch (KubernetesClientException e) {
      // The run has ended either way; the Job then stays until its activeDeadlineSeconds.
      LOG.warn("cannot remove Job {} ({}); it stays until its activeDeadlineSeconds",
          job.getMetadata().getName(), KubernetesErrors.describe(e));
    }
    return stop.outcome();
  }
}
