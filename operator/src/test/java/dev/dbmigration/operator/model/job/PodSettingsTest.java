package dev.dbmigration.operator.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.CaBundleSource;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseTls;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodSettingsTest {

  private DatabaseMigration dbm;
  private JobSettings job;

  @BeforeEach
  void setUp() {
    dbm = Fixtures.migration("ns", "wps-api");
    dbm.getMetadata().setUid("uid-1");
    dbm.getMetadata().setGeneration(3L);
    job = dbm.getSpec().getJob();
  }

  @Test
  void withoutSettingsThePodIsAsBefore() {
    PodSpec pod = pod(build());

    assertThat(pod.getNodeSelector()).isNullOrEmpty();
    assertThat(pod.getTolerations()).isNullOrEmpty();
    assertThat(pod.getAffinity()).isNull();
    assertThat(pod.getPriorityClassName()).isNull();
    assertThat(pod.getVolumes()).isNullOrEmpty();
    assertThat(build().getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(container(build()).getEnvFrom()).isNullOrEmpty();
  }

  @Test
  void schedulingSettingsReachThePod() {
    job.setNodeSelector(Map.of("pool", "migrations"));
    job.setTolerations(List.of(new TolerationBuilder().withKey("dedicated")
        .withOperator("Equal").withValue("db").withEffect("NoSchedule").build()));
    job.setAffinity(new AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
        .addNewMatchExpression().withKey("zone").withOperator("In").withValues("a").endMatchExpression()
        .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().build());
    job.setPriorityClassName("migrations");

    PodSpec pod = pod(build());

    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("pool", "migrations"));
    assertThat(pod.getTolerations()).singleElement()
        .satisfies(t -> assertThat(t.getKey() + t.getOperator() + t.getValue() + t.getEffect())
            .isEqualTo("dedicatedEqualdbNoSchedule"));
    assertThat(pod.getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
        .getMatchExpressions().get(0).getKey()).isEqualTo("zone");
    assertThat(pod.getAffinity()).isNotSameAs(job.getAffinity()).isEqualTo(job.getAffinity());
    assertThat(pod.getPriorityClassName()).isEqualTo("migrations");
  }

  @Test
  void podLabelsAndAnnotationsReachThePodUnderTheOperatorsOwnLabels() {
    Map<String, String> labels = new HashMap<>(Map.of("team", "payments",
        Labels.MANAGED_BY, "someone-else"));
    job.setPodLabels(labels);
    job.setPodAnnotations(Map.of("sidecar.istio.io/inject", "false"));

    Job built = build();

    Map<String, String> podLabels = built.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsEntry("team", "payments")
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .containsAllEntriesOf(Labels.ofRun(dbm));
    assertThat(built.getMetadata().getLabels()).doesNotContainKey("team");
    assertThat(built.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsExactly(Map.entry("sidecar.istio.io/inject", "false"));
  }

  @Test
  void extraVariablesComeAfterTheConnectionAndEngineOnesSoTheyCanUseThem() {
    job.setEnv(List.of(new EnvVarBuilder().withName("LOG_LEVEL").withValue("debug").build(),
        new EnvVarBuilder().withName("DSN_HOST").withValue("$(POSTGRES_HOST)").build(),
        new EnvVarBuilder().withName("FEATURE").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("app-config").withKey("feature").endConfigMapKeyRef().endValueFrom()
            .build()));
    job.setEnvFrom(List.of(new EnvFromSourceBuilder().withNewConfigMapRef()
        .withName("app-config").endConfigMapRef().withPrefix("APP_").build()));
    tls();

    Container container = container(build());

    assertThat(container.getEnv()).extracting(EnvVar::getName).containsExactly("POSTGRES_HOST",
        "POSTGRES_PORT", "POSTGRES_DATABASE", "POSTGRES_USER", "POSTGRES_PASSWORD", "PGSSLMODE",
        "PGSSLROOTCERT", "LOG_LEVEL", "DSN_HOST", "FEATURE");
    assertThat(container.getEnvFrom()).singleElement().satisfies(e -> {
      assertThat(e.getConfigMapRef().getName()).isEqualTo("app-config");
      assertThat(e.getPrefix()).isEqualTo("APP_");
      assertThat(e.getSecretRef()).isNull();
    });
  }

  @Test
  void volumesAndMountsSitBesideTheCaBundlesAndAreCopies() {
    List<Volume> volumes = new ArrayList<>(List.of(new VolumeBuilder().withName("scratch")
        .withNewEmptyDir().withMedium("Memory").endEmptyDir().build()));
    job.setVolumes(volumes);
    job.setVolumeMounts(List.of(new VolumeMountBuilder().withName("scratch")
        .withMountPath("/scratch").build()));
    tls();

    Job built = build();
    volumes.get(0).setName("changed");

    assertThat(pod(built).getVolumes()).extracting(Volume::getName)
        .containsExactly("scratch", JobTls.VOLUME);
    assertThat(container(built).getVolumeMounts()).extracting(VolumeMount::getMountPath)
        .containsExactly("/scratch", JobTls.MOUNT_PATH);
  }

  @Test
  void theRestrictedSecurityContextStaysWhateverIsSet() {
    job.setNodeSelector(Map.of("pool", "migrations"));
    job.setPodAnnotations(Map.of("example.com/anything", "x"));
    job.setVolumes(List.of(new VolumeBuilder().withName("cfg").withNewConfigMap()
        .withName("app-config").endConfigMap().build()));

    PodSpec pod = pod(build());

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getHostNetwork()).isNull();
    var container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getPrivileged()).isNull();
  }

  private void tls() {
    DatabaseTls tls = new DatabaseTls();
    tls.setCa(CaBundleSource.configMap("patroni-ca", "ca.crt"));
    dbm.getSpec().getDatabase().setTls(tls);
  }

  private Job build() {
    return MigrationJobBuilder.build(dbm, "wps-api-g3-abcde", "10.0.0.5");
  }

  private static PodSpec pod(Job job) {
    return job.getSpec().getTemplate().getSpec();
  }

  private static Container container(Job job) {
    return pod(job).getContainers().get(0);
  }
}
