package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;

/** The JDBC URL the Java engines connect with, written in the connection variables' terms. */
final class JdbcUrl {

  private JdbcUrl() {
  }

  /**
   * {@code jdbc:postgresql://$(HOST):$(PORT)/$(DATABASE)} and the TLS parameters: Kubernetes
   * fills in the variables when the container starts, so the Job holds no value of the Secret.
   */
  static String of(DatabaseMigrationSpec spec) {
    EnvNames names = spec.envOrDefault();
    return "jdbc:postgresql://$(" + names.hostOrDefault() + "):$(" + names.portOrDefault()
        + ")/$(" + names.databaseOrDefault() + ")" + JobTls.jdbcQuery(spec);
  }
}
