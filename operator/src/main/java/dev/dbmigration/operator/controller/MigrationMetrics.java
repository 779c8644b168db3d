package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.status.MigrationState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Counts what happens to migrations, from the phase transitions the reconciler announces; gauges
 * the runs in flight from the operator's Job informer, and where the resources stand (phase,
 * past deadline, not yet observed) from the controller's cache, at each scrape. Every series
 * carries only {@code namespace} and {@code engine} or {@code phase} (plus a bounded
 * {@code reason} or {@code outcome}): never the resource's name, so a cluster's series grow with
 * its namespaces, not with its runs.
 */
public class MigrationMetrics {

  public static final String STARTED = "dbmigration.migrations.started";
  public static final String SUCCEEDED = "dbmigration.migrations.succeeded";
  public static final String FAILED = "dbmigration.migrations.failed";
  public static final String DURATION = "dbmigration.migration.duration";
  public static final String IN_FLIGHT = "dbmigration.migrations.in.flight";
  public static final String LEADER_DISCOVERY_FAILURES = "dbmigration.leader.discovery.failures";
  /** Resources per namespace in each phase, read from the cache at each scrape. */
  public static final String PHASE = "dbmigration.migrations.phase";
  /** Running resources whose Job has run longer than its spec.job.activeDeadlineSeconds. */
  public static final String PAST_DEADLINE = "dbmigration.migrations.past.deadline";
  /** Resources whose current generation has no status from the operator yet. */
  public static final String UNOBSERVED = "dbmigration.migrations.unobserved";

