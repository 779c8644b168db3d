package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.Engine;

/** Picks the {@link MigrationEngine} for the resource's {@code spec.engine}. */
public final class Engines {

  private static final MigrationEngine ALEMBIC = new AlembicEngine();
  private static final MigrationEngine FLYWAY = new FlywayEngine();
  private static final MigrationEngine LIQUIBASE = new LiquibaseEngine();
  private static final MigrationEngine COMMAND = new CommandEngine();

  private Engines() {
  }

  public static MigrationEngine forEngine(Engine engine) {
    // No default branch: a new Engine constant must not compile until it has an implementation.
    return switch (engine) {
      case ALEMBIC -> ALEMBIC;
      case FLYWAY -> FLYWAY;
      case LIQUIBASE -> LIQUIBASE;
      case COMMAND -> COMMAND;
    };
  }
}
