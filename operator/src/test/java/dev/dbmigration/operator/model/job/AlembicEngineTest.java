package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlembicEngineTest {

  private final MigrationEngine engine = new AlembicEngine();

  // The seed's commands; the expected argument list is spelled out, not derived from the inputs.
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "UPGRADE,   head,         alembic upgrade head",
      "UPGRADE,   1a2b3c4d5e6f, alembic upgrade 1a2b3c4d5e6f",
      "UPGRADE,   +3,           alembic upgrade +3",
      "DOWNGRADE, 1a2b3c4d5e6f, alembic downgrade 1a2b3c4d5e6f",
      "DOWNGRADE, -2,           alembic downgrade -2",
      "DOWNGRADE, base,         alembic downgrade base",
      "HISTORY,   head,         alembic history --verbose",
  })
  void commandIsOneArgumentPerWord(Action action, String target, String expected) {
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setAction(action);
    spec.setTarget(target);

    assertThat(engine.command(spec)).isEqualTo(List.of(expected.split(" ")));
  }

  @Test
  void missingActionAndTargetMeanUpgradeToHead() {
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setAction(null);
    spec.setTarget(null);

    assertThat(engine.command(spec)).containsExactly("alembic", "upgrade", "head");
  }

  @Test
  void engineIsChosenFromSpec() {
    assertThat(Engines.forEngine(Engine.ALEMBIC).name()).isEqualTo("alembic");
    assertThat(Engines.forEngine(new DatabaseMigrationSpec().engineOrDefault()))
        .isInstanceOf(AlembicEngine.class);
  }
}
