package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Optional;

/** A migration tool: how to invoke it inside the application's image. */
public interface MigrationEngine {

  /** The tool's name as the resource spells it, e.g. {@code alembic}. */
  String name();

  /**
   * The container command, one argument per element. Never a shell line: the target comes from the
   * resource and must not be able to smuggle in shell syntax.
   */
  List<String> command(DatabaseMigrationSpec spec);

  /**
   * Variables the tool needs beyond the five connection variables, built from those by
   * Kubernetes' own {@code $(VAR)} expansion so that no credential is ever written literally.
   * The spec says which names those variables have and how TLS is asked for.
   */
  default List<EnvVar> extraEnv(DatabaseMigrationSpec spec) {
    return List.of();
  }

  /**
   * What renders the plan of the spec's upgrade or downgrade from revision {@code from} (the
   * database's, as the operator read it); empty when the engine has nothing honest to show.
   */
  default Optional<PlanCommand> plan(DatabaseMigrationSpec spec, String from) {
    return Optional.empty();
  }

  /** The engine's comparison of the database with the application's models, if it has one. */
  default Optional<List<String>> driftCheck() {
    return Optional.empty();
  }

}
