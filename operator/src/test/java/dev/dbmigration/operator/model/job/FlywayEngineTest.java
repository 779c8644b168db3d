package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlywayEngineTest {

  private final MigrationEngine engine = new FlywayEngine();

  @Test
  void migratesToHeadOrToAVersionAndShowsInfoForHistory() {
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setEngine(Engine.FLYWAY);

    assertThat(engine.command(spec)).containsExactly("flyway", "migrate");
    spec.setTarget("2.1");
    assertThat(engine.command(spec)).containsExactly("flyway", "migrate", "-target=2.1");
    spec.setAction(Action.HISTORY);
    assertThat(engine.command(spec)).containsExactly("flyway", "info");
  }

  @Test
  void theConnectionIsAssembledFromTheVariablesNeverFromLiterals() {
    DatabaseMigration dbm = Fixtures.migration("ns", "inventory");
    dbm.getMetadata().setUid("uid-1");
    dbm.getSpec().setEngine(Engine.FLYWAY);
    EnvNames names = new EnvNames();
    names.setPassword("DB_PASS");
    dbm.getSpec().setEnv(names);

    Job job = MigrationJobBuilder.build(dbm, "inventory-g1-abcde", "10.0.0.5");
    List<EnvVar> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();

    assertThat(env).extracting(EnvVar::getName).containsExactly("POSTGRES_HOST", "POSTGRES_PORT",
        "POSTGRES_DATABASE", "POSTGRES_USER", "DB_PASS", "FLYWAY_URL", "FLYWAY_USER",
        "FLYWAY_PASSWORD");
    assertThat(env.get(5).getValue())
        .isEqualTo("jdbc:postgresql://$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DATABASE)");
    assertThat(env.get(7).getValue()).isEqualTo("$(DB_PASS)");
    assertThat(env.get(4).getValueFrom().getSecretKeyRef().getKey()).isEqualTo("app-db-password");
  }
}
