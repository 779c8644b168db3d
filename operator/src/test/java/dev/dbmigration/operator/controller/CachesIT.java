package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.runtime.OperatorClient;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's pruned caches on a real kube-apiserver, with the client Main builds (objects
 * read without managedFields) and two watched namespaces (an informer and a store for each):
 * what the caches leave out never changes what the operator does.
 */
class CachesIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String LEADER_IP = "127.128.3.17";

  static KubernetesClient admin;
  static KubernetesClient operatorClient;
  static TestCluster cluster;
  static OperatorHarness operator;
  static String first;
  static String second;

  @BeforeAll
  static void start() {
    admin = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(admin);
    cluster = new TestCluster(admin);
    first = cluster.newNamespace("caches-a");
    second = cluster.newNamespace("caches-b");
    operatorClient = OperatorClient.builder()
        .withConfig(Config.fromKubeconfig(KubeApiServerSupport.kubeConfigYaml())).build();
    operator = new OperatorHarness(operatorClient, new OperatorSettings(Set.of(first, second), 0)
        .withDatabaseCheck(DatabaseCheckMode.BEST_EFFORT)).start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    for (KubernetesClient c : new KubernetesClient[] {operatorClient, admin}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void eachWatchedNamespaceRunsFromItsOwnCache() {
    environment(first, "one");
    environment(second, "two");
    cluster.apply(Fixtures.migration(first, "one"));
    cluster.apply(Fixtures.migration(second, "two"));

    for (String[] ns : new String[][] {{first, "one"}, {second, "two"}}) {
      Job job = awaitJob(ns[0], ns[1]);
      assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .anySatisfy(e -> assertThat(e.getValue()).isEqualTo(LEADER_IP));
      cluster.completeJob(ns[0], job.getMetadata().getName());
      awaitStatus(ns[0], ns[1], s -> s.getPhase() == Phase.Succeeded);
    }
  }

  @Test
  void aSecretAppearingLaterWakesTheResource() {
    cluster.createReadyPod(second, "patroni-late-0",
        Map.of("cluster-name", "patroni-late", "role", "master"), LEADER_IP);
    cluster.apply(Fixtures.migration(second, "late"));
    awaitStatus(second, "late", s -> Reasons.SECRET_NOT_FOUND.equals(readyReason(s)));

    cluster.createSeedSecret(second, "late-creds");

    awaitStatus(second, "late", s -> s.getPhase() == Phase.Running);
  }

  /** The informer leaves TLS Secrets on the server; such a Secret is still found and used. */
  @Test
  void credentialsInASecretOfATypeTheInformerSkipsAreStillUsed() {
    cluster.createReadyPod(first, "patroni-tls-0",
        Map.of("cluster-name", "patroni-tls", "role", "master"), LEADER_IP);
    admin.resource(new SecretBuilder().withNewMetadata().withNamespace(first)
        .withName("tls-creds").endMetadata().withType("kubernetes.io/tls")
        .withStringData(Map.of("tls.crt", "cert", "tls.key", "key", "app-db-name", first,
            "app-db-username", "wps", "app-db-password", TestCluster.PASSWORD))
        .build()).create();

    cluster.apply(Fixtures.migration(first, "tls"));

    awaitJob(first, "tls");
    awaitStatus(first, "tls", s -> s.getPhase() == Phase.Running);
  }

  /** The operator reads without managedFields and writes status; the server keeps them. */
  @Test
  void statusWritesLeaveTheServersManagedFieldsAlone() {
    environment(first, "fields");
    cluster.apply(Fixtures.migration(first, "fields"));
    awaitStatus(first, "fields", s -> s.getPhase() == Phase.Running);

    List<ManagedFieldsEntry> fields = admin.resources(DatabaseMigration.class).inNamespace(first)
        .withName("fields").get().getMetadata().getManagedFields();
    assertThat(fields).as("the creator's entry and the status writer's")
        .anySatisfy(f -> assertThat(f.getSubresource()).isNullOrEmpty())
        .anySatisfy(f -> assertThat(f.getSubresource()).isEqualTo("status"));
  }

  private static void environment(String ns, String name) {
    cluster.createSeedSecret(ns, name + "-creds", ns + "_" + name);
    cluster.createReadyPod(ns, "patroni-" + name + "-0",
        Map.of("cluster-name", "patroni-" + name, "role", "master"), LEADER_IP);
  }

  private static Job awaitJob(String ns, String owner) {
    return await("the Job of " + ns + "/" + owner).atMost(TIMEOUT)
        .until(() -> cluster.jobs(ns).stream().filter(j -> j.getMetadata().getOwnerReferences()
                .stream().anyMatch(o -> owner.equals(o.getName()))).findFirst().orElse(null),
            j -> j != null);
  }

  private static DatabaseMigrationStatus awaitStatus(String ns, String name,
      Predicate<DatabaseMigrationStatus> until) {
    return await(ns + "/" + name + " status").atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = admin.resources(DatabaseMigration.class).inNamespace(ns)
          .withName(name).get();
      return dbm == null ? null : dbm.getStatus();
    }, s -> s != null && s.getPhase() != null && until.test(s));
  }

  private static String readyReason(DatabaseMigrationStatus status) {
    return status.getConditions() == null ? null : status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).map(Condition::getReason).findFirst()
        .orElse(null);
  }
}
