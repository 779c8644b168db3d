package dev.dbmigration.operator.api.v1alpha1;

/**
 * Every reason the operator writes into a condition or an Event: CamelCase, stable, documented
 * for users in the README's troubleshooting section. Renaming one breaks alerts built on it.
 */
public final class Reasons {

  public static final String MIGRATION_SUCCEEDED = "MigrationSucceeded";
  public static final String MIGRATION_FAILED = "MigrationFailed";
  public static final String MIGRATION_RUNNING = "MigrationRunning";
  public static final String LEADER_NOT_FOUND = "LeaderNotFound";
  public static final String MULTIPLE_LEADERS = "MultipleLeaders";
  public static final String LEADER_IN_RECOVERY = "LeaderInRecovery";
  public static final String DATABASE_REACHABLE = "DatabaseReachable";
  public static final String DATABASE_UNREACHABLE = "DatabaseUnreachable";
  /** A Job failed after the leader moved while it ran; the run is retried against the new one. */
  public static final String LEADER_CHANGED = "LeaderChanged";
  /** The Job's pod cannot start (image missing, refused, unschedulable); the message says why. */
  public static final String POD_NOT_STARTING = "PodNotStarting";
  public static final String WAITING_FOR_OTHER_MIGRATION = "WaitingForOtherMigration";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_KEY_MISSING = "SecretKeyMissing";
  public static final String SUSPENDED = "Suspended";
  public static final String IMAGE_SOURCE_NOT_FOUND = "ImageSourceNotFound";
  public static final String INVALID_SPEC = "InvalidSpec";
  /** The API server refused the run's Job (RBAC, admission, a quota); the message says why. */
  public static final String JOB_REFUSED = "JobRefused";
  public static final String RECONCILE_ERROR = "ReconcileError";
  /** A plan Job renders what the run would apply. */
  public static final String PLANNING = "Planning";
  /** The plan is kept; a person approves it by annotating its digest. */
  public static final String AWAITING_APPROVAL = "AwaitingApproval";
  /** The engine could not render the plan offline; only an Automatic approval runs without one. */
  public static final String PLAN_UNAVAILABLE = "PlanUnavailable";
  /** An upgrade to head against a script directory with several heads: refused, nothing run. */
  public static final String MULTIPLE_HEADS = "MultipleHeads";
  /** SchemaDrift: the engine's check found differences between the models and the database. */
  public static final String DRIFT_DETECTED = "DriftDetected";
  public static final String NO_DRIFT = "NoDrift";
  /** SchemaDrift: the check could not run (an old engine, no models); the message says why. */
  public static final String DRIFT_CHECK_UNAVAILABLE = "DriftCheckUnavailable";
  public static final String DRIFT_CHECK_RUNNING = "DriftCheckRunning";
  /**
   * The cluster dropped the lock sidecar's restartPolicy (no native sidecars before Kubernetes
   * 1.29): the Job is removed before it runs, instead of hanging on a sidecar that never ends.
   */
  public static final String DATABASE_LOCK_UNSUPPORTED = "DatabaseLockUnsupported";

  private Reasons() {
  }
}
