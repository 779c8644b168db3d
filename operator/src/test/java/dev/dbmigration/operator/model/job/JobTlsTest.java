package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.CaBundleSource;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseTls;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.SslMode;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobTlsTest {

  private DatabaseMigration dbm;

  @BeforeEach
  void setUp() {
    dbm = Fixtures.migration("ns", "wps-api");
    dbm.getMetadata().setUid("uid-1");
  }

  @Test
  void withoutTlsNothingIsAskedOfAnyDriver() {
    Job job = build();

    assertThat(env(job)).doesNotContainKeys("PGSSLMODE", "PGSSLROOTCERT");
    assertThat(pod(job).getVolumes()).isNullOrEmpty();
    assertThat(container(job).getVolumeMounts()).isNullOrEmpty();
  }

  @Test
  void verifyFullGivesLibpqItsModeAndTheCaFileMountedFromTheConfigMap() {
    tls(SslMode.VERIFY_FULL, CaBundleSource.configMap("patroni-ca", "ca.crt"));

    Job job = build();

    assertThat(env(job)).containsEntry("PGSSLMODE", "verify-full")
        .containsEntry("PGSSLROOTCERT", "/etc/dbmigration/tls/ca.crt");
    Volume volume = pod(job).getVolumes().get(0);
    assertThat(volume.getName()).isEqualTo(JobTls.VOLUME);
    assertThat(volume.getConfigMap().getName()).isEqualTo("patroni-ca");
    assertThat(volume.getConfigMap().getItems()).singleElement()
        .satisfies(i -> assertThat(i.getKey() + "->" + i.getPath()).isEqualTo("ca.crt->ca.crt"));
    assertThat(volume.getConfigMap().getOptional()).isTrue();
    assertThat(container(job).getVolumeMounts()).singleElement().satisfies(m -> {
      assertThat(m.getMountPath()).isEqualTo("/etc/dbmigration/tls");
      assertThat(m.getReadOnly()).isTrue();
    });
  }

  @Test
  void aCaFromASecretIsMountedFromTheSecretByReference() {
    tls(SslMode.VERIFY_CA, CaBundleSource.secret("db-tls", "root.pem"));

    Job job = build();

    Volume volume = pod(job).getVolumes().get(0);
    assertThat(volume.getSecret().getSecretName()).isEqualTo("db-tls");
    assertThat(volume.getSecret().getItems().get(0).getKey()).isEqualTo("root.pem");
    assertThat(volume.getSecret().getItems().get(0).getPath()).isEqualTo("ca.crt");
    assertThat(env(job)).containsEntry("PGSSLMODE", "verify-ca");
  }

  @Test
  void requireAsksForTlsWithoutACaFile() {
    tls(SslMode.REQUIRE, null);

    Job job = build();

    assertThat(env(job)).containsEntry("PGSSLMODE", "require").doesNotContainKey("PGSSLROOTCERT");
    assertThat(pod(job).getVolumes()).isNullOrEmpty();
  }

  @Test
  void javaEnginesGetTheSameSettingsInTheirJdbcUrl() {
    tls(SslMode.VERIFY_FULL, CaBundleSource.configMap("patroni-ca", "ca.crt"));
    dbm.getSpec().setEngine(Engine.FLYWAY);
    assertThat(env(build())).containsEntry("FLYWAY_URL", "jdbc:postgresql://$(POSTGRES_HOST):"
        + "$(POSTGRES_PORT)/$(POSTGRES_DATABASE)?sslmode=verify-full"
        + "&sslrootcert=/etc/dbmigration/tls/ca.crt");

    dbm.getSpec().setEngine(Engine.LIQUIBASE);
    assertThat(env(build())).containsEntry("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://"
        + "$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DATABASE)?sslmode=verify-full"
        + "&sslrootcert=/etc/dbmigration/tls/ca.crt");

    tls(SslMode.DISABLE, null);
    assertThat(env(build())).containsEntry("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://"
        + "$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DATABASE)?sslmode=disable");
  }

  private void tls(SslMode mode, CaBundleSource ca) {
    DatabaseTls tls = new DatabaseTls();
    tls.setMode(mode);
    tls.setCa(ca);
    dbm.getSpec().getDatabase().setTls(tls);
  }

  private Job build() {
    return MigrationJobBuilder.build(dbm, "wps-api-g1-abcde", "10.0.0.5");
  }

  private static PodSpec pod(Job job) {
    return job.getSpec().getTemplate().getSpec();
  }

  private static Container container(Job job) {
    return pod(job).getContainers().get(0);
  }

  private static Map<String, String> env(Job job) {
    return container(job).getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
