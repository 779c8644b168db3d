package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandEngineTest {

  @Test
  void theArgumentListIsTheContainersCommandAsWrittenWithNoShellAroundIt() {
    DatabaseMigration dbm = Fixtures.migration("ns", "tools");
    dbm.getMetadata().setUid("uid-1");
    dbm.getSpec().setEngine(Engine.COMMAND);
    List<String> command = new ArrayList<>(List.of("/app/bin/migrate", "--to", "latest; rm -rf /",
        "$(POSTGRES_HOST)", "a b", ""));
    dbm.getSpec().setCommand(command);

    Container container = MigrationJobBuilder.build(dbm, "tools-g1-abcde", "10.0.0.5")
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    command.set(0, "changed-after-the-build");

    assertThat(container.getCommand()).containsExactly("/app/bin/migrate", "--to",
        "latest; rm -rf /", "$(POSTGRES_HOST)", "a b", "");
    assertThat(container.getArgs()).isNullOrEmpty();
    assertThat(container.getEnv()).extracting(EnvVar::getName).containsExactly("POSTGRES_HOST",
        "POSTGRES_PORT", "POSTGRES_DATABASE", "POSTGRES_USER", "POSTGRES_PASSWORD");
    assertThat(container.getEnv().get(4).getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("app-db-password");
    assertThat(container.getWorkingDir()).isEqualTo("/app/bootstrap");
  }

  @Test
  void withoutACommandThereIsNoJob() {
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setEngine(Engine.COMMAND);

    assertThatThrownBy(() -> new CommandEngine().command(spec))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spec.command");
  }
}
