package dev.dbmigration.operator.api.v1alpha1;

/** The Kubernetes image pull policy of the migration container. */
public enum PullPolicy {
  Always,
  IfNotPresent,
  Never
}
