package dev.dbmigration.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.PrometheusText;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped jar, run the way the Deployment runs it (settings from the environment,
 * LOG_FORMAT=json, leader election on), against the real kube-apiserver: every line it prints
 * is a JSON object, the lines about a resource name its namespace and name, it holds its Lease
 * under its pod name, and its /metrics answers with the migration series.
 */
class JarJsonLogsIT {

  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final Path JAR = Path.of("operator", "target", "database-migration-operator.jar");
  static final Pattern PORTS = Pattern.compile("health on port (\\d+), metrics on port (\\d+)");
  static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient admin;
  Process process;
  final List<String> stdout = new CopyOnWriteArrayList<>();
  final List<String> stderr = new CopyOnWriteArrayList<>();
  final List<Thread> pumps = new ArrayList<>();
  Path kubeconfig;

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    if (kubeconfig != null) {
      Files.deleteIfExists(kubeconfig);
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void everyLineIsJsonAndLinesAboutAResourceCarryItsNamespaceAndName() throws Exception {
    assertThat(JAR).as("the shaded jar (mvn package builds it before the integration tests)")
        .isRegularFile();
    admin = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(admin);
    TestCluster cluster = new TestCluster(admin);
    String ns = cluster.newNamespace("json-logs");
    cluster.createSeedSecret(ns, "app-creds");
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), "127.0.0.45");
    kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfig, KubeApiServerSupport.kubeConfigYaml());

    start(Map.of("KUBECONFIG", kubeconfig.toString(), "LOG_FORMAT", "json",
        "WATCH_NAMESPACES", ns, "HEALTH_PORT", "0", "METRICS_PORT", "0",
        "LEADER_ELECTION", "true", "LEADER_ELECTION_LEASE", "json-logs-operator",
        "POD_NAME", "dmo-json-0", "POD_NAMESPACE", ns));
    Matcher ports = await("the operator's start line").atMost(TIMEOUT).until(
        () -> stdout.stream().map(PORTS::matcher).filter(Matcher::find).findFirst().orElse(null),
        m -> m != null);
    int metricsPort = Integer.parseInt(ports.group(2));
    await("the jar holds its Lease as its pod").atMost(TIMEOUT).until(() -> {
      Lease lease = admin.leases().inNamespace(ns).withName("json-logs-operator").get();
      return lease == null ? null : lease.getSpec().getHolderIdentity();
    }, "dmo-json-0"::equals);

    cluster.apply(Fixtures.migration(ns, "app"));
    DatabaseMigration orphan = Fixtures.migration(ns, "orphan");
    orphan.getSpec().getDatabase().getCredentialsSecret().setName("app-creds");
    cluster.apply(orphan);
    Job job = await("the Job").atMost(TIMEOUT)
        .until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
    cluster.completeJob(ns, job.getMetadata().getName());
    await("app Succeeded, orphan waiting for its leader").atMost(TIMEOUT).until(() ->
        phase(ns, "app") == Phase.Succeeded && phase(ns, "orphan") == Phase.WaitingForDatabase);

    PrometheusText metrics = PrometheusText.scrape(metricsPort);
    Map<String, String> tags = Map.of("namespace", ns, "engine", "alembic");
    assertThat(metrics.value("dbmigration_migrations_succeeded_total", tags)).contains(1.0);
    assertThat(metrics.value("dbmigration_leader_discovery_failures_total", tags)).contains(1.0);
    assertThat(metrics.value("dbmigration_operator_leader", Map.of())).contains(1.0);
    assertThat(metrics.has("operator_sdk_reconciliations_started_total")).isTrue();

    await("the operator's lines about both resources").atMost(TIMEOUT).until(() ->
        stdout.stream().anyMatch(l -> l.contains("phase Succeeded"))
            && stdout.stream().anyMatch(l -> l.contains("phase WaitingForDatabase")));
    // SIGTERM, as Kubernetes stops a pod (Process.destroy would also close the pipes at once).
    assertThat(process.toHandle().destroy()).isTrue();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    for (Thread pump : pumps) {
      pump.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(process.exitValue()).as("the JVM's status after SIGTERM (128 + 15)").isEqualTo(143);
    assertThat(stdout).as("the stop is logged too").anyMatch(l -> l.contains("\"stopping\""))
        .anyMatch(l -> l.contains("released leadership on stop"));

    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdout) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
      assertThat(node.path("time").asText()).as("time of %s", line).isNotEmpty();
      assertThat(node.path("level").asText()).isNotEmpty();
      assertThat(node.path("message").asText()).isNotNull();
      lines.add(node);
    }
    assertThat(stdout).as("no line holds the database password")
        .noneMatch(l -> l.contains(TestCluster.PASSWORD));

    List<JsonNode> reconciler = lines.stream().filter(l -> l.path("logger").asText()
        .startsWith("dev.dbmigration.operator.controller")).toList();
    assertThat(reconciler).as("the reconciler's lines").isNotEmpty()
        .allSatisfy(l -> {
          assertThat(l.path("namespace").asText()).as("namespace of %s", l).isEqualTo(ns);
          assertThat(l.path("name").asText()).as("name of %s", l).isIn("app", "orphan");
        });
    assertThat(reconciler).anySatisfy(l -> {
      assertThat(l.path("name").asText()).isEqualTo("app");
      assertThat(l.path("message").asText()).startsWith("created Job " + job.getMetadata()
          .getName());
    });
    assertThat(reconciler).anySatisfy(l -> {
      assertThat(l.path("name").asText()).isEqualTo("app");
      assertThat(l.path("message").asText()).startsWith("phase Succeeded");
    });
    assertThat(reconciler).anySatisfy(l -> {
      assertThat(l.path("name").asText()).isEqualTo("orphan");
      assertThat(l.path("message").asText()).startsWith("phase WaitingForDatabase (LeaderNotFound)");
    });
    assertThat(lines).as("lines about no resource carry none")
        .filteredOn(l -> l.path("message").asText().startsWith("watching"))
        .singleElement().satisfies(l -> assertThat(l.has("namespace")).isFalse());
  }

  Phase phase(String ns, String name) {
    DatabaseMigration dbm = admin.resources(DatabaseMigration.class).inNamespace(ns)
        .withName(name).get();
    return dbm == null || dbm.getStatus() == null ? null : dbm.getStatus().getPhase();
  }

  void start(Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toAbsolutePath().toString());
    builder.environment().keySet().removeIf(k -> k.equals("LOG_FORMAT") || k.startsWith("LEADER_")
        || k.startsWith("POD_") || k.equals("WATCH_NAMESPACES"));
    builder.environment().putAll(env);
    // The leader pods here point where no database listens; these tests are about logging.
    builder.environment().put("DATABASE_CHECK", "best-effort");
    process = builder.start();
    pumps.add(pump(process.getInputStream(), stdout, "stdout"));
    pumps.add(pump(process.getErrorStream(), stderr, "stderr"));
  }

  static Thread pump(java.io.InputStream in, List<String> into, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          into.add(line);
          System.out.println("[jar " + name + "] " + line);
        }
      } catch (IOException e) {
        System.out.println("[jar " + name + "] closed: " + e.getMessage());
      }
    }, "jar-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
