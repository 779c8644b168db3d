package dev.dbmigration.operator.model.job;

import static dev.dbmigration.operator.model.job.EnvVars.literal;
import static dev.dbmigration.operator.model.job.EnvVars.reference;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Optional;

/**
 * Flyway: {@code flyway migrate [-target=V]} or {@code flyway info}. Flyway reads its connection
 * from FLYWAY_URL/USER/PASSWORD, which Kubernetes assembles from the connection variables (the
 * URL carries spec.database.tls as pgjdbc's sslmode and sslrootcert).
 * Community Flyway has no undo, so there is no downgrade (the validator refuses one).
 */
public final class FlywayEngine implements MigrationEngine {

  @Override
  public String name() {
    return "flyway";
  }

  @Override
  public List<String> command(DatabaseMigrationSpec spec) {
    if (spec.actionOrDefault() == Action.HISTORY) {
      return List.of("flyway", "info");
    }
    String target = spec.targetOrDefault();
    return target.equals("head") || target.equals("heads")
        ? List.of("flyway", "migrate")
        : List.of("flyway", "migrate", "-target=" + target);
  }

  /**
   * Community Flyway renders no SQL before it runs (a dry run is a paid edition's): the nearest
   * honest plan is flyway info, its list of migrations with the pending ones marked, read from
   * the database itself.
   */
  @Override
  public Optional<PlanCommand> plan(DatabaseMigrationSpec spec, String from) {
    return spec.actionOrDefault() == Action.HISTORY ? Optional.empty()
        : Optional.of(new PlanCommand(List.of("flyway", "info"), false, false));
  }

  @Override
  public List<EnvVar> extraEnv(DatabaseMigrationSpec spec) {
    EnvNames names = spec.envOrDefault();
    return List.of(
        literal("FLYWAY_URL", JdbcUrl.of(spec)),
        literal("FLYWAY_USER", reference(names.usernameOrDefault())),
        literal("FLYWAY_PASSWORD", reference(names.passwordOrDefault())));
  }
}
