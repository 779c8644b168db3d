package dev.dbmigration.operator.api.v1alpha1;

/** The workloads an image can be followed from. */
public enum WorkloadKind {
  Deployment,
  StatefulSet
}
