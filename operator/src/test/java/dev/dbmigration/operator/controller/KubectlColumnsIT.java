package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a user types: the real kubectl against the real API server shows the status columns. */
class KubectlColumnsIT {

  @Test
  void kubectlGetDatabasemigrationsPrintsPhaseActionTargetAndLeader() throws Exception {
    try (KubernetesClient client = KubeApiServerSupport.newClient();
         OperatorHarness operator = OperatorHarness.withoutDatabase(client)) {
      KubeApiServerSupport.applyCrd(client);
      TestCluster cluster = new TestCluster(client);
      String ns = cluster.newNamespace("kubectl");
      cluster.createSeedSecret(ns, "wps-api-creds");
      cluster.createReadyPod(ns, "patroni-wps-api-1",
          Map.of("cluster-name", "patroni-wps-api", "role", "master"), "127.128.3.17");
      operator.start();
      cluster.apply(Fixtures.migration(ns, "wps-api"));
      String job = await().atMost(Duration.ofSeconds(30)).until(() -> cluster.jobs(ns),
          j -> j.size() == 1).get(0).getMetadata().getName();
      cluster.completeJob(ns, job);
      await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(DatabaseMigration.class)
          .inNamespace(ns).withName("wps-api").get().getStatus(),
          s -> s != null && s.getPhase() == Phase.Succeeded);

      String table = kubectl("get", "databasemigrations", "-n", ns);
      String shortName = kubectl("get", "dbm", "-n", ns);
      System.out.println("kubectl get databasemigrations -n " + ns + "\n" + table);

      List<String> lines = table.lines().toList();
      // The CRD generator orders columns by JSONPath (see DatabaseMigration).
      assertThat(lines.get(0).split("\\s+"))
          .containsExactly("NAME", "AGE", "ACTION", "TARGET", "PHASE", "REVISION", "LEADER");
      // No revision is known until the database is read (real-migration tier): that cell is blank.
      assertThat(lines.get(1).split("\\s+"))
          .containsExactly("wps-api", lines.get(1).split("\\s+")[1], "upgrade", "head",
              "Succeeded", "patroni-wps-api-1");
      assertThat(lines.get(1).split("\\s+")[1]).matches("\\d+s");
      // The two calls may straddle a second, so AGE is the one cell allowed to differ.
      assertThat(withoutAge(shortName)).isEqualTo(withoutAge(table));
    }
  }

  private static String withoutAge(String table) {
    // 9s and 10s also pad the columns differently: compare cells, not spaces.
    return table.replaceAll("(?m)^(\\S+\\s+)\\d+s", "$1AGE").replaceAll("[ \\t]+", " ");
  }

  private static String kubectl(String... args) throws IOException, InterruptedException {
    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfig, KubeApiServerSupport.kubeConfigYaml());
    try {
      List<String> command = new java.util.ArrayList<>(List.of(
          KubeApiServerSupport.binaryDir().resolve("kubectl").toString(),
          "--kubeconfig", kubeconfig.toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(out).isZero();
      return out;
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }
}
