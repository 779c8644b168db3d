package dev.dbmigration.operator.api.v1alpha1;

/** Where the current generation's run stands, as `kubectl get dbm` shows it. */
public enum Phase {
  Pending,
  WaitingForDatabase,
  Running,
  Succeeded,
  Failed,
  Invalid;

  public boolean isFinal() {
    return this == Succeeded || this == Failed || this == Invalid;
  }
}
