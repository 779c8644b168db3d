package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The operator's permissions are written three times (deploy/rbac.yaml, deploy/namespaced/'s
 * Role, the chart's rules): they must grant exactly the same, and exactly what the operator uses.
 */
class InstallRbacTest {

  static final Path DEPLOY_RBAC = Manifests.DEPLOY.resolve("rbac.yaml");
  static final Path NAMESPACED_RBAC =
      Manifests.DEPLOY.resolve("namespaced/watched-namespace/rbac.yaml");
  static final Path NAMESPACED_CRD_CHECK = Manifests.DEPLOY.resolve("namespaced/crd-check.yaml");

  /** Reading its own CRD, by name, to compare it with its own: cluster-scoped, so no Role's. */
  static final String CRD_CHECK =
      "apiextensions.k8s.io customresourcedefinitions get databasemigrations.dbmigration.dev";

  /** What the in-cluster operator calls; deploy/rbac.yaml gives the reason for each grant. */
  static final Set<String> OPERATOR_GRANTS = Set.of(
      "dbmigration.dev databasemigrations get",
      "dbmigration.dev databasemigrations list",
      "dbmigration.dev databasemigrations watch",
      "dbmigration.dev databasemigrations patch",
      "dbmigration.dev databasemigrations/status get",
      "dbmigration.dev databasemigrations/status update",
      "dbmigration.dev databasemigrations/finalizers update",
      "batch jobs list",
      "batch jobs watch",
      "batch jobs create",
      "batch jobs delete",
      "core pods list",
      "core pods watch",
      "core pods/log get",
      "apps deployments list",
      "apps deployments watch",
      "apps statefulsets list",
      "apps statefulsets watch",
      "core secrets get",
      "core secrets list",
      "core secrets watch",
      "core configmaps get",
      "core configmaps create",
      "core configmaps update",
      "core events create",
      "core events patch",
      CRD_CHECK);

  static ClusterRole deployClusterRole() {
    return Manifests.single(Manifests.load(DEPLOY_RBAC), ClusterRole.class);
  }

  @Test
  void deployGrantsExactlyWhatTheOperatorUses() {
    assertThat(Manifests.grants(deployClusterRole().getRules()))
        .containsExactlyInAnyOrderElementsOf(OPERATOR_GRANTS);
  }

  @Test
  void theChartsClusterScopeGrantsWhatDeployGrants() {
    ClusterRole chart = Manifests.single(Chart.template(Map.of()), ClusterRole.class);

    assertThat(Manifests.grants(chart.getRules()))
        .as("the chart's ClusterRole rules differ from deploy/rbac.yaml")
        .isEqualTo(Manifests.grants(deployClusterRole().getRules()));
  }

  @Test
  void theNamespacedVariantsGrantTheSameInEachWatchedNamespace() {
    Set<String> deploy = new TreeSet<>(Manifests.grants(deployClusterRole().getRules()));
    assertThat(deploy.remove(CRD_CHECK)).isTrue();

    Role overlay = Manifests.single(Manifests.load(NAMESPACED_RBAC), Role.class);
    assertThat(Manifests.grants(overlay.getRules()))
        .as("%s differs from %s", NAMESPACED_RBAC, DEPLOY_RBAC).isEqualTo(deploy);
    List<Role> chart = Manifests.workGrants(Chart.template(Map.of("rbac",
        Map.of("scope", "namespaced"), "watchNamespaces", List.of("team-a", "team-b"))),
        Role.class);
    assertThat(chart).hasSize(2)
        .allSatisfy(role -> assertThat(Manifests.grants(role.getRules())).isEqualTo(deploy));
  }

  /** ... and the CRD read, cluster-scoped, by a ClusterRole that grants nothing else. */
  @Test
  void theNamespacedVariantsGrantOnlyTheCrdReadClusterWide() {
    ServiceAccount account = Manifests.single(
        Manifests.load(Manifests.DEPLOY.resolve("base/serviceaccount.yaml")), ServiceAccount.class);
    List<HasMetadata> overlay = Manifests.load(NAMESPACED_CRD_CHECK);
    List<HasMetadata> chart = Chart.template(Map.of("rbac", Map.of("scope", "namespaced"),
        "watchNamespaces", List.of("team-a")));

    for (List<HasMetadata> objects : List.of(overlay, chart)) {
      ClusterRole role = Manifests.single(objects, ClusterRole.class);
      ClusterRoleBinding binding = Manifests.single(objects, ClusterRoleBinding.class);
      assertThat(Manifests.grants(role.getRules())).containsExactly(CRD_CHECK);
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getKind()).isEqualTo("ServiceAccount");
        assertThat(s.getName()).isEqualTo(objects == overlay ? account.getMetadata().getName()
            : Manifests.single(chart, ServiceAccount.class).getMetadata().getName());
      });
    }
  }

  /** Leader election's Lease: get, create, update in the operator's own namespace, nothing else. */
  @Test
  void deployAndTheChartGrantTheLeaseInTheOperatorsNamespaceOnly() {
    List<HasMetadata> deploy = Manifests.load(Manifests.DEPLOY.resolve("base/leader-election.yaml"));
    ServiceAccount account = Manifests.single(
        Manifests.load(Manifests.DEPLOY.resolve("base/serviceaccount.yaml")), ServiceAccount.class);
    Role role = Manifests.leaderElectionGrant(deploy, Role.class);
    RoleBinding binding = Manifests.leaderElectionGrant(deploy, RoleBinding.class);
    // patch: fabric8's LeaseLock renews with a merge patch; update: JOSDK checks for it.
    Set<String> lease = Set.of("coordination.k8s.io leases get",
        "coordination.k8s.io leases create", "coordination.k8s.io leases update",
        "coordination.k8s.io leases patch", "coordination.k8s.io leases delete");

    assertThat(Manifests.grants(role.getRules())).containsExactlyInAnyOrderElementsOf(lease);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(account.getMetadata().getNamespace());
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(role.getMetadata().getNamespace());
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
    });

    List<HasMetadata> chart = Chart.template(Map.of());
    Role chartRole = Manifests.leaderElectionGrant(chart, Role.class);
    assertThat(Manifests.grants(chartRole.getRules())).isEqualTo(Manifests.grants(role.getRules()));
    assertThat(chartRole.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
  }

  @Test
  void deployBindsItsRolesToTheOperatorsServiceAccount() {
    ServiceAccount account = Manifests.single(
        Manifests.load(Manifests.DEPLOY.resolve("base/serviceaccount.yaml")), ServiceAccount.class);
    List<HasMetadata> cluster = Manifests.load(DEPLOY_RBAC);
    ClusterRoleBinding binding = Manifests.single(cluster, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(deployClusterRole().getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
    });

    List<HasMetadata> namespaced = Manifests.load(NAMESPACED_RBAC);
    RoleBinding roleBinding = Manifests.single(namespaced, RoleBinding.class);
    assertThat(roleBinding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(roleBinding.getRoleRef().getName())
        .isEqualTo(Manifests.single(namespaced, Role.class).getMetadata().getName());
    assertThat(roleBinding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
    });
  }
}
