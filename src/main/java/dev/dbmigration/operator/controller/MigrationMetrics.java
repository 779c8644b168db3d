package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.Engine;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Counts what happens to migrations, from the phase transitions the reconciler announces, and
 * gauges the runs in flight from the operator's Job informer at each scrape. Every
 * series carries only {@code namespace} and {@code engine} (plus a bounded {@code reason} or
 * {@code outcome}): never the resource's name, so a cluster's series grow with its namespaces,
 * not with its runs.
 */
public class MigrationMetrics {

  public static final String STARTED = "dbmigration.migrations.started";
  public static final String SUCCEEDED = "dbmigration.migrations.succeeded";
  public static final String FAILED = "dbmigration.migrations.failed";
  public static final String DURATION = "dbmigration.migration.duration";
  public static final String IN_FLIGHT = "dbmigration.migrations.in.flight";
  public static final String LEADER_DISCOVERY_FAILURES = "dbmigration.leader.discovery.failures";

  /** Alembic and Flyway runs take seconds to tens of minutes (activeDeadlineSeconds: 30). */
  private static final Duration[] DURATION_BUCKETS = {
      Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
      Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
      Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30)};

  private final MeterRegistry registry;
  private final MultiGauge inFlight;
  private volatile Supplier<Collection<Job>> jobs = List::of;

  public MigrationMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.inFlight = MultiGauge.builder(IN_FLIGHT)
        .description("Migration Jobs of this operator that are running").register(registry);
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
    Map<Tags, Long> running = jobs.get().stream()
        .collect(Collectors.groupingBy(MigrationMetrics::tagsOf, Collectors.summingLong(
            job -> JobOutcome.of(job).phase().isFinal() ? 0 : 1)));
    inFlight.register(running.entrySet().stream()
        .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
        .collect(Collectors.toList()), true);
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
