package dev.dbmigration.operator.model.job;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

/** The migration pod's plain variables, and Kubernetes' $(VAR) references between them. */
final class EnvVars {

  private EnvVars() {
  }

  static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /**
   * What the kubelet expands to the value of the container's variable {@code name}: how an
   * engine's own variables are made from the connection variables without the operator ever
   * holding a credential.
   */
  static String reference(String name) {
    return "$(" + name + ")";
  }
}
