package dev.dbmigration.operator.model.job;

import static dev.dbmigration.operator.model.job.EnvVars.literal;
import static dev.dbmigration.operator.model.job.EnvVars.reference;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/**
 * Liquibase, run from workingDir, where its liquibase.properties names the changelog (or
 * LIQUIBASE_COMMAND_CHANGELOG_FILE in spec.job.env does): the targets map onto its commands as
 * head → update, +N → update-count, a tag → update-to-tag, and downwards (allowDowngrade) -N →
 * rollback-count, a tag → rollback; history → history. The connection comes from
 * LIQUIBASE_COMMAND_URL/USERNAME/PASSWORD, assembled by Kubernetes from the connection variables;
 * environment variables outrank liquibase.properties, so a stale URL in the image cannot win.
 */
public final class LiquibaseEngine implements MigrationEngine {

  @Override
  public String name() {
    return "liquibase";
  }

  @Override
  public List<String> command(DatabaseMigrationSpec spec) {
    Action action = spec.actionOrDefault();
    String target = spec.targetOrDefault();
    if (action == Action.HISTORY) {
      return List.of("liquibase", "history");
    }
    if (action == Action.UPGRADE) {
      if (target.equals("head")) {
        return List.of("liquibase", "update");
      }
      return target.startsWith("+")
          ? List.of("liquibase", "update-count", "--count=" + target.substring(1))
          : List.of("liquibase", "update-to-tag", "--tag=" + target);
    }
    return target.startsWith("-")
        ? List.of("liquibase", "rollback-count", "--count=" + target.substring(1))
        : List.of("liquibase", "rollback", "--tag=" + target);
  }

  /**
   * The connection, and two of Liquibase's defaults turned off: its banner (the output's tail in
   * status should be the run's, not the logo) and its analytics, which would call Liquibase's
   * servers from the cluster. spec.job.env comes later and may turn them back on.
   */
  @Override
  public List<EnvVar> extraEnv(DatabaseMigrationSpec spec) {
    EnvNames names = spec.envOrDefault();
    return List.of(
        literal("LIQUIBASE_COMMAND_URL", JdbcUrl.of(spec)),
        literal("LIQUIBASE_COMMAND_USERNAME", reference(names.usernameOrDefault())),
        literal("LIQUIBASE_COMMAND_PASSWORD", reference(names.passwordOrDefault())),
        literal("LIQUIBASE_SHOW_BANNER", "false"),
        literal("LIQUIBASE_ANALYTICS_ENABLED", "false"));
  }
}
