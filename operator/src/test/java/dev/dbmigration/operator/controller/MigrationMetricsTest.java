package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.status.MigrationState;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MigrationMetrics metrics = new MigrationMetrics(registry);

  @Test
  void aRunIsCountedFromStartToEndWithItsDuration() {
    DatabaseMigration dbm = resource("wps-pr-1", "api", "uid-1", Engine.ALEMBIC);

    metrics.transition(dbm, state(Phase.Running), status("job-1", null, null));
    metrics.transition(dbm, state(Phase.Succeeded),
        status("job-1", "2026-01-01T10:00:00Z", "2026-01-01T10:01:30Z"));

    assertThat(count(MigrationMetrics.STARTED, "wps-pr-1")).isEqualTo(1.0);
    assertThat(count(MigrationMetrics.SUCCEEDED, "wps-pr-1")).isEqualTo(1.0);
    var timer = registry.get(MigrationMetrics.DURATION).tag("namespace", "wps-pr-1")
        .tag("engine", "alembic").tag("outcome", "succeeded").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(90.0);

    metrics.transition(dbm, state(Phase.Running), status("job-2", null, null));
    metrics.transition(dbm, state(Phase.Failed), status("job-2", "2026-01-01T11:00:00Z", null));
    assertThat(count(MigrationMetrics.STARTED, "wps-pr-1")).isEqualTo(2.0);
    assertThat(registry.get(MigrationMetrics.FAILED).tag("namespace", "wps-pr-1").counter()
        .count()).isEqualTo(1.0);
    assertThat(registry.find(MigrationMetrics.DURATION).tag("outcome", "failed").timer())
        .as("no duration without a completion time").isNull();
  }

  @Test
  void runsInFlightAreTheActiveJobsAndDropWithThem() {
    List<Job> jobs = new ArrayList<>(List.of(job("wps-pr-1", "a", "flyway", null),
        job("wps-pr-1", "b", null, null), job("wps-pr-1", "c", null, "Complete"),
        job("wps-pr-2", "d", null, null)));
    metrics.countJobsOf(() -> jobs);

    metrics.refresh();
    assertThat(inFlight("wps-pr-1", "alembic")).as("b runs, c finished").isEqualTo(1.0);
    assertThat(inFlight("wps-pr-1", "flyway")).isEqualTo(1.0);
    assertThat(inFlight("wps-pr-2", "alembic")).isEqualTo(1.0);

    jobs.removeIf(j -> j.getMetadata().getName().equals("b"));
    metrics.refresh();
    assertThat(inFlight("wps-pr-1", "alembic")).as("c is still there").isZero();
    // The namespace's resource was deleted: its Job went with it, and so does its series.
    jobs.removeIf(j -> j.getMetadata().getNamespace().equals("wps-pr-2"));
    metrics.refresh();
    assertThat(registry.find(MigrationMetrics.IN_FLIGHT).tag("namespace", "wps-pr-2").gauge())
        .isNull();
  }

  @Test
  void leaderDiscoveryFailuresAreCountedByReasonOnly() {
    DatabaseMigration dbm = resource("wps-pr-2", "api", "uid-2", Engine.FLYWAY);

    metrics.transition(dbm, new MigrationState(Phase.WaitingForDatabase,
        Reasons.LEADER_NOT_FOUND, "no pod"), null);
    metrics.transition(dbm, new MigrationState(Phase.WaitingForDatabase,
        Reasons.MULTIPLE_LEADERS, "two pods"), null);
    metrics.transition(dbm, new MigrationState(Phase.WaitingForDatabase,
        Reasons.LEADER_IN_RECOVERY, "replica"), null);

    assertThat(registry.get(MigrationMetrics.LEADER_DISCOVERY_FAILURES).counters())
        .extracting(c -> c.getId().getTag("reason") + "=" + c.count())
        .containsExactlyInAnyOrder("LeaderNotFound=1.0", "MultipleLeaders=1.0");
    assertThat(registry.get(MigrationMetrics.LEADER_DISCOVERY_FAILURES).counters())
        .allSatisfy(c -> assertThat(c.getId().getTag("engine")).isEqualTo("flyway"));
  }

  @Test
  void noSeriesCarriesTheResourcesName() {
    metrics.transition(resource("ns", "a", "u-a", Engine.ALEMBIC), state(Phase.Running),
        status("j-a", null, null));
    metrics.transition(resource("ns", "b", "u-b", Engine.ALEMBIC), state(Phase.Running),
        status("j-b", null, null));

    assertThat(registry.getMeters()).extracting(Meter::getId)
        .allSatisfy(id -> assertThat(id.getTags()).extracting(t -> t.getKey())
            .containsOnly("namespace", "engine"));
    assertThat(count(MigrationMetrics.STARTED, "ns")).isEqualTo(2.0);
  }

  @Test
  void phasesAreCountedPerNamespaceWithEveryPhaseAndEmptyNamespacesDropOut() {
    List<DatabaseMigration> cache = new ArrayList<>(List.of(
        observed("wps-pr-1", "a", Phase.Succeeded), observed("wps-pr-1", "b", Phase.Succeeded),
        observed("wps-pr-1", "c", Phase.WaitingForDatabase),
        observed("wps-pr-2", "a", Phase.Failed)));
    metrics.observeResources(cache::stream, () -> true);

    metrics.refreshResources(NOW);

    assertThat(phase("wps-pr-1", Phase.Succeeded)).isEqualTo(2.0);
    assertThat(phase("wps-pr-1", Phase.WaitingForDatabase)).isEqualTo(1.0);
    assertThat(phase("wps-pr-1", Phase.Failed)).isZero();
    assertThat(phase("wps-pr-2", Phase.Failed)).isEqualTo(1.0);
    assertThat(registry.get(MigrationMetrics.PHASE).gauges()).hasSize(2 * Phase.values().length)
        .allSatisfy(g -> assertThat(g.getId().getTags()).extracting(t -> t.getKey())
            .containsOnly("namespace", "phase"));

    // The namespace's resources were deleted (a PR closed): its series go at the next scrape.
    cache.removeIf(dbm -> dbm.getMetadata().getNamespace().equals("wps-pr-2"));
    cache.set(2, observed("wps-pr-1", "c", Phase.Running));
    metrics.refreshResources(NOW);

    assertThat(registry.find(MigrationMetrics.PHASE).tag("namespace", "wps-pr-2").gauges())
        .isEmpty();
    assertThat(phase("wps-pr-1", Phase.WaitingForDatabase)).isZero();
    assertThat(phase("wps-pr-1", Phase.Running)).isEqualTo(1.0);
  }

  @Test
  void aRunningResourceIsPastItsDeadlineOnceItsJobRanLongerThanActiveDeadlineSeconds() {
    DatabaseMigration defaultDeadline = running("ns", "a", NOW.minusSeconds(1801));
    DatabaseMigration withinDefault = running("ns", "b", NOW.minusSeconds(1799));
    DatabaseMigration shortDeadline = running("ns", "c", NOW.minusSeconds(61));
    shortDeadline.getSpec().setJob(new JobSettings());
    shortDeadline.getSpec().getJob().setActiveDeadlineSeconds(60L);
    DatabaseMigration notStarted = running("ns", "d", null);
    DatabaseMigration finishedLongAgo = observed("ns", "e", Phase.Failed);
    finishedLongAgo.getStatus().setStartTime(NOW.minusSeconds(100_000).toString());
    DatabaseMigration elsewhere = running("other", "a", NOW.minusSeconds(10));
    metrics.observeResources(() -> Stream.of(defaultDeadline, withinDefault, shortDeadline,
        notStarted, finishedLongAgo, elsewhere), () -> true);

    metrics.refreshResources(NOW);

    assertThat(gauge(MigrationMetrics.PAST_DEADLINE, "ns")).isEqualTo(2.0);
    assertThat(gauge(MigrationMetrics.PAST_DEADLINE, "other")).isZero();
  }

  @Test
  void aResourceWhoseGenerationHasNoStatusYetIsUnobserved() {
    DatabaseMigration fresh = resource("ns", "fresh", "u-1", Engine.ALEMBIC);
    fresh.getMetadata().setGeneration(1L);
    fresh.setStatus(null);
    DatabaseMigration changed = observed("ns", "changed", Phase.Succeeded);
    changed.getMetadata().setGeneration(3L);
    changed.getStatus().setObservedGeneration(2L);
    DatabaseMigration current = observed("ns", "current", Phase.Succeeded);
    DatabaseMigration deleted = observed("ns", "deleted", Phase.Succeeded);
    deleted.getMetadata().setGeneration(2L);
    deleted.getMetadata().setDeletionTimestamp("2026-11-24T09:59:00Z");
    DatabaseMigration settled = observed("quiet", "a", Phase.Succeeded);
    metrics.observeResources(() -> Stream.of(fresh, changed, current, deleted, settled),
        () -> true);

    metrics.refreshResources(NOW);

    assertThat(gauge(MigrationMetrics.UNOBSERVED, "ns")).isEqualTo(2.0);
    assertThat(gauge(MigrationMetrics.UNOBSERVED, "quiet")).isZero();
    assertThat(phase("ns", Phase.Succeeded)).as("a resource without a phase is in no phase")
        .isEqualTo(3.0);
  }

  @Test
  void aStandbyReportsNoResourceGauges() {
    AtomicBoolean leading = new AtomicBoolean(true);
    metrics.observeResources(() -> Stream.of(observed("ns", "a", Phase.Failed)), leading::get);
    metrics.refreshResources(NOW);
    assertThat(phase("ns", Phase.Failed)).isEqualTo(1.0);

    leading.set(false);
    metrics.refreshResources(NOW);

    assertThat(registry.find(MigrationMetrics.PHASE).gauges()).isEmpty();
    assertThat(registry.find(MigrationMetrics.PAST_DEADLINE).gauges()).isEmpty();
    assertThat(registry.find(MigrationMetrics.UNOBSERVED).gauges()).isEmpty();
  }

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  double phase(String namespace, Phase phase) {
    return registry.get(MigrationMetrics.PHASE).tag("namespace", namespace)
        .tag("phase", phase.name()).gauge().value();
  }

  double gauge(String name, String namespace) {
    return registry.get(name).tag("namespace", namespace).gauge().value();
  }

  static DatabaseMigration observed(String ns, String name, Phase phase) {
    DatabaseMigration dbm = resource(ns, name, ns + "/" + name, Engine.ALEMBIC);
    dbm.getMetadata().setGeneration(1L);
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setObservedGeneration(1L);
    status.setPhase(phase);
    dbm.setStatus(status);
    return dbm;
  }

  static DatabaseMigration running(String ns, String name, Instant start) {
    DatabaseMigration dbm = observed(ns, name, Phase.Running);
    dbm.getStatus().setStartTime(start == null ? null : start.toString());
    return dbm;
  }

  double count(String name, String namespace) {
    return registry.get(name).tag("namespace", namespace).counter().count();
  }

  double inFlight(String namespace, String engine) {
    return registry.get(MigrationMetrics.IN_FLIGHT).tag("namespace", namespace)
        .tag("engine", engine).gauge().value();
  }

  static Job job(String namespace, String name, String engine, String finished) {
    JobBuilder job = new JobBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .endMetadata();
    if (engine != null) {
      job.editMetadata().addToAnnotations(Labels.ENGINE_ANNOTATION, engine).endMetadata();
    }
    if (finished != null) {
      job.withNewStatus().addNewCondition().withType(finished).withStatus("True").endCondition()
          .endStatus();
    }
    return job.build();
  }

  static MigrationState state(Phase phase) {
    return new MigrationState(phase, phase.name(), "");
  }

  static DatabaseMigration resource(String ns, String name, String uid, Engine engine) {
    DatabaseMigration dbm = Fixtures.migration(ns, name);
    dbm.getMetadata().setUid(uid);
    dbm.getSpec().setEngine(engine);
    return dbm;
  }

  static DatabaseMigrationStatus status(String job, String start, String end) {
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setJobName(job);
    status.setStartTime(start);
    status.setCompletionTime(end);
    return status;
  }
}