  /** Alembic and Flyway runs take seconds to tens of minutes (activeDeadlineSeconds: 30). */
  private static final Duration[] DURATION_BUCKETS = {
      Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
      Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
      Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30)};

  private final MeterRegistry registry;
  private final MultiGauge inFlight;
  private volatile Supplier<Collection<Job>> jobs = List::of;

  private final MultiGauge phases;
  private final MultiGauge pastDeadline;
  private final MultiGauge unobserved;
  private volatile Supplier<Stream<DatabaseMigration>> resources = Stream::empty;
  private volatile BooleanSupplier leading = () -> false;

  public MigrationMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.inFlight = MultiGauge.builder(IN_FLIGHT)
        .description("Migration Jobs of this operator that are running").register(registry);
    phases = MultiGauge.builder(PHASE)
        .description("DatabaseMigrations in each phase, per namespace").register(registry);
    pastDeadline = MultiGauge.builder(PAST_DEADLINE)
        .description("Running DatabaseMigrations whose Job has run longer than its "
            + "spec.job.activeDeadlineSeconds, per namespace").register(registry);
    unobserved = MultiGauge.builder(UNOBSERVED)
        .description("DatabaseMigrations whose current generation the operator has not yet "
            + "written a status for, per namespace").register(registry);
  }

  /** Metrics nobody reads, for a reconciler built without a registry. */
  public static MigrationMetrics none() {
    return new MigrationMetrics(new SimpleMeterRegistry());
  }

  /** Where the runs in flight are counted from: the Jobs the operator's informer holds. */
  void countJobsOf(Supplier<Collection<Job>> source) {
    this.jobs = source;
  }

  /**
   * Recounts the runs in flight, by namespace and engine, over the operator's Jobs that exist
   * (0 where they all finished). Called before each scrape: a gauge derived from the cluster's
   * Jobs is right after a restart and drops a deleted resource's run, where a count kept in
   * memory was neither; a namespace's series goes when its last Job does.
   */
  public void refresh() {
    // Only migrations: a plan's or a drift check's Job is no run in flight.
    Map<Tags, Long> running = jobs.get().stream()
        .filter(MigrationMetrics::isMigration)
        .collect(Collectors.groupingBy(MigrationMetrics::tagsOf, Collectors.summingLong(
            job -> JobOutcome.of(job).phase().isFinal() ? 0 : 1)));
    inFlight.register(running.entrySet().stream()
        .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
        .collect(Collectors.toList()), true);
  }

  private static boolean isMigration(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    return labels == null || !labels.containsKey(Labels.COMPONENT)
        || Labels.COMPONENT_VALUE.equals(labels.get(Labels.COMPONENT));
  }

  /**
   * A resource's phase or reason changed to {@code state}; {@code status} is what is written
   * with it (its start and completion times give a finished run's duration).
   */
  public void transition(DatabaseMigration dbm, MigrationState state,
      DatabaseMigrationStatus status) {
    Tags tags = tagsOf(dbm);
    switch (state.phase()) {
      case Running -> Counter.builder(STARTED).description("Migration Jobs started").tags(tags)
          .register(registry).increment();
      case Succeeded -> finished(SUCCEEDED, "succeeded", tags, status);
      case Failed -> finished(FAILED, "failed", tags, status);
      case WaitingForDatabase -> {
        if (Reasons.LEADER_NOT_FOUND.equals(state.reason())
            || Reasons.MULTIPLE_LEADERS.equals(state.reason())) {
          Counter.builder(LEADER_DISCOVERY_FAILURES)
              .description("Times a resource started waiting because no single leader was found")
              .tags(tags).tag("reason", state.reason()).register(registry).increment();
        }
      }
      default -> { }
    }
  }

  /**
   * Where {@link #refreshResources} reads the resources from (the controller's cache), and
   * whether this replica leads: a standby reports none of these series, as it reports no runs.
   */
  public void observeResources(Supplier<Stream<DatabaseMigration>> cache, BooleanSupplier leader) {
    this.resources = cache;
    this.leading = leader;
  }

  /**
   * Sets the resource gauges ({@link #PHASE}, {@link #PAST_DEADLINE}, {@link #UNOBSERVED}) to
   * what the cache holds at {@code now}; called right before each scrape, so that time alone
   * (a run passing its deadline) shows without an event. Namespaces without resources drop out.
   */
  public synchronized void refreshResources(Instant now) {
    ResourceCounts counts = leading.getAsBoolean()
        ? ResourceCounts.of(resources.get(), now) : ResourceCounts.of(Stream.empty(), now);
    phases.register(counts.phaseRows(), true);
    pastDeadline.register(counts.rows(counts.pastDeadline()), true);
    unobserved.register(counts.rows(counts.unobserved()), true);
  }

  /**
   * Per namespace: resources in each phase (every phase, zeros included, for each namespace
   * that has a resource with a phase), Running ones past their deadline, and ones whose
   * current generation has no status yet. Bounded by namespaces, never by resources.
   */
  record ResourceCounts(Map<String, Map<Phase, Long>> phases, Map<String, Long> pastDeadline,
      Map<String, Long> unobserved) {

    static ResourceCounts of(Stream<DatabaseMigration> resources, Instant now) {
      Map<String, Map<Phase, Long>> phases = new TreeMap<>();
      Map<String, Long> pastDeadline = new TreeMap<>();
      Map<String, Long> unobserved = new TreeMap<>();
      resources.forEach(dbm -> {
        String namespace = dbm.getMetadata().getNamespace();
        pastDeadline.putIfAbsent(namespace, 0L);
        unobserved.putIfAbsent(namespace, 0L);
        DatabaseMigrationStatus status = dbm.getStatus();
        Long generation = dbm.getMetadata().getGeneration();
        // Deletion bumps the generation of a resource with a finalizer; the operator then cleans
        // up rather than writing a status, so a resource being deleted is not "unobserved".
        boolean deleting = dbm.getMetadata().getDeletionTimestamp() != null;
        if (!deleting && (status == null || status.getObservedGeneration() == null
            || generation != null && status.getObservedGeneration() < generation)) {
          unobserved.merge(namespace, 1L, Long::sum);
        }
        if (status == null || status.getPhase() == null) {
          return;
        }
        phases.computeIfAbsent(namespace, n -> new TreeMap<>())
            .merge(status.getPhase(), 1L, Long::sum);
        if (status.getPhase() == Phase.Running && pastDeadline(dbm, status, now)) {
          pastDeadline.merge(namespace, 1L, Long::sum);
        }
      });
      return new ResourceCounts(phases, pastDeadline, unobserved);
    }

    List<MultiGauge.Row<?>> phaseRows() {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      phases.forEach((namespace, counts) -> {
        for (Phase phase : Phase.values()) {
          rows.add(MultiGauge.Row.of(Tags.of("namespace", namespace, "phase", phase.name()),
              counts.getOrDefault(phase, 0L)));
        }
      });
      return rows;
    }

    List<MultiGauge.Row<?>> rows(Map<String, Long> perNamespace) {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      perNamespace.forEach((namespace, count) ->
          rows.add(MultiGauge.Row.of(Tags.of("namespace", namespace), count)));
      return rows;
    }

    /** The Job of the current run was created longer ago than the Job may run. */
    private static boolean pastDeadline(DatabaseMigration dbm, DatabaseMigrationStatus status,
        Instant now) {
      if (status.getStartTime() == null) {
        return false;
      }
      // The default is JobSettings' own (the CRD's default says the same).
      Long set = dbm.getSpec() == null || dbm.getSpec().getJob() == null ? null
          : dbm.getSpec().getJob().getActiveDeadlineSeconds();
      long deadline = set != null ? set : new JobSettings().getActiveDeadlineSeconds();
      try {
        return Instant.parse(status.getStartTime()).plusSeconds(deadline).isBefore(now);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }

  private void finished(String counter, String outcome, Tags tags,
      DatabaseMigrationStatus status) {
    Counter.builder(counter).description("Migration Jobs " + outcome).tags(tags)
        .register(registry).increment();
    Duration took = duration(status);
    if (took != null) {
      Timer.builder(DURATION).description("Time from a migration Job's creation to its end")
          .tags(tags).tag("outcome", outcome).serviceLevelObjectives(DURATION_BUCKETS)
          .register(registry).record(took);
    }
  }

  private static Tags tagsOf(DatabaseMigration dbm) {
    Engine engine = dbm.getSpec() == null ? Engine.of(DatabaseMigrationSpec.DEFAULT_ENGINE)
        : dbm.getSpec().engineOrDefault();
    return Tags.of("namespace", dbm.getMetadata().getNamespace(), "engine", engine.value());
  }

  private static Tags tagsOf(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    String engine = annotations == null ? null : annotations.get(Labels.ENGINE_ANNOTATION);
    return Tags.of("namespace", job.getMetadata().getNamespace(), "engine",
        engine == null ? DatabaseMigrationSpec.DEFAULT_ENGINE : engine);
  }

  private static Duration duration(DatabaseMigrationStatus status) {
    if (status == null || status.getStartTime() == null || status.getCompletionTime() == null) {
      return null;
    }
    try {
      Duration took = Duration.between(Instant.parse(status.getStartTime()),
          Instant.parse(status.getCompletionTime()));
      return took.isNegative() ? null : took;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
