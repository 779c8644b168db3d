package dev.dbmigration.operator.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ground every later tier stands on: a real API server serving the generated CRD. */
class KubeApiServerIT {

  private static final String NS = "infra-it";
  private static KubernetesClient client;

  @BeforeAll
  static void startServerAndApplyCrd() {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void servesTheRealApiAtThePinnedVersion() {
    assertThat(client.getKubernetesVersion().getGitVersion())
        .isEqualTo("v" + System.getProperty("kube.version"));
  }

  @Test
  void storesAResourceAndAppliesTheSchemaDefaults() {
    client.resource(Fixtures.migration(NS, "roundtrip")).create();

    DatabaseMigration read = client.resources(DatabaseMigration.class).inNamespace(NS)
        .withName("roundtrip").get();

    assertThat(read.getSpec().getImage()).isEqualTo(Fixtures.IMAGE);
    assertThat(read.getSpec().getTarget()).isEqualTo("head");
    assertThat(read.getSpec().getAction()).isEqualTo(Action.UPGRADE);
    assertThat(read.getSpec().getDatabase().getPort()).isEqualTo(5432);
    assertThat(read.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void rejectsATargetOutsideTheAlembicGrammar() {
    DatabaseMigration bad = Fixtures.migration(NS, "bad-target");
    bad.getSpec().setTarget("head; rm -rf /");

    assertThatThrownBy(() -> client.resource(bad).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.target");
  }

  @Test
  void rejectsAnUpgradeToBaseOrANegativeStepThroughCel() {
    for (String target : new String[] {"base", "-2"}) {
      DatabaseMigration bad = Fixtures.migration(NS, "bad-upgrade");
      bad.getSpec().setTarget(target);

      assertThatThrownBy(() -> client.resource(bad).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("an upgrade cannot target base or a negative step");
    }
  }

  @Test
  void rejectsBothLeaderDiscoveryAndAnExplicitHostThroughCel() {
    DatabaseMigration bad = Fixtures.migration(NS, "bad-both");
    bad.getSpec().getDatabase().setHost("wps-db-leader");

    assertThatThrownBy(() -> client.resource(bad).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("set exactly one of database.leader");
  }

  @Test
  void rejectsAnUnknownEngine() {
    String yaml = io.fabric8.kubernetes.client.utils.Serialization.asYaml(
        Fixtures.migration(NS, "bad-enum")).replace("engine: \"alembic\"", "engine: \"rails\"");

    assertThatThrownBy(() -> client.resource(yaml).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.engine");
  }

  @Test
  void rejectsADowngradeWithoutAllowDowngradeThroughCel() {
    DatabaseMigration bad = Fixtures.migration(NS, "bad-downgrade");
    bad.getSpec().setAction(Action.DOWNGRADE);
    bad.getSpec().setTarget("-2");

    assertThatThrownBy(() -> client.resource(bad).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("downgrade needs allowDowngrade: true");
  }
}
