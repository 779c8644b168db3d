package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.status.MigrationState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what happens to migrations, from the phase transitions the reconciler announces. Every
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
  /** Runs this instance saw start and not yet finish, by resource uid. */
  private final Map<String, Tags> running = new ConcurrentHashMap<>();
  private final Set<Tags> inFlightGauges = ConcurrentHashMap.newKeySet();
  /**
   * The last finished run counted per resource uid (its Job and phase): a pass that reads a
   * stale status may announce the same end twice, which must not count twice.
   */
  private final Map<String, String> counted = new ConcurrentHashMap<>();

  public MigrationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Metrics nobody reads, for a reconciler built without a registry. */
  public static MigrationMetrics none() {
    return new MigrationMetrics(new SimpleMeterRegistry());
  }

  /**
   * A resource's phase or reason changed to {@code state}; {@code status} is what is written
   * with it (its start and completion times give a finished run's duration).
   */
  public void transition(DatabaseMigration dbm, MigrationState state,
      DatabaseMigrationStatus status) {
    Tags tags = tagsOf(dbm);
    String key = Objects.requireNonNullElse(dbm.getMetadata().getUid(),
        dbm.getMetadata().getNamespace() + "/" + dbm.getMetadata().getName());
    if (state.phase() == Phase.Running) {
      registerInFlight(tags);
      if (running.put(key, tags) == null) {
        Counter.builder(STARTED).description("Migration Jobs started").tags(tags)
            .register(registry).increment();
      }
      return;
    }
    running.remove(key);
    if (state.phase() == Phase.Succeeded || state.phase() == Phase.Failed) {
      String run = (status == null ? null : status.getJobName()) + "/" + state.phase();
      if (run.equals(counted.put(key, run))) {
        return;
      }
    }
    switch (state.phase()) {
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

  private void registerInFlight(Tags tags) {
    if (inFlightGauges.add(tags)) {
      Gauge.builder(IN_FLIGHT, running, runs -> runs.values().stream()
              .filter(tags::equals).count())
          .description("Migration Jobs running that this operator started or saw start")
          .tags(tags).register(registry);
    }
  }

  private static Tags tagsOf(DatabaseMigration dbm) {
    Engine engine = dbm.getSpec() == null || dbm.getSpec().getEngine() == null
        ? Engine.ALEMBIC : dbm.getSpec().getEngine();
    return Tags.of("namespace", dbm.getMetadata().getNamespace(), "engine", engine.value());
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
