package dev.dbmigration.operator.model.job;

import static dev.dbmigration.operator.model.job.EnvVars.reference;

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
    return "jdbc:postgresql://" + reference(names.hostOrDefault()) + ":"
        + reference(names.portOrDefault()) + "/" + reference(names.databaseOrDefault())
        + JobTls.jdbcQuery(spec);
  }
}
