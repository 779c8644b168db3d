package dev.dbmigration.operator.api.v1alpha1;

/**
 * Condition types, following kstatus: {@code Ready} for `kubectl wait`, plus the abnormal-true
 * {@code Reconciling} (work in progress) and {@code Stalled} (needs a human).
 */
public final class ConditionTypes {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  /** Whether the operator itself could reach the database to check it and read its revision. */
  public static final String DATABASE_REACHABLE = "DatabaseReachable";
  /**
   * Whether the engine's check (spec.driftCheck) found the database other than the application's
   * models after the run: True is drift. Never part of Ready.
   */
  public static final String SCHEMA_DRIFT = "SchemaDrift";

  private ConditionTypes() {
  }
}
