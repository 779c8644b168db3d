package dev.dbmigration.operator.api.v1alpha1;

/** Where the current generation's run stands, as `kubectl get dbm` shows it. */
public enum Phase {
  Pending,
  WaitingForDatabase,
  /** The run's plan is kept and waits for a person's approval (spec.plan.approval: Manual). */
  AwaitingApproval,
  Running,
  Succeeded,
  Failed,
  Invalid;

  public boolean isFinal() {
    return this == Succeeded || this == Failed || this == Invalid;
  }
}
