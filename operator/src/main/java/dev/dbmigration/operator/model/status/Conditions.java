package dev.dbmigration.operator.model.status;

import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Objects;

/**
 * Derives the standard conditions from a state. A condition keeps its lastTransitionTime unless
 * its status flips, so that the time tells users when the resource last changed its mind.
 */
public final class Conditions {

  private Conditions() {
  }

  public static List<Condition> of(MigrationState state, long generation, List<Condition> previous,
      String now) {
    Phase phase = state.phase();
    boolean ready = phase == Phase.Succeeded;
    boolean stalled = phase == Phase.Failed || phase == Phase.Invalid;
    boolean reconciling = !phase.isFinal();
    return List.of(
        condition(ConditionTypes.READY, ready, state, generation, previous, now),
        condition(ConditionTypes.RECONCILING, reconciling, state, generation, previous, now),
        condition(ConditionTypes.STALLED, stalled, state, generation, previous, now));
  }

  /**
   * The DatabaseReachable condition of a check made in this pass: true when the operator logged
   * in and found the database writable. Its transition time is when the database stopped (or
   * started) being fit to migrate, from which rechecks space out.
   */
  public static Condition databaseReachable(DatabaseCheck check, long generation,
      List<Condition> previous, String now) {
    return condition(ConditionTypes.DATABASE_REACHABLE, check.ready(),
        new MigrationState(null, check.reason(), check.message()), generation, previous, now);
  }

  /** The SchemaDrift condition of a drift check's report: True, False or Unknown. */
  public static Condition schemaDrift(DriftReport drift, long generation,
      List<Condition> previous, String now) {
    String since = find(previous, ConditionTypes.SCHEMA_DRIFT)
        .filter(p -> drift.condition().equals(p.getStatus()) && p.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime)
        .orElse(now);
    return new ConditionBuilder()
        .withType(ConditionTypes.SCHEMA_DRIFT)
        .withStatus(drift.condition())
        .withReason(drift.reason())
        .withMessage(Objects.requireNonNullElse(drift.message(), ""))
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  private static Condition condition(String type, boolean status, MigrationState state,
      long generation, List<Condition> previous, String now) {
    String value = status ? "True" : "False";
    String since = find(previous, type)
        .filter(p -> value.equals(p.getStatus()) && p.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime)
        .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(state.reason())
        .withMessage(Objects.requireNonNullElse(state.message(), ""))
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  public static java.util.Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return java.util.Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
