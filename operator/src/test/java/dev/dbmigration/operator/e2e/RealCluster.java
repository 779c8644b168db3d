package dev.dbmigration.operator.e2e;

import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.testing.Prerequisites;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real single-node cluster hack/cluster/up.sh starts (kubelet on containerd, the Job
 * controller, the garbage collector, the TTL controller, kube-proxy): a client, the real
 * kubectl, namespaces that enforce the restricted Pod Security profile, and the manifests of
 * src/test/resources/e2e with their placeholders filled in. hack/test.sh passes the cluster as
 * {@code -De2e.kubeconfig=...}; without it the tier skips, and fails under CI=true.
 */
public final class RealCluster {

  static final Path REPO = Path.of("").toAbsolutePath();
  static final Path MANIFESTS = REPO.resolve("operator/src/test/resources/e2e");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");
  private static RealCluster instance;

  private final Path kubeconfig;
  private final Path kubectl;
  private final KubernetesClient client;
  private final List<String> created = new ArrayList<>();

  private RealCluster(Path kubeconfig, Path kubectl) {
    this.kubeconfig = kubeconfig;
    this.kubectl = kubectl;
    try {
      this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
          Files.readString(kubeconfig))).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** OpenShift's annotation of a namespace's UID range, which the e2e policy assigns from. */
  public static final String UID_RANGE = "openshift.io/sa.scc.uid-range";
  /** The first UID of the range OpenShift-like namespaces get. */
  public static final long ASSIGNED_UID = 1000650000L;
  static final String UID_POLICY_LABEL = "dbmigration.dev/e2e-uid-range";

  /** The cluster of this test run; skips (fails under CI=true) when there is none. */
  public static synchronized RealCluster get() {
    if (instance == null) {
      String config = System.getProperty("e2e.kubeconfig", System.getenv("DBM_E2E_KUBECONFIG"));
      String binaries = System.getProperty("e2e.kubectl");
      if (config == null || config.isBlank() || !Files.isReadable(Path.of(config))) {
        Prerequisites.missing("a real cluster: run hack/cluster/up.sh and pass its kubeconfig as"
            + " -De2e.kubeconfig= (hack/test.sh does both)");
      }
      if (binaries == null || !Files.isExecutable(Path.of(binaries))) {
        Prerequisites.missing("kubectl: pass -De2e.kubectl= (hack/test.sh does)");
      }
      instance = new RealCluster(Path.of(config), Path.of(binaries));
      instance.installUidPolicy();
    }
    return instance;
  }

  /**
   * The policy that gives pods of OpenShift-like namespaces an arbitrary UID from outside, as
   * the restricted-v2 SCC does; effective once a dry-run pod comes back with that UID.
   */
  private void installUidPolicy() {
    apply(null, "arbitrary-uid-policy.yaml", Map.of());
    String probe = newNamespace("uid-probe", true);
    try {
      await("the arbitrary-UID admission policy in effect").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> {
            Pod pod = client.pods().inNamespace(probe).resource(new io.fabric8.kubernetes.api
                .model.PodBuilder().withNewMetadata().withName("probe").endMetadata()
                .withNewSpec().withNewSecurityContext().withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext().addNewContainer().withName("c")
                .withImage("localhost/pause:1.0").withNewSecurityContext()
                .withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL")
                .endCapabilities().endSecurityContext().endContainer().endSpec().build())
                .dryRun().create();
            return pod.getSpec().getSecurityContext() != null
                && Long.valueOf(ASSIGNED_UID).equals(pod.getSpec().getSecurityContext()
                    .getRunAsUser());
          });
    } finally {
      client.namespaces().withName(probe).delete();
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** What the real kubectl prints (stdout and stderr) for these arguments; fails on an error. */
  public String kubectl(String... args) {
    Result result = kubectlResult(args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " exited "
          + result.exitCode() + ":\n" + result.output());
    }
    return result.output();
  }

