package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Alembic: {@code alembic upgrade|downgrade <target>} or {@code alembic history --verbose}, run
 * from the directory of alembic.ini.
 */
public final class AlembicEngine implements MigrationEngine {

  /**
   * The plan's program (alembic-plan.py beside this class): Alembic's own offline rendering of
   * {@code <from>:<target>} and the script directory's heads, printed between markers that
   * {@link PlanOutput} reads. Run with python3 -c; the action, revision and target are its
   * arguments, never part of the code.
   */
  static final String PLAN_PROGRAM = resource("alembic-plan.py");

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

  @Override
  public Optional<PlanCommand> plan(DatabaseMigrationSpec spec, String from) {
    if (spec.actionOrDefault() == Action.HISTORY) {
      return Optional.empty();
    }
    return Optional.of(new PlanCommand(List.of("python3", "-c", PLAN_PROGRAM,
        spec.actionOrDefault().value(), from, spec.targetOrDefault()), true, true));
  }

  /** alembic check (Alembic 1.9 and later): exit 0 when the models match the database. */
  @Override
  public Optional<List<String>> driftCheck() {
    return Optional.of(List.of("alembic", "check"));
  }

  private static String resource(String name) {
    try (InputStream in = AlembicEngine.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the operator's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
