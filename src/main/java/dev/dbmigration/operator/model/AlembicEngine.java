package dev.dbmigration.operator.model;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import java.util.List;

/** Alembic: {@code alembic upgrade|downgrade <target>}, run from the directory of alembic.ini. */
public final class AlembicEngine implements MigrationEngine {

  @Override
  public String name() {
    return "alembic";
  }

  @Override
  public List<String> command(DatabaseMigrationSpec spec) {
    return List.of("alembic", MigrationEngine.actionOf(spec).value(), MigrationEngine.targetOf(spec));
  }
}
