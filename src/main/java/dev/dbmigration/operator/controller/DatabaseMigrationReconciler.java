package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.CredentialsCheck;
import dev.dbmigration.operator.model.JobNames;
import dev.dbmigration.operator.model.JobOutcome;
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
 * the run in the resource's status. Everything it reads comes from informer caches; the only
 * writes are the Job's creation, Events and the status patch, and the patch is skipped when the
 * freshly computed status equals the stored one.
 */
// Rerun requests arrive as an annotation, which does not bump the generation: every event counts.
@ControllerConfiguration(name = DatabaseMigrationReconciler.NAME, generationAwareEventProcessing = false)
public class DatabaseMigrationReconciler implements Reconciler<DatabaseMigration> {

  public static final String NAME = "databasemigration";
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrationReconciler.class);

  private final Clock clock;
  private KubernetesClient client;
  private MigrationEvents events;
  private InformerEventSource<Job, DatabaseMigration> jobs;
  private InformerEventSource<Secret, DatabaseMigration> secrets;
  private InformerEventSource<Pod, DatabaseMigration> pods;

  public DatabaseMigrationReconciler() {
    this(Clock.systemUTC());
  }

  public DatabaseMigrationReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, DatabaseMigration>> prepareEventSources(
      EventSourceContext<DatabaseMigration> context) {
    client = context.getClient();
    events = new MigrationEvents(client, clock);
    jobs = EventSources.jobs(context);
    secrets = EventSources.secrets(context);
    pods = EventSources.pods(context);
    return List.of(jobs, secrets, pods);
  }

  @Override
  public UpdateControl<DatabaseMigration> reconcile(DatabaseMigration dbm,
      Context<DatabaseMigration> context) {
    DatabaseMigrationStatus previous = dbm.getStatus();
    long generation = JobNames.generationOf(dbm);
    String token = JobNames.rerunTokenOf(dbm);
    String rerun = token.isEmpty() ? null : token;
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();

    Decision decision = decide(dbm, previous, rerun, context);
    if (decision == null) {
      return UpdateControl.noUpdate();
    }
    DatabaseMigrationStatus status = StatusAssembler.assemble(previous, generation,
        decision.state(), decision.run(), now);
    if (sameJson(previous, status)) {
      return UpdateControl.noUpdate();
    }
    announce(dbm, previous, decision.state());
    DatabaseMigration patch = new DatabaseMigration();
    patch.setMetadata(dbm.getMetadata());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  /** What this pass found; null when a finished run's status already says all there is. */
  private Decision decide(DatabaseMigration dbm, DatabaseMigrationStatus previous, String rerun,
      Context<DatabaseMigration> context) {
    List<Violation> violations = SpecValidator.validate(dbm);
    if (!violations.isEmpty()) {
      String message = violations.stream().map(Violation::toString)
          .collect(Collectors.joining("; "));
      return new Decision(new MigrationState(Phase.Invalid, Reasons.INVALID_SPEC, message),
          Run.none(rerun));
    }
    String namespace = dbm.getMetadata().getNamespace();
    String jobName = JobNames.forRun(dbm);
    Optional<Job> job = jobs.get(new ResourceID(jobName, namespace));
    if (job.isPresent()) {
      return fromJob(job.get(), previous, rerun);
    }
    if (previous != null && jobName.equals(previous.getJobName()) && previous.getPhase() != null
        && previous.getPhase().isFinal()) {
      // The Job of a finished run was removed (ttlSecondsAfterFinished); the run stays done.
      return null;
    }
    return startRun(dbm, jobName, rerun, namespace);
  }

  private Decision fromJob(Job job, DatabaseMigrationStatus previous, String rerun) {
    LeaderStatus leader = leaderOf(job);
    if (leader == null && previous != null
        && job.getMetadata().getName().equals(previous.getJobName())) {
      leader = previous.getLeader();
    }
    Run run = new Run(job.getMetadata().getName(), rerun, leader,
        job.getMetadata().getCreationTimestamp(), JobOutcome.completionTime(job).orElse(null));
    return new Decision(JobOutcome.of(job), run);
  }

  private Decision startRun(DatabaseMigration dbm, String jobName, String rerun, String namespace) {
    var ref = dbm.getSpec().getDatabase().getCredentialsSecret();
    Secret secret = secrets.get(new ResourceID(ref.getName(), namespace)).orElse(null);
    Optional<CredentialsCheck.Problem> problem = CredentialsCheck.check(ref, namespace, secret);
    if (problem.isPresent()) {
      return new Decision(new MigrationState(Phase.Pending, problem.get().reason(),
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

    Job created = createJob(MigrationJobBuilder.build(dbm, jobName, leader.getHost()), leader);
    jobs.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    LOG.info("created Job {} against {}", jobName, describe(leader));
    return new Decision(new MigrationState(Phase.Running, Reasons.MIGRATION_RUNNING,
        "Job " + jobName + " started against " + describe(leader)),
        new Run(jobName, rerun, leader, created.getMetadata().getCreationTimestamp(), null));
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

  private static Decision waiting(String reason, String message, String rerun) {
    return new Decision(new MigrationState(Phase.WaitingForDatabase, reason, message),
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
      MigrationState state) {
    boolean changed = previous == null || previous.getPhase() != state.phase()
        || !Objects.equals(readyReason(previous), state.reason());
    if (!changed) {
      return;
    }
    LOG.info("phase {} ({}): {}", state.phase(), state.reason(), state.message());
    switch (state.phase()) {
      case Failed, Invalid -> events.warning(dbm, state.reason(), state.message());
      default -> events.normal(dbm, state.reason(), state.message());
    }
  }

  private static String readyReason(DatabaseMigrationStatus status) {
    return status.getConditions() == null ? null : status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).map(c -> c.getReason()).findFirst().orElse(null);
  }

  private static boolean sameJson(DatabaseMigrationStatus a, DatabaseMigrationStatus b) {
    return a != null && Serialization.asJson(a).equals(Serialization.asJson(b));
  }

  private record Decision(MigrationState state, Run run) {
  }
}
