package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationJobBuilderTest {

  private static final String NAMESPACE = "pr-1234";
  private static final String HOST = "10.128.3.17";
  private static final String JOB_NAME = "wps-api-g2-abcde";

  private DatabaseMigration dbm;

  @BeforeEach
  void setUp() {
    dbm = Fixtures.migration(NAMESPACE, "wps-api");
    dbm.getMetadata().setUid("0b6f2d4e-1111-2222-3333-444455556666");
    dbm.getMetadata().setGeneration(2L);
  }

  @Test
  void runsAlembicUpgradeHeadFromWorkingDir() {
    Container container = container(build());

    assertThat(container.getName()).isEqualTo("migrate");
    assertThat(container.getImage()).isEqualTo(Fixtures.IMAGE);
    assertThat(container.getCommand()).containsExactly("alembic", "upgrade", "head");
    assertThat(container.getArgs()).isNullOrEmpty();
    assertThat(container.getWorkingDir()).isEqualTo("/app/bootstrap");
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
  }

  @Test
  void downgradeRunsAlembicDowngrade() {
    dbm.getSpec().setAction(Action.DOWNGRADE);
    dbm.getSpec().setAllowDowngrade(true);
    dbm.getSpec().setTarget("-2");

    Job job = build();

    assertThat(container(job).getCommand()).containsExactly("alembic", "downgrade", "-2");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(Labels.ACTION_ANNOTATION, "downgrade")
        .containsEntry(Labels.TARGET_ANNOTATION, "-2");
  }

  @Test
  void hostAndPortAreLiteralCredentialsComeFromSecret() {
    Map<String, EnvVar> env = env(build());

    assertThat(env).containsOnlyKeys(
        "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DATABASE");
    assertThat(env.get("POSTGRES_HOST").getValue()).isEqualTo(HOST);
    assertThat(env.get("POSTGRES_PORT").getValue()).isEqualTo("5432");
    assertSecretRef(env.get("POSTGRES_DATABASE"), "wps-api-creds", "app-db-name");
    assertSecretRef(env.get("POSTGRES_USER"), "wps-api-creds", "app-db-username");
    assertSecretRef(env.get("POSTGRES_PASSWORD"), "wps-api-creds", "app-db-password");
  }

  @Test
  void customEnvNamesSecretKeysAndPortAreHonoured() {
    EnvNames names = new EnvNames();
    names.setHost("DB_HOST");
    names.setPort("DB_PORT");
    names.setDatabase("DB_NAME");
    names.setUsername("DB_USER");
    names.setPassword("DB_PASS");
    dbm.getSpec().setEnv(names);
    SecretKeys keys = new SecretKeys();
    keys.setDatabase("dbname");
    keys.setUsername("user");
    keys.setPassword("password");
    dbm.getSpec().getDatabase().getCredentialsSecret().setKeys(keys);
    dbm.getSpec().getDatabase().setPort(6432);

    Map<String, EnvVar> env = env(build());

    assertThat(env).containsOnlyKeys("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASS");
    assertThat(env.get("DB_HOST").getValue()).isEqualTo(HOST);
    assertThat(env.get("DB_PORT").getValue()).isEqualTo("6432");
    assertSecretRef(env.get("DB_NAME"), "wps-api-creds", "dbname");
    assertSecretRef(env.get("DB_USER"), "wps-api-creds", "user");
    assertSecretRef(env.get("DB_PASS"), "wps-api-creds", "password");
  }

  @Test
  void missingEnvNamesSecretKeysAndPortFallBackToDefaults() {
    dbm.getSpec().setEnv(null);
    dbm.getSpec().getDatabase().getCredentialsSecret().setKeys(null);
    dbm.getSpec().getDatabase().setPort(null);

    Map<String, EnvVar> env = env(build());

    assertThat(env.get("POSTGRES_PORT").getValue()).isEqualTo("5432");
    assertSecretRef(env.get("POSTGRES_PASSWORD"), "wps-api-creds", "app-db-password");
  }

  @Test
  void serializedJobHoldsNoCredentialValue() {
    // The builder is never given a Secret, so the only literal values are where to connect.
    String yaml = Serialization.asYaml(build());

    assertThat(Pattern.compile("(?m)^\\s*value: ").matcher(yaml).results().count()).isEqualTo(2);
    for (String name : List.of("POSTGRES_DATABASE", "POSTGRES_USER", "POSTGRES_PASSWORD")) {
      // The serializer may or may not quote scalars.
      String entry = "- name: \"?" + name + "\"?\\n\\s+";
      assertThat(yaml).containsPattern(entry + "valueFrom:\\n\\s+secretKeyRef:");
      assertThat(yaml).doesNotContainPattern(entry + "value:");
    }
  }

  @Test
  void metadataNamesRunAndOwner() {
    Job job = build();

    assertThat(job.getApiVersion()).isEqualTo("batch/v1");
    assertThat(job.getKind()).isEqualTo("Job");
    assertThat(job.getMetadata().getName()).isEqualTo(JOB_NAME);
    assertThat(job.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(job.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "app.kubernetes.io/managed-by", "database-migration-operator",
        "app.kubernetes.io/component", "migration",
        "dbmigration.dev/migration", "wps-api",
        "dbmigration.dev/generation", "2"));
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .isEqualTo(job.getMetadata().getLabels());
    assertThat(job.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "dbmigration.dev/action", "upgrade",
        "dbmigration.dev/target", "head",
        "dbmigration.dev/engine", "alembic"));
  }

  @Test
  void rerunTokenIsAnnotated() {
    dbm.getMetadata().setAnnotations(Map.of(DatabaseMigration.RERUN_ANNOTATION, "again-1"));

    assertThat(build().getMetadata().getAnnotations())
        .containsEntry("dbmigration.dev/rerun", "again-1");
  }

  @Test
  void tooLongNameIsLeftOutOfLabels() {
    dbm.getMetadata().setName("a".repeat(64));

    assertThat(build().getMetadata().getLabels())
        .doesNotContainKey(Labels.MIGRATION)
        .containsKey(Labels.GENERATION);
  }

  @Test
  void ownedByTheMigrationAsController() {
    List<OwnerReference> owners = build().getMetadata().getOwnerReferences();

    assertThat(owners).hasSize(1);
    OwnerReference owner = owners.get(0);
    assertThat(owner.getApiVersion()).isEqualTo("dbmigration.dev/v1alpha1");
    assertThat(owner.getKind()).isEqualTo("DatabaseMigration");
    assertThat(owner.getName()).isEqualTo("wps-api");
    assertThat(owner.getUid()).isEqualTo("0b6f2d4e-1111-2222-3333-444455556666");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
  }

  @Test
  void podNeverRestartsAndHasNoApiToken() {
    PodSpec pod = build().getSpec().getTemplate().getSpec();

    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getServiceAccountName()).isNull();
    assertThat(pod.getImagePullSecrets()).isNullOrEmpty();
    assertThat(pod.getContainers()).hasSize(1);
  }

  @Test
  void securityContextFitsRestrictedProfileWithoutPickingUid() {
    Job job = build();
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container container = container(job);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
    assertThat(pod.getSecurityContext().getFsGroup()).isNull();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getRunAsUser()).isNull();
    assertThat(Serialization.asYaml(job)).doesNotContain("runAsUser").doesNotContain("fsGroup");
  }

  @Test
  void jobLimitsDefaultWhenJobSettingsMissing() {
    dbm.getSpec().setJob(null);

    Job job = build();

    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86400);
  }

  @Test
  void jobLimitsDefaultWhenFieldsMissing() {
    JobSettings settings = new JobSettings();
    settings.setBackoffLimit(null);
    settings.setActiveDeadlineSeconds(null);
    settings.setTtlSecondsAfterFinished(null);
    dbm.getSpec().setJob(settings);

    Job job = build();

    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86400);
  }

  @Test
  void jobLimitsComeFromSpec() {
    JobSettings settings = new JobSettings();
    settings.setBackoffLimit(2);
    settings.setActiveDeadlineSeconds(600L);
    settings.setTtlSecondsAfterFinished(3600);
    dbm.getSpec().setJob(settings);

    Job job = build();

    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
  }

  @Test
  void defaultResourcesRequestLittleAndCapMemory() {
    Container container = container(build());

    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("128Mi"));
    assertThat(container.getResources().getLimits())
        .containsOnlyKeys("memory")
        .containsEntry("memory", new Quantity("512Mi"));
  }

  @Test
  void podSettingsArePassedThrough() {
    JobSettings settings = new JobSettings();
    settings.setServiceAccountName("migrator");
    settings.setImagePullSecrets(List.of(new LocalObjectReference("registry-pull")));
    settings.setResources(new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("250m"))
        .addToLimits("memory", new Quantity("1Gi"))
        .build());
    dbm.getSpec().setJob(settings);

    Job job = build();
    PodSpec pod = job.getSpec().getTemplate().getSpec();

    assertThat(pod.getServiceAccountName()).isEqualTo("migrator");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName)
        .containsExactly("registry-pull");
    assertThat(container(job).getResources().getRequests())
        .containsOnlyKeys("cpu").containsEntry("cpu", new Quantity("250m"));
    assertThat(container(job).getResources().getLimits())
        .containsOnlyKeys("memory").containsEntry("memory", new Quantity("1Gi"));
  }

  private Job build() {
    return MigrationJobBuilder.build(dbm, JOB_NAME, HOST);
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, EnvVar> env(Job job) {
    Map<String, EnvVar> byName = new LinkedHashMap<>();
    for (EnvVar var : container(job).getEnv()) {
      assertThat(byName.put(var.getName(), var)).as("duplicate variable %s", var.getName()).isNull();
    }
    return byName;
  }

  private static void assertSecretRef(EnvVar var, String secretName, String key) {
    assertThat(var.getValue()).as("literal value of %s", var.getName()).isNull();
    SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
    assertThat(ref.getName()).isEqualTo(secretName);
    assertThat(ref.getKey()).isEqualTo(key);
    assertThat(ref.getOptional()).isFalse();
  }
}
