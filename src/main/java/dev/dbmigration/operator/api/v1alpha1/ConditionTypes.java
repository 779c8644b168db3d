package dev.dbmigration.operator.api.v1alpha1;

/**
 * Condition types, following kstatus: {@code Ready} for `kubectl wait`, plus the abnormal-true
 * {@code Reconciling} (work in progress) and {@code Stalled} (needs a human).
 */
public final class ConditionTypes {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private ConditionTypes() {
  }
}
