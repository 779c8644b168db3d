package dev.dbmigration.operator.bench;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One pull request's namespace as a real cluster holds it, not only what the operator uses:
 * besides the DatabaseMigration and its credentials Secret, the Helm release history (a Secret of
 * about 50 KB per revision, five revisions), a TLS Secret, two ConfigMaps, a two-member Patroni
 * cluster (StatefulSet, leader and replica pods with a Spilo-like spec) and the app (Deployment,
 * ReplicaSet, three pods). Pods get the status a kubelet would write (there is none here). An
 * app-only namespace has everything but the database and the DatabaseMigration.
 *
 * <p>Objects created here, per namespace: {@link #OBJECTS_WITH_DATABASE} or
 * {@link #OBJECTS_APP_ONLY}, the DatabaseMigration not counted (the benchmark creates it).
 */
final class PrNamespace {

  static final String APP = "wps-api";
  static final String CLUSTER = "patroni-" + APP;
  static final int HELM_REVISIONS = 5;
  /** The size of a Helm release Secret's data.release value (base64 of gzip'd JSON). */
  static final int HELM_RELEASE_CHARS = 50_000;
  static final int APP_REPLICAS = 3;
  static final int OBJECTS_APP_ONLY = HELM_REVISIONS + 1 + 2 + 2 + APP_REPLICAS;
  static final int OBJECTS_WITH_DATABASE = OBJECTS_APP_ONLY + 1 + 1 + 2;

  private static final String NODE = "worker-1";

  private final KubernetesClient client;
  private final String namespace;
  private final Random random;
  private final String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  private PrNamespace(KubernetesClient client, String namespace, long seed) {
    this.client = client;
    this.namespace = namespace;
    this.random = new Random(seed);
  }

  /** The DatabaseMigration the Helm chart of such a namespace templates. */
  static DatabaseMigration migration(String namespace) {
    return Fixtures.migration(namespace, APP);
  }

  /**
   * Creates the namespace with the app and, when {@code leaderIp} is given, the database whose
   * leader answers there; the database's name is the namespace's, so no two runs share one.
   */
  static void create(KubernetesClient client, String namespace, String leaderIp, long seed) {
    PrNamespace ns = new PrNamespace(client, namespace, seed);
    ns.make(new NamespaceBuilder().withNewMetadata().withName(namespace)
        .addToLabels("kubernetes.io/metadata.name", namespace)
        .addToLabels("app.kubernetes.io/part-of", "pr-previews").endMetadata().build());
    ns.helmHistory();
    ns.tlsSecret();
    ns.configMaps();
    ns.app();
    if (leaderIp != null) {
      ns.database(leaderIp);
    }
  }

  private void helmHistory() {
    for (int v = 1; v <= HELM_REVISIONS; v++) {
      byte[] release = new byte[HELM_RELEASE_CHARS * 3 / 4];
      random.nextBytes(release);
      make(new SecretBuilder().withNewMetadata().withNamespace(namespace)
          .withName("sh.helm.release.v1." + APP + ".v" + v)
          .addToLabels("name", APP).addToLabels("owner", "helm")
          .addToLabels("status", v == HELM_REVISIONS ? "deployed" : "superseded")
          .addToLabels("version", String.valueOf(v)).endMetadata()
          .withType("helm.sh/release.v1")
          .addToData("release", Base64.getEncoder().encodeToString(release))
          .build());
    }
  }

  private void tlsSecret() {
    make(new SecretBuilder().withNewMetadata().withNamespace(namespace)
        .withName(APP + "-tls").addToAnnotations("cert-manager.io/issuer-name", "pr-previews")
        .addToAnnotations("cert-manager.io/common-name", APP + "." + namespace + ".example")
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", pem("CERTIFICATE", 1400))
        .addToData("tls.key", pem("PRIVATE KEY", 1200))
        .addToData("ca.crt", pem("CERTIFICATE", 1100))
        .build());
  }

  private void configMaps() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < 24; i++) {
      settings.put(String.format(Locale.ROOT, "WPS_SETTING_%02d", i),
          "value-" + Long.toHexString(random.nextLong()) + "-" + namespace);
    }
    settings.put("logging.yaml", "version: 1\nhandlers:\n  console:\n    class: logging.Stream"
        + "Handler\n    formatter: json\nroot:\n  level: INFO\n  handlers: [console]\n");
    make(new ConfigMapBuilder().withNewMetadata().withNamespace(namespace)
        .withName(APP + "-config").addToLabels("app.kubernetes.io/name", APP)
        .addToLabels("app.kubernetes.io/managed-by", "Helm").endMetadata()
        .withData(settings).build());
    make(new ConfigMapBuilder().withNewMetadata().withNamespace(namespace)
        .withName("kube-root-ca.crt").endMetadata()
        .addToData("ca.crt", new String(Base64.getDecoder().decode(pem("CERTIFICATE", 1100))))
        .build());
  }

  private void app() {
    Map<String, String> labels = Map.of("app.kubernetes.io/name", APP,
        "app.kubernetes.io/instance", APP, "pod-template-hash", "5d9f7c6b8");
    PodSpec spec = appPodSpec();
    String deploymentUid = make(new DeploymentBuilder().withNewMetadata()
        .withNamespace(namespace).withName(APP).withLabels(withoutHash(labels))
        .addToAnnotations("meta.helm.sh/release-name", APP)
        .addToAnnotations("meta.helm.sh/release-namespace", namespace).endMetadata()
        .withNewSpec().withReplicas(APP_REPLICAS).withNewSelector()
        .withMatchLabels(withoutHash(labels)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(withoutHash(labels)).endMetadata()
        .withSpec(spec).endTemplate().endSpec().build())
        .getMetadata().getUid();
    String rsName = APP + "-" + labels.get("pod-template-hash");
    String rsUid = make(new ReplicaSetBuilder().withNewMetadata()
        .withNamespace(namespace).withName(rsName).withLabels(labels)
        .withOwnerReferences(owner("apps/v1", "Deployment", APP, deploymentUid)).endMetadata()
        .withNewSpec().withReplicas(APP_REPLICAS).withNewSelector().withMatchLabels(labels)
        .endSelector().withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withSpec(spec).endTemplate().endSpec().build())
        .getMetadata().getUid();
    for (int i = 0; i < APP_REPLICAS; i++) {
      runningPod(rsName + "-" + Long.toString(Math.abs(random.nextLong()), 36).substring(0, 5),
          labels, Map.of(), owner("apps/v1", "ReplicaSet", rsName, rsUid), spec,
          "10.244." + random.nextInt(250) + "." + (1 + random.nextInt(250)));
    }
  }

  private void database(String leaderIp) {
    make(new SecretBuilder().withNewMetadata().withNamespace(namespace)
        .withName(APP + "-creds").endMetadata()
        .withStringData(Map.of("app-db-name", namespace, "app-db-username", "wps",
            "app-db-password", TestCluster.PASSWORD))
        .build());
    Map<String, String> selector = Map.of("application", "spilo", "cluster-name", CLUSTER);
    PodSpec spec = databasePodSpec();
    String uid = make(new StatefulSetBuilder().withNewMetadata()
        .withNamespace(namespace).withName(CLUSTER).withLabels(selector).endMetadata()
        .withNewSpec().withReplicas(2).withServiceName(CLUSTER).withNewSelector()
        .withMatchLabels(selector).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(selector).endMetadata()
        .withSpec(spec).endTemplate()
        .addNewVolumeClaimTemplate().withNewMetadata().withName("pgdata").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("5Gi")).endResources().endSpec()
        .endVolumeClaimTemplate().endSpec().build()).getMetadata().getUid();
    String replicaIp = "10.245." + random.nextInt(250) + "." + (1 + random.nextInt(250));
    for (int i = 0; i < 2; i++) {
      String name = CLUSTER + "-" + i;
      String role = i == 0 ? "master" : "replica";
      String ip = i == 0 ? leaderIp : replicaIp;
      Map<String, String> labels = new HashMap<>(selector);
      labels.put("role", role);
      labels.put("controller-revision-hash", CLUSTER + "-6b7f9c5d4");
      labels.put("statefulset.kubernetes.io/pod-name", name);
      // Patroni keeps its member state in an annotation of its pod (Kubernetes DCS).
      Map<String, String> annotations = Map.of("status", "{\"conn_url\":\"postgres://" + ip
          + ":5432/postgres\",\"api_url\":\"http://" + ip + ":8008/patroni\",\"state\":"
          + "\"running\",\"role\":\"" + role + "\",\"version\":\"3.0.2\",\"xlog_location\":"
          + (50331648 + i) + ",\"timeline\":1}");
      runningPod(name, labels, annotations, owner("apps/v1", "StatefulSet", CLUSTER, uid),
          spec, ip);
    }
  }

  private Pod runningPod(String name, Map<String, String> labels, Map<String, String> annotations,
      OwnerReference owner, PodSpec template, String ip) {
    PodSpec spec = new PodSpecBuilder(template).withNodeName(NODE)
        .addToVolumes(serviceAccountToken()).build();
    Pod pod = make(new PodBuilder().withNewMetadata().withNamespace(namespace)
        .withName(name).withLabels(labels).withAnnotations(annotations)
        .withOwnerReferences(owner).endMetadata().withSpec(spec).build());
    PodStatusBuilder status = new PodStatusBuilder().withPhase("Running").withHostIP("192.0.2.11")
        .addNewHostIP().withIp("192.0.2.11").endHostIP()
        .withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().withQosClass("Burstable")
        .withStartTime(now);
    for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready",
        "ContainersReady", "PodScheduled")) {
      status.addNewCondition().withType(type).withStatus("True").withLastTransitionTime(now)
          .endCondition();
    }
    for (Container c : spec.getContainers()) {
      status.addNewContainerStatus().withName(c.getName()).withImage(c.getImage())
          .withImageID(c.getImage().replaceAll(":.*", "") + "@sha256:" + hex(64))
          .withContainerID("containerd://" + hex(64)).withReady(true).withStarted(true)
          .withRestartCount(0).withNewState().withNewRunning().withStartedAt(now).endRunning()
          .endState().endContainerStatus();
    }
    pod.setStatus(status.build());
    try {
      return client.resource(pod).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // A retry of an update that was made: the pod's version moved on.
      Pod current = client.pods().inNamespace(namespace).withName(name).get();
      current.setStatus(pod.getStatus());
      return client.resource(current).updateStatus();
    }
  }

  /**
   * Creates {@code object}. Under load the client may time out on a create the server has made,
   * and its retry then finds the object there: that one is this namespace's own.
   */
  private <T extends HasMetadata> T make(T object) {
    try {
      return client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return client.resource(object).get();
    }
  }

  private PodSpec appPodSpec() {
    List<EnvVar> env = new ArrayList<>();
    env.add(secretEnv("POSTGRES_USER", "app-db-username"));
    env.add(secretEnv("POSTGRES_PASSWORD", "app-db-password"));
    env.add(secretEnv("POSTGRES_DATABASE", "app-db-name"));
    env.add(new EnvVarBuilder().withName("POSTGRES_HOST").withValue(CLUSTER).build());
    env.add(new EnvVarBuilder().withName("POSTGRES_PORT").withValue("5432").build());
    for (int i = 0; i < 10; i++) {
      env.add(new EnvVarBuilder().withName(String.format(Locale.ROOT, "WPS_FEATURE_%02d", i))
          .withValue(i % 2 == 0 ? "true" : "false").build());
    }
    Container api = new ContainerBuilder().withName("api").withImage(Fixtures.IMAGE)
        .withImagePullPolicy("IfNotPresent").withEnv(env)
        .addNewEnvFrom().withNewConfigMapRef().withName(APP + "-config").endConfigMapRef()
        .endEnvFrom()
        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
        .withNewResources().addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("256Mi"))
        .addToLimits("memory", new Quantity("512Mi")).endResources()
        .withNewLivenessProbe().withNewHttpGet().withPath("/health").withNewPort("http")
        .withScheme("HTTP").endHttpGet().withPeriodSeconds(20).withTimeoutSeconds(1)
        .withFailureThreshold(3).withSuccessThreshold(1).endLivenessProbe()
        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort("http")
        .withScheme("HTTP").endHttpGet().withPeriodSeconds(10).withTimeoutSeconds(1)
        .withFailureThreshold(3).withSuccessThreshold(1).endReadinessProbe()
        .addNewVolumeMount().withName("config").withMountPath("/app/config").withReadOnly(true)
        .endVolumeMount()
        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("File").build();
    return common(new PodSpecBuilder().withContainers(api).addNewVolume().withName("config")
        .withNewConfigMap().withName(APP + "-config").withDefaultMode(420).endConfigMap()
        .endVolume().withServiceAccountName("default")).build();
  }

  private PodSpec databasePodSpec() {
    List<EnvVar> env = new ArrayList<>();
    env.add(fieldEnv("POD_IP", "status.podIP"));
    env.add(fieldEnv("POD_NAMESPACE", "metadata.namespace"));
    env.add(secretEnv("PGPASSWORD_SUPERUSER", "app-db-password"));
    env.add(secretEnv("PGPASSWORD_STANDBY", "app-db-password"));
    String[][] plain = {{"SCOPE", CLUSTER}, {"PGROOT", "/home/postgres/pgdata/pgroot"},
        {"PGUSER_SUPERUSER", "postgres"}, {"PGUSER_STANDBY", "standby"}, {"PGPORT", "5432"},
        {"KUBERNETES_SCOPE_LABEL", "cluster-name"}, {"KUBERNETES_ROLE_LABEL", "role"},
        {"KUBERNETES_LABELS", "{\"application\":\"spilo\"}"}, {"DCS_ENABLE_KUBERNETES_API",
        "true"}, {"PGVERSION", "15"}, {"SPILO_CONFIGURATION", "{\"bootstrap\":{\"initdb\":"
        + "[{\"auth-host\":\"md5\"},{\"auth-local\":\"trust\"}],\"dcs\":{\"ttl\":30,"
        + "\"loop_wait\":10,\"retry_timeout\":10,\"maximum_lag_on_failover\":33554432,"
        + "\"postgresql\":{\"parameters\":{\"max_connections\":\"100\",\"shared_buffers\":"
        + "\"128MB\",\"wal_level\":\"replica\",\"hot_standby\":\"on\",\"max_wal_senders\":"
        + "\"10\",\"max_replication_slots\":\"10\",\"wal_log_hints\":\"on\"}}}},"
        + "\"postgresql\":{\"pg_hba\":[\"local all all trust\",\"hostssl all all 0.0.0.0/0 md5\","
        + "\"host all all 0.0.0.0/0 md5\"]}}"}};
    for (String[] kv : plain) {
      env.add(new EnvVarBuilder().withName(kv[0]).withValue(kv[1]).build());
    }
    Container postgres = new ContainerBuilder().withName("postgres")
        .withImage("registry.example/spilo-15:3.0-p1").withImagePullPolicy("IfNotPresent")
        .withEnv(env)
        .addNewPort().withContainerPort(8008).withProtocol("TCP").endPort()
        .addNewPort().withContainerPort(5432).withProtocol("TCP").endPort()
        .addNewPort().withContainerPort(8080).withProtocol("TCP").endPort()
        .withNewResources().addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("1Gi"))
        .endResources()
        .withNewReadinessProbe().withNewHttpGet().withPath("/readiness").withNewPort(8008)
        .withScheme("HTTP").endHttpGet().withInitialDelaySeconds(6).withPeriodSeconds(10)
        .withTimeoutSeconds(5).withFailureThreshold(3).withSuccessThreshold(1)
        .endReadinessProbe()
        .addNewVolumeMount().withName("pgdata").withMountPath("/home/postgres/pgdata")
        .endVolumeMount()
        .addNewVolumeMount().withName("dshm").withMountPath("/dev/shm").endVolumeMount()
        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withPrivileged(false)
        .withReadOnlyRootFilesystem(false).endSecurityContext()
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("File").build();
    return common(new PodSpecBuilder().withContainers(postgres)
        .addNewVolume().withName("pgdata").withNewPersistentVolumeClaim()
        .withClaimName("pgdata-" + CLUSTER).endPersistentVolumeClaim().endVolume()
        .addNewVolume().withName("dshm").withNewEmptyDir().withMedium("Memory").endEmptyDir()
        .endVolume().withServiceAccountName("postgres-pod")
        .withNewAffinity().withNewPodAntiAffinity()
        .addNewRequiredDuringSchedulingIgnoredDuringExecution().withNewLabelSelector()
        .addToMatchLabels("cluster-name", CLUSTER).endLabelSelector()
        .withTopologyKey("kubernetes.io/hostname")
        .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity())
        .build();
  }

  private static PodSpecBuilder common(PodSpecBuilder spec) {
    return spec.withRestartPolicy("Always").withTerminationGracePeriodSeconds(30L)
        .withDnsPolicy("ClusterFirst").withSchedulerName("default-scheduler")
        .withEnableServiceLinks(true).withPreemptionPolicy("PreemptLowerPriority")
        .withPriority(0).withNewSecurityContext().withRunAsNonRoot(true)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists")
        .withEffect("NoExecute").withTolerationSeconds(300L).endToleration()
        .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
        .withEffect("NoExecute").withTolerationSeconds(300L).endToleration();
  }

  private Volume serviceAccountToken() {
    return new VolumeBuilder().withName("kube-api-access-" + hex(5)).withNewProjected()
        .withDefaultMode(420)
        .addNewSource().withNewServiceAccountToken().withExpirationSeconds(3607L)
        .withPath("token").endServiceAccountToken().endSource()
        .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem()
        .withKey("ca.crt").withPath("ca.crt").endItem().endConfigMap().endSource()
        .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace")
        .withNewFieldRef().withApiVersion("v1").withFieldPath("metadata.namespace").endFieldRef()
        .endItem().endDownwardAPI().endSource().endProjected().build();
  }

  private static EnvVar secretEnv(String name, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(APP + "-creds").withKey(key).endSecretKeyRef().endValueFrom().build();
  }

  private static EnvVar fieldEnv(String name, String path) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef()
        .withApiVersion("v1").withFieldPath(path).endFieldRef().endValueFrom().build();
  }

  private static OwnerReference owner(String apiVersion, String kind, String name, String uid) {
    return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name)
        .withUid(uid).withController(true).withBlockOwnerDeletion(true).build();
  }

  private static Map<String, String> withoutHash(Map<String, String> labels) {
    Map<String, String> copy = new HashMap<>(labels);
    copy.remove("pod-template-hash");
    return copy;
  }

  /** Base64 of a PEM block of about {@code chars} characters. */
  private String pem(String type, int chars) {
    byte[] body = new byte[chars * 3 / 4];
    random.nextBytes(body);
    String pem = "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(body)
        + "\n-----END " + type + "-----\n";
    return Base64.getEncoder().encodeToString(pem.getBytes());
  }

  private String hex(int chars) {
    StringBuilder s = new StringBuilder();
    while (s.length() < chars) {
      s.append(Long.toHexString(random.nextLong()));
    }
    return s.substring(0, chars);
  }
}
