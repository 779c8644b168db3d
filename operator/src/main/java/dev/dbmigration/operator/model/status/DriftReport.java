package dev.dbmigration.operator.model.status;

import dev.dbmigration.operator.api.v1alpha1.DriftStatus;

/**
 * A drift check's report: status.drift and the SchemaDrift condition.
 *
 * @param status the check's Job and result (Running, Drift, NoDrift, Unknown)
 * @param condition True (drift), False (none) or Unknown (running, or the check could not run)
 * @param reason DriftDetected, NoDrift, DriftCheckRunning or DriftCheckUnavailable
 * @param message the engine's summary, never a password
 */
public record DriftReport(DriftStatus status, String condition, String reason, String message) {

  public static final String RUNNING = "Running";
  public static final String DRIFT = "Drift";
  public static final String NO_DRIFT = "NoDrift";
  public static final String UNKNOWN = "Unknown";

  /** Whether the check has said what it found (or that it could not look). */
  public static boolean isDone(DriftStatus status) {
    return status != null && status.getResult() != null && !RUNNING.equals(status.getResult());
  }
}
