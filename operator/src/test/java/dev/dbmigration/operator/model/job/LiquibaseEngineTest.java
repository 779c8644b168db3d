package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiquibaseEngineTest {

  private final MigrationEngine engine = new LiquibaseEngine();

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "upgrade   | head  | liquibase update",
      "upgrade   | +2    | liquibase update-count --count=2",
      "upgrade   | v1.1  | liquibase update-to-tag --tag=v1.1",
      "downgrade | -1    | liquibase rollback-count --count=1",
      "downgrade | v1.0  | liquibase rollback --tag=v1.0",
      "history   | head  | liquibase history"})
  void targetsMapOntoLiquibasesCommands(String action, String target, String command) {
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setEngine(Engine.LIQUIBASE);
    spec.setAction(Action.of(action));
    spec.setTarget(target);

    assertThat(engine.command(spec)).containsExactly(command.split(" "));
  }

  @Test
  void theConnectionIsAssembledFromTheVariablesAndLiquibaseStaysQuietAndLocal() {
    DatabaseMigration dbm = Fixtures.migration("ns", "inventory");
    dbm.getMetadata().setUid("uid-1");
    dbm.getSpec().setEngine(Engine.LIQUIBASE);

    Job job = MigrationJobBuilder.build(dbm, "inventory-g1-abcde", "10.0.0.5");
    List<EnvVar> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();

    assertThat(env).extracting(EnvVar::getName).containsExactly("POSTGRES_HOST", "POSTGRES_PORT",
        "POSTGRES_DATABASE", "POSTGRES_USER", "POSTGRES_PASSWORD", "LIQUIBASE_COMMAND_URL",
        "LIQUIBASE_COMMAND_USERNAME", "LIQUIBASE_COMMAND_PASSWORD", "LIQUIBASE_SHOW_BANNER",
        "LIQUIBASE_ANALYTICS_ENABLED");
    assertThat(env.get(5).getValue())
        .isEqualTo("jdbc:postgresql://$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DATABASE)");
    assertThat(env.get(6).getValue()).isEqualTo("$(POSTGRES_USER)");
    assertThat(env.get(7).getValue()).isEqualTo("$(POSTGRES_PASSWORD)");
    assertThat(env.get(8).getValue()).isEqualTo("false");
    assertThat(env.get(9).getValue()).isEqualTo("false");
    assertThat(job.getMetadata().getAnnotations()).containsEntry(Labels.ENGINE_ANNOTATION,
        "liquibase");
    assertThat(Serialization.asJson(job)).doesNotContain("password=");
  }
}
