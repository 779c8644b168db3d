package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.runtime.InstalledCrdCheck;
import dev.dbmigration.operator.runtime.LeaderElectionSettings;
import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.CapturedLog;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.ServiceAccountClients;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The install artifacts on the real kube-apiserver (RBAC authorization on, and the
 * OwnerReferencesPermissionEnforcement admission plugin OpenShift runs): the real operator,
 * holding only a token of the ServiceAccount that deploy/ (or the chart) binds, runs a migration
 * end to end; without one of the grants it cannot make the Job.
 */
class DeployRbacIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String LEADER_IP = "127.0.0.31";

  static KubernetesClient admin;
  static TestCluster cluster;
  /** What {@code kubectl apply -k deploy/} applies: the real kubectl's kustomize output. */
  static List<HasMetadata> deploy;

  @BeforeAll
  static void installWithKubectlApplyK() throws Exception {
    admin = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(admin);
    cluster = new TestCluster(admin);
    deploy = kustomize(Manifests.DEPLOY);
    // What the README tells a platform team to run; kubectl's kustomize builds the same objects.
    // --force-conflicts: applyCrd (another field manager) has applied the CRD already.
    kubectl("apply", "--server-side", "--force-conflicts", "-k", Manifests.DEPLOY.toString());
    for (HasMetadata object : deploy) {
      assertThat(admin.resource(object).get()).as("%s applied", object.getFullResourceName())
          .isNotNull();
    }
  }

  @AfterAll
  static void close() {
    if (admin != null) {
      admin.close();
    }
  }

  /** As deployed: leader election on, holding its Lease with base/leader-election.yaml's Role. */
  @Test
  void withOnlyDeploysGrantTheOperatorHoldsItsLeaseAndRunsAMigrationToSucceeded() {
    ServiceAccount account = Manifests.single(deploy, ServiceAccount.class);
    String operatorNamespace = account.getMetadata().getNamespace();
    LeaderElectionSettings election = lease(operatorNamespace, "deploy-operator-0");
    try (OperatorAs operator = OperatorAs.start(account, Set.of(), election)) {
      operator.assertNotAdmin();
      awaitHolder(election);
      assertThat(operator.operator().installedCrd()).as("compared the installed CRD with its own")
          .isEqualTo(InstalledCrdCheck.State.CURRENT);

      String ns = environment("rbac-ok");
      runsToSucceeded(ns);
    }
  }

  /**
   * Reading the CRD is the one grant the operator can do without: it then cannot tell a stale CRD,
   * says so once in a warning, and is ready and runs migrations all the same.
   */
  @Test
  void withoutTheCrdGrantTheOperatorWarnsThatItCannotCheckAndWorks() {
    String suffix = "-without-crd-get";
    ServiceAccount account = Serialization.clone(Manifests.single(deploy, ServiceAccount.class));
    account.getMetadata().setName(account.getMetadata().getName() + suffix);
    ClusterRole role = Serialization.clone(Manifests.single(deploy, ClusterRole.class));
    role.getMetadata().setName(role.getMetadata().getName() + suffix);
    assertThat(role.getRules().removeIf(
        r -> r.getResources().contains("customresourcedefinitions"))).isTrue();
    ClusterRoleBinding binding = Serialization.clone(Manifests.single(deploy,
        ClusterRoleBinding.class));
    binding.getMetadata().setName(binding.getMetadata().getName() + suffix);
    binding.getRoleRef().setName(role.getMetadata().getName());
    binding.getSubjects().get(0).setName(account.getMetadata().getName());
    apply(account);
    apply(role);
    apply(binding);

    try (CapturedLog log = CapturedLog.start();
         OperatorAs operator = OperatorAs.start(account, Set.of())) {
      assertThat(operator.operator().installedCrd()).isEqualTo(InstalledCrdCheck.State.FORBIDDEN);
      assertThat(log.warnings()).filteredOn(w -> w.contains("cannot read CustomResourceDefinition"))
          .hasSize(1);

      runsToSucceeded(environment("rbac-no-crd-get"));
    }
  }

  /** The grant is checked: a Lease in a namespace without the Role stops the start. */
  @Test
  void withoutTheLeaseGrantTheOperatorDoesNotStart() {
    ServiceAccount account = Manifests.single(deploy, ServiceAccount.class);
    String elsewhere = cluster.newNamespace("no-lease-grant");

    assertThatThrownBy(() -> OperatorAs.start(account, Set.of(),
        lease(elsewhere, "deploy-operator-1")).close())
        .hasStackTraceContaining("No permission to lease resource")
        .hasStackTraceContaining("missing required verbs: [create, update, get]");
  }

  /**
   * The test can fail: a copy of deploy's ClusterRole without one grant that making a Job needs
   * leaves the resource without a Job and not Running, and the operator's log names the refusal.
   */
  @ParameterizedTest(name = "without {1} on {0}")
  @CsvSource(delimiter = '|', value = {
      "jobs                          | create | cannot create resource \"jobs\" in API group \"batch\"",
      "databasemigrations/finalizers | update | cannot set blockOwnerDeletion"})
  void withoutAGrantTheOperatorCannotMakeTheJob(String resource, String verb, String refusal) {
    String suffix = "-without-" + verb + "-" + resource.replace('/', '-');
    ServiceAccount account = Serialization.clone(Manifests.single(deploy, ServiceAccount.class));
    account.getMetadata().setName(account.getMetadata().getName() + suffix);
    ClusterRole role = Serialization.clone(Manifests.single(deploy, ClusterRole.class));
    role.getMetadata().setName(role.getMetadata().getName() + suffix);
    PolicyRule rule = role.getRules().stream().filter(r -> r.getResources().contains(resource))
        .findFirst().orElseThrow();
    assertThat(rule.getResources()).containsExactly(resource);
    assertThat(rule.getVerbs()).contains(verb);
    rule.setVerbs(new ArrayList<>(rule.getVerbs()));
    rule.getVerbs().remove(verb);
    if (rule.getVerbs().isEmpty()) {
      role.getRules().remove(rule);
    }
    ClusterRoleBinding binding = Serialization.clone(Manifests.single(deploy,
        ClusterRoleBinding.class));
    binding.getMetadata().setName(binding.getMetadata().getName() + suffix);
    binding.getRoleRef().setName(role.getMetadata().getName());
    binding.getSubjects().get(0).setName(account.getMetadata().getName());
    apply(account);
    apply(role);
    apply(binding);

    try (CapturedLog log = CapturedLog.start();
         OperatorAs operator = OperatorAs.start(account, Set.of())) {
      operator.assertNotAdmin();
      String ns = environment("rbac-no-" + verb);

      await("the operator's log names the refusal").atMost(TIMEOUT)
          .until(() -> log.warnings().stream().anyMatch(l -> l.contains(refusal) && l.contains(ns)));
      await("no Job in " + ns).during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> cluster.jobs(ns).isEmpty());
      DatabaseMigrationStatus status = status(ns);
      assertThat(status == null ? null : status.getPhase()).isNotEqualTo(Phase.Running);
    }
  }

  /**
   * Delete on Jobs serves one purpose, ending a run whose pod cannot start: an operator granted
   * everything but that still ends the run (Failed, PodNotStarting) and its log names the Job it
   * had to leave.
   */
  @Test
  void withoutDeleteOnJobsARunThatCannotStartStillEndsAndTheJobIsLeftWithALogLine() {
    String suffix = "-without-delete-jobs";
    ServiceAccount account = Serialization.clone(Manifests.single(deploy, ServiceAccount.class));
    account.getMetadata().setName(account.getMetadata().getName() + suffix);
    ClusterRole role = Serialization.clone(Manifests.single(deploy, ClusterRole.class));
    role.getMetadata().setName(role.getMetadata().getName() + suffix);
    PolicyRule jobs = role.getRules().stream().filter(r -> r.getResources().contains("jobs"))
        .findFirst().orElseThrow();
    jobs.setVerbs(new ArrayList<>(jobs.getVerbs()));
    assertThat(jobs.getVerbs().remove("delete")).isTrue();
    ClusterRoleBinding binding = Serialization.clone(Manifests.single(deploy,
        ClusterRoleBinding.class));
    binding.getMetadata().setName(binding.getMetadata().getName() + suffix);
    binding.getRoleRef().setName(role.getMetadata().getName());
    binding.getSubjects().get(0).setName(account.getMetadata().getName());
    apply(account);
    apply(role);
    apply(binding);

    try (CapturedLog log = CapturedLog.start();
         OperatorAs operator = OperatorAs.start(account, Set.of())) {
      String ns = environment("rbac-no-delete");
      Job job = await("the operator's Job in " + ns).atMost(TIMEOUT)
          .until(() -> cluster.jobs(ns), j -> j.size() == 1).get(0);
      await("Running").atMost(TIMEOUT)
          .until(() -> status(ns), s -> s != null && s.getPhase() == Phase.Running);

      cluster.createStuckJobPod(job, "ErrImageNeverPull",
          "Container image \"" + job.getSpec().getTemplate().getSpec().getContainers().get(0)
              .getImage() + "\" is not present with pull policy of Never");

      DatabaseMigrationStatus failed = await("Failed").atMost(TIMEOUT)
          .until(() -> status(ns), s -> s != null && s.getPhase() == Phase.Failed);
      assertThat(failed.getMessage()).contains("ErrImageNeverPull");
      assertThat(cluster.jobs(ns)).extracting(j -> j.getMetadata().getName())
          .containsExactly(job.getMetadata().getName());
      await("the log names the Job left").atMost(TIMEOUT).until(() -> log.lines().stream()
          .anyMatch(l -> l.contains("cannot remove Job " + job.getMetadata().getName())));
    }
  }

  @Test
  void theChartsNamespacedGrantSufficesForAnOperatorWatchingThoseNamespaces() {
    String release = cluster.newNamespace("dmo-system");
    String first = cluster.newNamespace("team");
    String second = cluster.newNamespace("team");
    List<HasMetadata> chart = Chart.template("dmo", release, Map.of(
        "rbac", Map.of("scope", "namespaced"), "watchNamespaces", List.of(first, second)));
    assertThat(Manifests.grants(Manifests.single(chart, ClusterRole.class).getRules()))
        .as("cluster-wide, only the read of the operator's own CRD")
        .containsExactly(InstallRbacTest.CRD_CHECK);
    ServiceAccount account = Manifests.single(chart, ServiceAccount.class);
    apply(account);
    Manifests.ofKind(chart, Role.class).forEach(DeployRbacIT::apply);
    Manifests.ofKind(chart, RoleBinding.class).forEach(DeployRbacIT::apply);
    apply(Manifests.single(chart, ClusterRole.class));
    apply(Manifests.single(chart, ClusterRoleBinding.class));

    LeaderElectionSettings election = lease(release, "chart-operator-0");
    try (OperatorAs operator = OperatorAs.start(account, Set.of(first, second), election)) {
      operator.assertNotAdmin();
      awaitHolder(election);
      assertThat(operator.operator().installedCrd()).isEqualTo(InstalledCrdCheck.State.CURRENT);
      String outside = cluster.newNamespace("outside");
      assertThatThrownBy(() -> operator.client().pods().inNamespace(outside).list())
          .as("nothing is granted outside the watched namespaces")
          .isInstanceOfSatisfying(KubernetesClientException.class,
              e -> assertThat(e.getCode()).isEqualTo(403));

      runsToSucceeded(environmentIn(second));
    }
  }

  @Test
  void theNamespacedOverlayBuildsWithARoleInEachWatchedNamespaceAndOnlyTheCrdReadClusterWide()
      throws Exception {
    List<HasMetadata> overlay = kustomize(Manifests.DEPLOY.resolve("namespaced"));

    assertThat(Manifests.grants(Manifests.single(overlay, ClusterRole.class).getRules()))
        .containsExactly(InstallRbacTest.CRD_CHECK);
    assertThat(Manifests.single(overlay, ClusterRoleBinding.class).getRoleRef().getName())
        .isEqualTo(Manifests.single(overlay, ClusterRole.class).getMetadata().getName());
    List<Role> roles = Manifests.workGrants(overlay, Role.class);
    String watched = Manifests.single(overlay, ConfigMap.class).getData().get("WATCH_NAMESPACES");
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder(watched.split(","));
    Set<String> clusterGrants = new java.util.TreeSet<>(Manifests.grants(
        Manifests.single(deploy, ClusterRole.class).getRules()));
    clusterGrants.remove(InstallRbacTest.CRD_CHECK);
    assertThat(roles).allSatisfy(r -> assertThat(Manifests.grants(r.getRules()))
        .isEqualTo(clusterGrants));
    ServiceAccount account = Manifests.single(overlay, ServiceAccount.class);
    assertThat(Manifests.workGrants(overlay, RoleBinding.class)).hasSameSizeAs(roles)
        .allSatisfy(b -> assertThat(b.getSubjects()).singleElement().satisfies(s -> {
          assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
          assertThat(s.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
        }));
    assertThat(Manifests.single(deploy, ConfigMap.class).getData())
        .containsEntry("WATCH_NAMESPACES", "");
  }

  @Test
  void everythingTheChartInstallsIsAcceptedByTheApiServer() {
    // A release of its own: deploy/'s objects hold the default names (and a Deployment's
    // selector cannot change), so the chart cannot take them over in place.
    String release = cluster.newNamespace("dmo-chart");
    List<HasMetadata> all = new ArrayList<>(Manifests.parse(Chart.showCrds()));
    all.addAll(Chart.template("dmo", release, Map.of(
        "metrics", Map.of("enabled", true, "port", 8080), "replicas", 2)));
    assertThat(Manifests.kinds(all)).contains("CustomResourceDefinition", "Deployment",
        "Service", "Role", "RoleBinding");
    for (HasMetadata object : all) {
      admin.resource(object).dryRun().fieldManager("install-check").forceConflicts()
          .serverSideApply();
    }
  }

  /** The namespace enforces the restricted profile; a pod from each Deployment passes it. */
  @Test
  void theOperatorPodIsAdmittedUnderTheRestrictedPodSecurityStandard() {
    String ns = Manifests.single(deploy, Namespace.class).getMetadata().getName();
    assertThat(Manifests.single(deploy, Namespace.class).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    Deployment fromDeploy = Manifests.single(deploy, Deployment.class);
    Deployment fromChart = Manifests.single(Chart.template(Map.of()), Deployment.class);

    for (Deployment deployment : List.of(fromDeploy, fromChart)) {
      admin.resource(podOf(deployment, ns)).dryRun().create();
    }

    Pod root = podOf(fromDeploy, ns);
    root.getSpec().getSecurityContext().setRunAsNonRoot(null);
    assertThatThrownBy(() -> admin.resource(root).dryRun().create())
        .as("the check bites: without runAsNonRoot the pod is refused")
        .hasMessageContaining("violates PodSecurity \"restricted");
  }

  // --- helpers

  /** A Lease of its own per operator started, so that none waits for a stopped one's to expire. */
  static LeaderElectionSettings lease(String namespace, String identity) {
    return LeaderElectionSettings.of("dmo-" + UUID.randomUUID().toString().substring(0, 8),
        namespace, identity);
  }

  /**
   * The operator holds its Lease and has renewed it since: renewing needs a grant (patch) that
   * taking it does not, and an operator that cannot renew loses its Lease after 10 s.
   */
  static void awaitHolder(LeaderElectionSettings election) {
    await("the operator holds and renews its Lease").atMost(TIMEOUT).until(() ->
        admin.leases().inNamespace(election.namespace()).withName(election.leaseName()).get(),
        lease -> lease != null && election.identity().equals(lease.getSpec().getHolderIdentity())
            && !lease.getSpec().getRenewTime().equals(lease.getSpec().getAcquireTime()));
  }

  static Pod podOf(Deployment deployment, String namespace) {
    return new PodBuilder()
        .withNewMetadata().withGenerateName("pod-security-check-").withNamespace(namespace)
        .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
        .withSpec(Serialization.clone(deployment.getSpec().getTemplate().getSpec()))
        .build();
  }

  /** A namespace with the seed's Secret and a Running, Ready Patroni leader at a loopback IP. */
  static String environment(String prefix) {
    return environmentIn(cluster.newNamespace(prefix));
  }

  static String environmentIn(String ns) {
    cluster.createSeedSecret(ns, "app-creds");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), LEADER_IP);
    cluster.apply(Fixtures.migration(ns, "app"));
    return ns;
  }

  /** The operator makes the Job; the test finishes it as the Job controller would. */
  static void runsToSucceeded(String ns) {
    Job job = await("the operator's Job in " + ns).atMost(TIMEOUT)
        .until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getBlockOwnerDeletion()).isTrue());
    await("Running").atMost(TIMEOUT)
        .until(() -> status(ns), s -> s != null && s.getPhase() == Phase.Running);

    cluster.completeJob(ns, job.getMetadata().getName());

    await("Succeeded").atMost(TIMEOUT)
        .until(() -> status(ns), s -> s != null && s.getPhase() == Phase.Succeeded);
    // A run's start has no Event of its own (the status and the Job's Events say it).
    await("the operator's Events").atMost(TIMEOUT).untilAsserted(() ->
        assertThat(admin.v1().events().inNamespace(ns).list().getItems())
            .extracting(Event::getReason).contains("MigrationSucceeded")
            .doesNotContain("MigrationRunning"));
  }

  static DatabaseMigrationStatus status(String ns) {
    DatabaseMigration dbm = admin.resources(DatabaseMigration.class).inNamespace(ns)
        .withName("app").get();
    return dbm == null ? null : dbm.getStatus();
  }

  /** The real operator, in-process, with a client that holds only the account's token. */
  record OperatorAs(KubernetesClient client, MigrationOperator operator) implements AutoCloseable {

    static OperatorAs start(ServiceAccount account, Set<String> namespaces) {
      return start(account, namespaces, null);
    }

    static OperatorAs start(ServiceAccount account, Set<String> namespaces,
        LeaderElectionSettings election) {
      KubernetesClient client = clientFor(account);
      // Best-effort: nothing listens at the leader's loopback address; this proves the grants,
      // not the database (DatabaseNotReadyIT proves the default waits for one).
      MigrationOperator operator = new MigrationOperator(client,
          new OperatorSettings(namespaces, 0).withDatabaseCheck(DatabaseCheckMode.BEST_EFFORT)
              .withLeaderElection(election));
      OperatorAs started = new OperatorAs(client, operator);
      try {
        operator.start();
        await("operator informers synced").atMost(Duration.ofSeconds(60))
            .until(operator::isReady);
      } catch (RuntimeException e) {
        started.close();
        throw e;
      }
      return started;
    }

    /** The token is the ServiceAccount's, not an admin's: listing namespaces is refused. */
    void assertNotAdmin() {
      assertThatThrownBy(() -> client.namespaces().list())
          .isInstanceOfSatisfying(KubernetesClientException.class,
              e -> assertThat(e.getCode()).isEqualTo(403));
    }

    @Override
    public void close() {
      operator.close();
      client.close();
    }
  }

  /**
   * A client that authenticates with nothing but a token of the account, from the TokenRequest
   * API; the API server and its CA come from the admin kubeconfig, the admin's certificate not.
   */
  static KubernetesClient clientFor(ServiceAccount account) {
    return ServiceAccountClients.clientFor(admin, account.getMetadata().getNamespace(),
        account.getMetadata().getName());
  }

  static void apply(HasMetadata object) {
    HasMetadata copy = Serialization.clone(object);
    copy.getMetadata().setResourceVersion(null);
    admin.resource(copy).fieldManager("install-test").forceConflicts().serverSideApply();
  }

  /** {@code kubectl kustomize DIR}: what {@code kubectl apply -k DIR} would apply. */
  static List<HasMetadata> kustomize(Path dir) throws IOException, InterruptedException {
    return Manifests.parse(kubectl("kustomize", dir.toString()));
  }

  /** The real kubectl that hack/kube-binaries builds, as the admin of the test API server. */
  static String kubectl(String... args) throws IOException, InterruptedException {
    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    try {
      Files.writeString(kubeconfig, KubeApiServerSupport.kubeConfigYaml());
      List<String> command = new ArrayList<>(List.of(
          KubeApiServerSupport.binaryDir().resolve("kubectl").toString(),
          "--kubeconfig", kubeconfig.toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("kubectl %s", String.join(" ", args)).isZero();
      return out;
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }
}