  /** The real kubectl's exit code and output, whatever they are. */
  public Result kubectlResult(String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig",
        kubeconfig.toString()));
    command.addAll(List.of(args));
    return run(command, Duration.ofMinutes(5));
  }

  /** A script of the repository (hack/...), with this cluster's state directory. */
  public Result script(String... args) {
    List<String> command = new ArrayList<>(List.of(args));
    command.set(0, REPO.resolve(args[0]).toString());
    return run(command, Duration.ofMinutes(10));
  }

  /**
   * A namespace of its own for a test, enforcing the restricted Pod Security profile as a PR
   * environment on OpenShift would; extra labels for the scenario.
   */
  public String newNamespace(String prefix, boolean openShiftLike) {
    return newNamespace(prefix, Map.of(), openShiftLike);
  }

  /**
   * As {@link #newNamespace(String)}; {@code openShiftLike}: its pods run as a UID assigned from
   * outside (the namespace's uid-range annotation, as OpenShift does), not their image's.
   */
  public String newNamespace(String prefix, Map<String, String> labels, boolean openShiftLike) {
    String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 6))
        .toLowerCase(Locale.ROOT);
    Map<String, String> all = new LinkedHashMap<>(Map.of(
        "pod-security.kubernetes.io/enforce", "restricted",
        "pod-security.kubernetes.io/enforce-version", "latest",
        "pod-security.kubernetes.io/warn", "restricted",
        "dbmigration.dev/e2e", "true"));
    all.putAll(labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (openShiftLike) {
      all.put(UID_POLICY_LABEL, "true");
      annotations.put(UID_RANGE, ASSIGNED_UID + "/10000");
    }
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(all)
        .withAnnotations(annotations).endMetadata().build()).create();
    synchronized (created) {
      created.add(name);
    }
    await("the default ServiceAccount of " + name).atMost(Duration.ofSeconds(30))
        .until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
    return name;
  }

  public String newNamespace(String prefix) {
    return newNamespace(prefix, Map.of(), false);
  }

  /**
   * Deletes the namespaces made since the last call, without waiting: a scenario's databases
   * must not weigh on the next ones (two cores, one node).
   */
  public void dropNamespaces() {
    List<String> names;
    synchronized (created) {
      names = List.copyOf(created);
      created.clear();
    }
    for (String name : names) {
      client.namespaces().withName(name).delete();
    }
  }

  /** Deletes the namespace and waits until it is gone (everything in it deleted). */
  public Duration deleteNamespace(String name, Duration atMost) {
    long start = System.nanoTime();
    client.namespaces().withName(name).delete();
    await("namespace " + name + " gone").atMost(atMost).pollInterval(Duration.ofMillis(200))
        .until(() -> client.namespaces().withName(name).get() == null);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** A manifest of src/test/resources/e2e with its ${PLACEHOLDERS} filled in, applied. */
  public List<HasMetadata> apply(String namespace, String manifest, Map<String, String> values) {
    return apply(namespace, manifest, values, o -> true);
  }

  /** As {@link #apply(String, String, Map)}, only the objects {@code which} selects. */
  public List<HasMetadata> apply(String namespace, String manifest, Map<String, String> values,
      java.util.function.Predicate<HasMetadata> which) {
    List<HasMetadata> objects = client.load(new ByteArrayInputStream(
        render(manifest, values).getBytes(StandardCharsets.UTF_8))).items().stream()
        .filter(which).toList();
    for (HasMetadata object : objects) {
      if (namespace == null) {
        client.resource(object).forceConflicts().serverSideApply();
      } else {
        client.resource(object).inNamespace(namespace).forceConflicts().serverSideApply();
      }
    }
    return objects;
  }

  static String render(String manifest, Map<String, String> values) {
    String text;
    try {
      text = Files.readString(MANIFESTS.resolve(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Only the YAML, not the comments that document the placeholders.
    StringBuilder yaml = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.stripLeading().startsWith("#")) {
        yaml.append(line).append('\n');
      }
    }
    Matcher m = PLACEHOLDER.matcher(yaml);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(manifest + " needs a value for ${" + m.group(1) + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The pod's IP once it is Running and Ready. */
  public String awaitReadyPod(String namespace, String name, Duration atMost) {
    Pod pod = await("pod " + namespace + "/" + name + " ready").atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> client.pods().inNamespace(namespace).withName(name).get(), RealCluster::isReady);
    return pod.getStatus().getPodIP();
  }

  static boolean isReady(Pod pod) {
    return pod != null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Result run(List<String> command, Duration timeout) {
    try {
      Path output = Files.createTempFile("e2e-command", ".out");
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " ran past " + timeout);
        }
        return new Result(process.exitValue(), Files.readString(output));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A command's exit code and what it printed. */
  public record Result(int exitCode, String output) {
  }

  /** The Namespace object, for tests that look at its phase while it terminates. */
  public Namespace namespace(String name) {
    return client.namespaces().withName(name).get();
  }
}
