package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Helm chart, linted and rendered by the real Helm library (helm-java), read as objects. */
class HelmChartTest {

  static final String IMAGE = "ghcr.io/dbmigration/database-migration-operator:0.1.0";
  static final String NAME = Chart.RELEASE;

  /** Every value set to something other than its default (and a valid combination). */
  static final Map<String, Object> NON_DEFAULT = Map.ofEntries(
      Map.entry("image", Map.of("repository", "registry.example/dmo", "tag", "0.1.1",
          "pullPolicy", "Always")),
      Map.entry("imagePullSecrets", List.of(Map.of("name", "registry-creds"))),
      Map.entry("watchNamespaces", List.of("wps-pr-1234", "wps-pr-1235")),
      Map.entry("rbac", Map.of("scope", "namespaced")),
      // leaderElection.enabled stays at its default: more than one replica needs it.
      Map.entry("replicas", 2),
      Map.entry("resources", Map.of("requests", Map.of("cpu", "200m", "memory", "384Mi"),
          "limits", Map.of("memory", "768Mi"))),
      Map.entry("logFormat", "json"),
      Map.entry("metrics", Map.of("enabled", true, "port", 9090, "serviceMonitor",
          Map.of("enabled", true, "interval", "15s", "labels", Map.of("release", "prom")),
          "prometheusRule", Map.of("enabled", true, "labels", Map.of("release", "prom"),
              "waitingForDatabaseFor", "1h", "alertLabels", Map.of("team", "platform"),
              "selector", "job=\"dmo\""),
          "grafanaDashboard", Map.of("enabled", true, "labels", Map.of("grafana_dashboard", "1"),
              "annotations", Map.of("grafana_folder", "Databases"),
              "namespace", "monitoring"))),
      Map.entry("serviceAccount", Map.of("create", false, "name", "platform-operator")),
      Map.entry("nodeSelector", Map.of("kubernetes.io/os", "linux")),
      Map.entry("tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal",
          "value", "operators", "effect", "NoSchedule"))));

  @Test
  void lintPassesWithTheDefaultValues() throws Exception {
    assertLintClean(Chart.lint(Map.of()));
  }

  @Test
  void lintPassesWithNonDefaultValues() throws Exception {
    assertLintClean(Chart.lint(NON_DEFAULT));
  }

  @Test
  void defaultsRenderTheOperatorWithAClusterWideGrantAndTheCrdFromCrdsDir() {
    List<HasMetadata> objects = Chart.template(Map.of());

    assertThat(Manifests.kinds(objects)).containsExactly("ClusterRole", "ClusterRoleBinding",
        "Deployment", "Role", "RoleBinding", "ServiceAccount");
    assertThat(objects).allSatisfy(o -> {
      if (!(o instanceof ClusterRole) && !(o instanceof ClusterRoleBinding)) {
        assertThat(o.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
      }
    });

    // helm installs the CRD from the chart's crds/ (helm template leaves it out; show crds has it)
    List<HasMetadata> crds = Manifests.parse(Chart.showCrds());
    assertThat(crds).singleElement().isInstanceOfSatisfying(CustomResourceDefinition.class,
        crd -> assertThat(crd.getMetadata().getName()).isEqualTo("databasemigrations.dbmigration.dev"));

    ServiceAccount account = Manifests.single(objects, ServiceAccount.class);
    ClusterRole role = Manifests.single(objects, ClusterRole.class);
    ClusterRoleBinding binding = Manifests.single(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> isAccount(s, account));

    Deployment deployment = Manifests.single(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
    Container operator = operator(deployment);
    assertThat(operator.getImage()).isEqualTo(IMAGE);
    assertThat(operator.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(operator.getArgs()).isNullOrEmpty();
    assertThat(env(operator)).containsExactly(
        Map.entry("WATCH_NAMESPACES", ""), Map.entry("DATABASE_CHECK", "required"),
        Map.entry("HEALTH_PORT", "8081"),
        Map.entry("METRICS_PORT", "8080"), Map.entry("LOG_FORMAT", "text"),
        // The lock sidecar's image is the operator's own.
        Map.entry("OPERATOR_IMAGE", IMAGE),
        Map.entry("LEADER_ELECTION", "true"),
        Map.entry("LEADER_ELECTION_LEASE", "database-migration-operator"),
        Map.entry("POD_NAME", "<from metadata.name>"),
        Map.entry("POD_NAMESPACE", "<from metadata.namespace>"),
        Map.entry("POD_UID", "<from metadata.uid>"));
    assertOperatorPodEssentials(pod);
  }

  /** What deploy/ and the chart both promise about the operator's pod. */
  static void assertOperatorPodEssentials(PodSpec pod) {
    Container operator = pod.getContainers().get(0);
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(port(operator, operator.getLivenessProbe().getHttpGet().getPort())).isEqualTo(8081);
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(port(operator, operator.getReadinessProbe().getHttpGet().getPort())).isEqualTo(8081);

    assertThat(operator.getResources().getRequests())
        .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", new Quantity("100m"),
            "memory", new Quantity("256Mi")));
    assertThat(operator.getResources().getLimits())
        .containsExactlyInAnyOrderEntriesOf(Map.of("memory", new Quantity("512Mi")));

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSecurityContext().getRunAsUser()).as("no fixed UID (OpenShift)").isNull();
    assertThat(pod.getSecurityContext().getFsGroup()).isNull();
    var security = operator.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getRunAsUser()).as("no fixed UID (OpenShift)").isNull();
    assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);

    assertThat(operator.getVolumeMounts()).singleElement().satisfies(mount -> {
      assertThat(mount.getMountPath()).isEqualTo("/tmp");
      assertThat(pod.getVolumes()).singleElement().satisfies(volume -> {
        assertThat(volume.getName()).isEqualTo(mount.getName());
        assertThat(volume.getEmptyDir()).isNotNull();
      });
    });
  }

  @Test
  void namespacedScopeGrantsARoleInEachWatchedNamespaceAndClusterWideOnlyTheCrdRead() {
    List<HasMetadata> objects = Chart.template(Map.of("rbac", Map.of("scope", "namespaced"),
        "watchNamespaces", List.of("team-a", "team-b")));

    assertThat(Manifests.grants(Manifests.single(objects, ClusterRole.class).getRules()))
        .containsExactly(InstallRbacTest.CRD_CHECK);
    assertThat(Manifests.single(objects, ClusterRoleBinding.class).getRoleRef().getName())
        .isEqualTo(Manifests.single(objects, ClusterRole.class).getMetadata().getName());
    List<Role> roles = Manifests.workGrants(objects, Role.class);
    List<RoleBinding> bindings = Manifests.workGrants(objects, RoleBinding.class);
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(bindings).extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    ServiceAccount account = Manifests.single(objects, ServiceAccount.class);
    for (RoleBinding binding : bindings) {
      Role role = roles.stream().filter(r -> r.getMetadata().getNamespace()
          .equals(binding.getMetadata().getNamespace())).findFirst().orElseThrow();
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> isAccount(s, account));
    }
    assertThat(env(operator(Manifests.single(objects, Deployment.class))))
        .containsEntry("WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void namespacedScopeWithoutNamespacesFailsWithAClearMessage() {
    assertThatThrownBy(() -> Chart.render(Map.of("rbac", Map.of("scope", "namespaced"))))
        .hasMessageContaining("rbac.scope=namespaced")
        .hasMessageContaining("watchNamespaces must list at least one namespace");
  }

  @Test
  void watchNamespacesWithClusterScopeKeepsTheClusterRole() {
    List<HasMetadata> objects = Chart.template(Map.of("watchNamespaces", List.of("team-a")));

    assertThat(Manifests.kinds(objects)).containsExactly("ClusterRole", "ClusterRoleBinding",
        "Deployment", "Role", "RoleBinding", "ServiceAccount");
    assertThat(Manifests.workGrants(objects, Role.class)).isEmpty();
    assertThat(env(operator(Manifests.single(objects, Deployment.class))))
        .containsEntry("WATCH_NAMESPACES", "team-a");
  }

  @Test
  void leaderElectionHoldsALeaseInTheReleaseNamespaceWithARoleThere() {
    List<HasMetadata> objects = Chart.template("dmo", "dmo-system", Map.of("replicas", 2));

    Deployment deployment = Manifests.single(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(env(operator(deployment))).containsEntry("LEADER_ELECTION", "true")
        .containsEntry("LEADER_ELECTION_LEASE", "dmo-database-migration-operator")
        .containsEntry("POD_NAMESPACE", "<from metadata.namespace>")
        .containsEntry("POD_NAME", "<from metadata.name>");

    Role lease = Manifests.single(objects, Role.class);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("dmo-system");
    assertThat(Manifests.grants(lease.getRules())).containsExactlyInAnyOrder(
        "coordination.k8s.io leases create", "coordination.k8s.io leases get",
        "coordination.k8s.io leases patch", "coordination.k8s.io leases update",
        "coordination.k8s.io leases delete");
    RoleBinding binding = Manifests.single(objects, RoleBinding.class);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo("dmo-system");
    assertThat(binding.getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement()
        .satisfies(s -> isAccount(s, Manifests.single(objects, ServiceAccount.class)));
  }

  @Test
  void oneReplicaMayRunWithoutLeaderElectionAndThenHasNoLeaseGrant() {
    List<HasMetadata> objects = Chart.template(Map.of("leaderElection", Map.of("enabled", false)));

    Deployment deployment = Manifests.single(objects, Deployment.class);
    assertThat(env(operator(deployment))).containsEntry("LEADER_ELECTION", "false");
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(Manifests.ofKind(objects, Role.class)).isEmpty();
    assertThat(Manifests.ofKind(objects, RoleBinding.class)).isEmpty();
    assertThatThrownBy(() -> Chart.render(Map.of("replicas", 2,
        "leaderElection", Map.of("enabled", false))))
        .hasMessageContaining("replicas > 1 needs leaderElection.enabled=true");
  }

  @Test
  void logFormatReachesTheOperator() {
    assertThat(env(operator(Manifests.single(Chart.template(Map.of("logFormat", "json")),
        Deployment.class)))).containsEntry("LOG_FORMAT", "json");
  }

  @Test
  void metricsAddAContainerPortAndAServiceInFrontOfIt() {
    List<HasMetadata> objects = Chart.template(Map.of("metrics",
        Map.of("enabled", true, "port", 9090)));

    Deployment deployment = Manifests.single(objects, Deployment.class);
    assertThat(operator(deployment).getPorts())
        .anySatisfy(p -> {
          assertThat(p.getName()).isEqualTo("metrics");
          assertThat(p.getContainerPort()).isEqualTo(9090);
        });
    assertThat(env(operator(deployment))).containsEntry("METRICS_PORT", "9090");
    Service service = Manifests.single(objects, Service.class);
    assertThat(service.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(9090);
      assertThat(p.getTargetPort()).isEqualTo(new IntOrString("metrics"));
    });

    // The operator serves /metrics either way; the value adds the Service.
    assertThat(Manifests.ofKind(Chart.template(Map.of()), Service.class)).isEmpty();
    assertThat(operator(Manifests.single(Chart.template(Map.of()), Deployment.class)).getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("health:8081", "metrics:8080");
  }

  @Test
  void aServiceMonitorScrapesTheMetricsServiceOnRequest() {
    List<HasMetadata> objects = Chart.template(Map.of("metrics", Map.of("enabled", true,
        "serviceMonitor", Map.of("enabled", true, "interval", "15s",
            "labels", Map.of("release", "prom")))));

    Service service = Manifests.single(objects, Service.class);
    GenericKubernetesResource monitor = objects.stream()
        .filter(o -> o.getKind().equals("ServiceMonitor")).map(GenericKubernetesResource.class::cast)
        .findFirst().orElseThrow();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    Map<String, Object> spec = monitor.get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> selects = (Map<String, String>) ((Map<String, Object>) spec
        .get("selector")).get("matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selects);
    assertThat(selects).containsEntry("app.kubernetes.io/component", "metrics");
    // honorLabels: the operator's namespace label (the DatabaseMigration's) stays namespace.
    assertThat((List<?>) spec.get("endpoints")).singleElement().isEqualTo(
        Map.of("port", "metrics", "path", "/metrics", "interval", "15s", "honorLabels", true));

    assertThat(Chart.template(Map.of("metrics", Map.of("enabled", true))))
        .noneMatch(o -> o.getKind().equals("ServiceMonitor"));
    assertThatThrownBy(() -> Chart.render(Map.of("metrics",
        Map.of("serviceMonitor", Map.of("enabled", true)))))
        .hasMessageContaining("set metrics.enabled=true too");
  }

  @Test
  void thePrometheusRuleHasTheAlertsOnRequest() {
    assertThat(Manifests.kinds(Chart.template(Map.of()))).doesNotContain("PrometheusRule");

    GenericKubernetesResource rule = AlertRules.prometheusRule(Chart.template(Map.of("metrics",
        Map.of("prometheusRule", Map.of("enabled", true, "labels", Map.of("release", "prom"),
            "waitingForDatabaseFor", "45m", "alertLabels", Map.of("team", "platform"))))));

    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prom");
    List<Map<String, Object>> rules = AlertRules.rules(rule);
    assertThat(rules).extracting(r -> r.get("alert")).containsExactly(
        "DatabaseMigrationFailed", "DatabaseMigrationRunningPastDeadline",
        "DatabaseMigrationWaitingForDatabase", "DatabaseMigrationOperatorDown",
        "DatabaseMigrationOperatorNoLeader", "DatabaseMigrationOperatorNotReconciling");
    assertThat(rules).allSatisfy(r -> {
      assertThat((String) r.get("expr")).contains("job=\"" + NAME + "-metrics\"");
      assertThat(strings(r.get("labels"))).containsEntry("team", "platform")
          .containsKey("severity");
      assertThat(strings(r.get("annotations"))).containsKeys("summary", "description");
    });
    assertThat(rules).filteredOn(r -> r.get("alert").equals("DatabaseMigrationWaitingForDatabase"))
        .singleElement().satisfies(r -> assertThat(r.get("for")).isEqualTo("45m"));

    // Another scrape job: the selector replaces the ServiceMonitor's job everywhere.
    assertThat(AlertRules.rules(AlertRules.prometheusRule(Chart.template(Map.of("metrics",
        Map.of("prometheusRule", Map.of("enabled", true, "selector", "job=\"dbm\"")))))))
        .allSatisfy(r -> assertThat((String) r.get("expr")).contains("job=\"dbm\"")
            .doesNotContain("-metrics"));
  }

  @Test
  void theGrafanaDashboardIsAConfigMapForTheSidecarOnRequest() throws Exception {
    assertThat(Manifests.ofKind(Chart.template(Map.of()), ConfigMap.class)).isEmpty();

    ConfigMap dashboard = Manifests.single(Chart.template(Map.of("metrics",
        Map.of("grafanaDashboard", Map.of("enabled", true)))), ConfigMap.class);

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData()).containsOnlyKeys("database-migrations.json");
    JsonNode json = Serialization.jsonMapper()
        .readTree(dashboard.getData().get("database-migrations.json"));
    assertThat(json).isEqualTo(GrafanaDashboard.json());
    assertThat(json.get("uid").asText()).isEqualTo("dbmigration-operator");

    ConfigMap elsewhere = Manifests.single(Chart.template(Map.of("metrics",
        Map.of("grafanaDashboard", Map.of("enabled", true, "namespace", "monitoring",
            "labels", Map.of("dashboards", "grafana"),
            "annotations", Map.of("grafana_folder", "Databases"))))), ConfigMap.class);
    assertThat(elsewhere.getMetadata().getNamespace()).isEqualTo("monitoring");
    // Helm merges maps: another sidecar label comes on top of the default one.
    assertThat(elsewhere.getMetadata().getLabels()).containsEntry("dashboards", "grafana")
        .containsEntry("grafana_dashboard", "1");
    assertThat(elsewhere.getMetadata().getAnnotations())
        .containsEntry("grafana_folder", "Databases");
  }

  @Test
  void anExistingServiceAccountIsUsedWhenTheChartCreatesNone() {
    List<HasMetadata> objects = Chart.template(Map.of("serviceAccount",
        Map.of("create", false, "name", "platform-operator")));

    assertThat(Manifests.ofKind(objects, ServiceAccount.class)).isEmpty();
    assertThat(Manifests.single(objects, Deployment.class).getSpec().getTemplate().getSpec()
        .getServiceAccountName()).isEqualTo("platform-operator");
    assertThat(Manifests.single(objects, ClusterRoleBinding.class).getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("platform-operator"));
    assertThatThrownBy(() -> Chart.render(Map.of("serviceAccount", Map.of("create", false))))
        .hasMessageContaining("serviceAccount.name is required");
  }

  @Test
  void nonDefaultValuesReachTheDeployment() {
    Deployment deployment = Manifests.single(Chart.template(NON_DEFAULT), Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = operator(deployment);

    assertThat(operator.getImage()).isEqualTo("registry.example/dmo:0.1.1");
    assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
    assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName())
        .containsExactly("registry-creds");
    assertThat(operator.getResources().getRequests()).containsEntry("cpu", new Quantity("200m"));
    assertThat(operator.getResources().getLimits()).containsEntry("memory", new Quantity("768Mi"));
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("dedicated");
    assertThat(pod.getServiceAccountName()).isEqualTo("platform-operator");

    Deployment withAffinity = Manifests.single(Chart.template(Map.of("affinity",
        Map.of("nodeAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution",
            Map.of("nodeSelectorTerms", List.of(Map.of("matchExpressions", List.of(Map.of(
                "key", "node-role.example/operators", "operator", "Exists"))))))))),
        Deployment.class);
    assertThat(withAffinity.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
        .getMatchExpressions().get(0).getKey()).isEqualTo("node-role.example/operators");
  }

  static List<Object[]> invalidValues() {
    return List.of(
        new Object[] {Map.of("rbac", Map.of("scope", "bogus")), "/rbac/scope"},
        new Object[] {Map.of("replicas", 0), "/replicas"},
        new Object[] {Map.of("replicas", "two"), "/replicas"},
        new Object[] {Map.of("image", Map.of("pullPolicy", "Sometimes")), "/image/pullPolicy"},
        new Object[] {Map.of("watchNamespaces", "team-a"), "/watchNamespaces"},
        new Object[] {Map.of("metrics", Map.of("enabled", "yes")), "/metrics/enabled"},
        new Object[] {Map.of("metrics", Map.of("port", 70000)), "/metrics/port"},
        new Object[] {Map.of("metrics", Map.of("port", 8081)), "/metrics/port"},
        new Object[] {Map.of("metrics", Map.of("serviceMonitor", Map.of("interval", "often"))),
            "/metrics/serviceMonitor"},
        new Object[] {Map.of("metrics", Map.of("prometheusRule",
            Map.of("enabled", true, "waitingForDatabaseFor", "a while"))),
            "/metrics/prometheusRule/waitingForDatabaseFor"},
        new Object[] {Map.of("metrics", Map.of("prometheusRule", Map.of("enable", true))),
            "/metrics/prometheusRule"},
        new Object[] {Map.of("metrics", Map.of("grafanaDashboard",
            Map.of("enabled", true, "namespace", "Monitoring"))),
            "/metrics/grafanaDashboard/namespace"},
        new Object[] {Map.of("leaderElection", Map.of("enabled", "yes")),
            "/leaderElection/enabled"},
        new Object[] {Map.of("logFormat", "xml"), "/logFormat"},
        new Object[] {Map.of("serviceAccount", Map.of("create", "true")), "/serviceAccount/create"},
        new Object[] {Map.of("replica", 2), "replica"},
        new Object[] {Map.of("tolerations", Map.of("key", "x")), "/tolerations"});
  }

  @ParameterizedTest(name = "{0} is rejected at {1}")
  @MethodSource("invalidValues")
  void theSchemaRejectsInvalidValues(Map<String, Object> values, String where) {
    assertThatThrownBy(() -> Chart.render(values))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(where);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> strings(Object map) {
    return (Map<String, String>) map;
  }

  private static void assertLintClean(LintResult result) {
    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  private static void isAccount(Subject subject, ServiceAccount account) {
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
    assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
  }

  static Container operator(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** Literal environment values in order (a value from elsewhere maps to null). */
  static Map<String, String> env(Container container) {
    return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName,
        e -> e.getValue() != null ? e.getValue()
            : e.getValueFrom().getFieldRef() != null
                ? "<from " + e.getValueFrom().getFieldRef().getFieldPath() + ">"
                : "<from " + e.getValueFrom() + ">",
        (a, b) -> b, java.util.LinkedHashMap::new));
  }

  /** A probe's port, a number or the name of one of the container's ports. */
  static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
        .findFirst().orElseThrow(() -> new AssertionError("no port named " + port.getStrVal()))
        .getContainerPort();
  }
}
