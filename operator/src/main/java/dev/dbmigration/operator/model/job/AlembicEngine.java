package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import java.util.List;

/**
 * Alembic: {@code alembic upgrade|downgrade <target>} or {@code alembic history --verbose}, run
 * from the directory of alembic.ini.
 */
public final class AlembicEngine implements MigrationEngine {

  @Override
  public String name() {
    return "alembic";
  }

  @Override
  public List<String> command(DatabaseMigrationSpec spec) {
    Action action = spec.actionOrDefault();
    if (action == Action.HISTORY) {
      return List.of("alembic", "history", "--verbose");
    }
    return List.of("alembic", action.value(), spec.targetOrDefault());
  }
}
