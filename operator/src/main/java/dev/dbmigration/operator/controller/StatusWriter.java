package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.model.status.Conditions;
import dev.dbmigration.operator.model.status.DriftReport;
import dev.dbmigration.operator.model.status.MigrationState;
import dev.dbmigration.operator.model.status.StatusAssembler;
import dev.dbmigration.operator.plan.Outcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an outcome into the resource's status, only when it changed, and announces each change
 * of phase or reason once: a log line, the metrics, and an Event, but for the start of a run. The
 * write goes through JOSDK's primary cache, so the next pass sees this status even before the
 * watch delivers it, and a transition is never announced twice from a stale copy.
 *
 * <p>A run's start posts no Event of its own: the status says it at once (phase Running, the Job,
 * the leader, the start time, for {@code kubectl get}, {@code describe} and {@code wait}), the Job
 * controller's own Events on the Job announce it in the namespace's event stream, and the Event at
 * the run's end repeats when and against which leader it started. That is one write less per run.
 */
final class StatusWriter {

  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  /** Reasons that call for a person's attention even though the run goes on. */
  private static final Set<String> WARNINGS = Set.of(Reasons.LEADER_CHANGED,
      Reasons.POD_NOT_STARTING, Reasons.MULTIPLE_LEADERS);

  private final MigrationEvents events;
  private final MigrationMetrics metrics;
  private final Clock clock;

  StatusWriter(MigrationEvents events, MigrationMetrics metrics, Clock clock) {
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The status {@code outcome} gives, as it would be written now. */
  DatabaseMigrationStatus statusOf(DatabaseMigration dbm, Outcome outcome) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    DatabaseMigrationStatus status = StatusAssembler.assemble(dbm.getStatus(),
        RunIdentity.generationOf(dbm), outcome.state(), outcome.run(), outcome.check(),
        outcome.finished(), outcome.identity(), outcome.plan(), outcome.drift(), now);
    status.setAttempts(outcome.attempts().isEmpty() ? null : outcome.attempts());
    return status;
  }

  void write(DatabaseMigration dbm, Outcome outcome, Context<DatabaseMigration> context) {
    DatabaseMigrationStatus previous = dbm.getStatus();
    DatabaseMigrationStatus status = statusOf(dbm, outcome);
    if (previous != null && Serialization.asJson(previous).equals(Serialization.asJson(status))) {
      return;
    }
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(dbm, context, fresh -> {
      fresh.setStatus(status);
      return fresh;
    });
    MigrationState state = outcome.state();
    if (previous == null || previous.getPhase() != state.phase()
        || !Objects.equals(readyReason(previous), state.reason())) {
      announce(dbm, state, status);
    }
    DriftReport drift = outcome.drift();
    if (drift != null && DriftReport.isDone(drift.status()) && (previous == null
        || previous.getDrift() == null
        || !Objects.equals(previous.getDrift().getResult(), drift.status().getResult())
        || !Objects.equals(previous.getDrift().getJobName(), drift.status().getJobName()))) {
      LOG.info("drift check: {} ({}): {}", drift.status().getResult(), drift.reason(),
          drift.message());
      if (DriftReport.DRIFT.equals(drift.status().getResult())) {
        events.warning(dbm, drift.reason(), drift.message());
      } else {
        events.normal(dbm, drift.reason(), drift.message());
      }
    }
  }

  private void announce(DatabaseMigration dbm, MigrationState state,
      DatabaseMigrationStatus status) {
    LOG.info("phase {} ({}): {}", state.phase(), state.reason(), state.message());
    metrics.transition(dbm, state, status);
    switch (eventFor(state)) {
      case WARNING -> events.warning(dbm, state.reason(), eventMessage(state, status));
      case NORMAL -> events.normal(dbm, state.reason(), eventMessage(state, status));
      case NONE -> { }
    }
  }

  enum EventType { NORMAL, WARNING, NONE }

  /** The Event a transition to {@code state} posts: none for a run's start (see above). */
  static EventType eventFor(MigrationState state) {
    if (state.phase() == Phase.Failed || state.phase() == Phase.Invalid
        || WARNINGS.contains(state.reason())) {
      return EventType.WARNING;
    }
    return Reasons.MIGRATION_RUNNING.equals(state.reason()) ? EventType.NONE : EventType.NORMAL;
  }

  /**
   * A successful run's Event also says how it started, which no Event of its own told. (A
   * failure's message ends with the engine's last output and stays as it is; the status keeps
   * the start and the leader of either.)
   */
  static String eventMessage(MigrationState state, DatabaseMigrationStatus status) {
    String message = state.message();
    if (state.phase() != Phase.Succeeded || status.getJobName() == null
        || status.getStartTime() == null || message == null) {
      return message;
    }
    String leader = status.getLeader() == null ? null : status.getLeader().getPod() != null
        ? "leader " + status.getLeader().getPod() + " (" + status.getLeader().getHost() + ")"
        : "host " + status.getLeader().getHost();
    String started = " (Job " + status.getJobName() + " started " + status.getStartTime()
        + (leader == null ? "" : " against " + leader) + ")";
    int newline = message.indexOf('\n');
    return newline < 0 ? message + started
        : message.substring(0, newline) + started + message.substring(newline);
  }

  private static String readyReason(DatabaseMigrationStatus status) {
    return Conditions.find(status.getConditions(), ConditionTypes.READY)
        .map(Condition::getReason).orElse(null);
  }
}
