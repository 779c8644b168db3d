package dev.dbmigration.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Generates the OLM bundle (bundle/: the ClusterServiceVersion, the CRD, metadata/annotations.yaml)
 * from the sources deploy/ and the chart share, so that it cannot drift from them:
 *
 * <ul>
 *   <li>the install strategy's Deployment is deploy/base/deployment.yaml's, its settings from the
 *       kustomization's ConfigMap as literal variables (a Subscription's config.env overrides
 *       them) and WATCH_NAMESPACES from the OperatorGroup's {@code olm.targetNamespaces};</li>
 *   <li>the permissions are deploy/rbac.yaml's rules and the leader-election Role's, as
 *       {@code permissions}: OLM grants them in the operator's namespace and the OperatorGroup's
 *       (a ClusterRole for AllNamespaces), which are what the operator watches; no
 *       {@code clusterPermissions};</li>
 *   <li>the CRD is crds/'s file, and its fields the descriptors, with the CRD's descriptions;</li>
 *   <li>alm-examples is examples/patroni-pr-environment.yaml; name, version, keywords and
 *       minKubeVersion are the chart's;</li>
 *   <li>everything else is deploy/olm/csv-base.yaml, written by hand.</li>
 * </ul>
 *
 * {@code hack/update-bundle.sh} runs {@link #main} to write bundle/; OlmBundleTest fails when
 * bundle/ differs from what this makes.
 */
public final class OlmBundle {

  public static final Path DIR = Path.of("bundle");
  static final Path BASE = Path.of("deploy/olm/csv-base.yaml");
  static final Path EXAMPLE = Path.of("examples/patroni-pr-environment.yaml");
  static final Path CRD = Path.of("crds/databasemigrations.dbmigration.dev-v1.yml");
  static final String PACKAGE = "database-migration-operator";
  /**
   * The API is v1alpha1 and the operator 0.x: one channel, named by OLM's convention
   * (candidate, fast, stable) for releases not yet stable; the CSV's maturity says alpha.
   */
  static final String CHANNEL = "candidate";
  /** OpenShift 4.12 is Kubernetes 1.25, the chart's (and the CRD's CEL rules') minimum. */
  static final String OPENSHIFT_VERSIONS = "v4.12";
  static final String CSV_FILE = "manifests/" + PACKAGE + ".clusterserviceversion.yaml";
  static final String CRD_FILE = "manifests/dbmigration.dev_databasemigrations.yaml";
  static final String ANNOTATIONS_FILE = "metadata/annotations.yaml";
  /** Kubernetes' own types: one descriptor each, not one per field inside. */
  static final Set<String> OPAQUE = Set.of("spec.job.resources", "spec.job.imagePullSecrets",
      "spec.database.leader.selector");
  static final String TARGET_NAMESPACES = "metadata.annotations['olm.targetNamespaces']";

  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .build());
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private OlmBundle() {
  }

  /** Writes bundle/ afresh (hack/update-bundle.sh). */
  public static void main(String[] args) throws IOException {
    Map<String, String> files = generate();
    if (Files.exists(DIR)) {
      try (Stream<Path> old = Files.walk(DIR)) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = DIR.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
      System.out.println("wrote " + path);
    }
  }

  /** Every file of bundle/, by its path inside bundle/. */
  public static Map<String, String> generate() {
    Map<String, String> files = new TreeMap<>();
    files.put(CSV_FILE, yaml(clusterServiceVersion()));
    files.put(CRD_FILE, read(CRD));
    files.put(ANNOTATIONS_FILE, yaml(annotations()));
    return files;
  }

  static ObjectNode annotations() {
    ObjectNode annotations = YAML.createObjectNode();
    annotations.put("operators.operatorframework.io.bundle.mediatype.v1", "registry+v1");
    annotations.put("operators.operatorframework.io.bundle.manifests.v1", "manifests/");
    annotations.put("operators.operatorframework.io.bundle.metadata.v1", "metadata/");
    annotations.put("operators.operatorframework.io.bundle.package.v1", PACKAGE);
    annotations.put("operators.operatorframework.io.bundle.channels.v1", CHANNEL);
    annotations.put("operators.operatorframework.io.bundle.channel.default.v1", CHANNEL);
    annotations.put("com.redhat.openshift.versions", OPENSHIFT_VERSIONS);
    ObjectNode file = YAML.createObjectNode();
    file.set("annotations", annotations);
    return file;
  }

  static ObjectNode clusterServiceVersion() {
    ObjectNode csv = (ObjectNode) readYaml(BASE);
    Map<String, Object> chart = chart();
    String version = (String) chart.get("appVersion");
    Deployment deployment = InstallFilesTest.deployDeployment();
    String image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();

    ObjectNode metadata = (ObjectNode) csv.get("metadata");
    ObjectNode named = YAML.createObjectNode();
    named.put("name", PACKAGE + ".v" + version);
    named.setAll(metadata);
    csv.set("metadata", named);
    ObjectNode annotations = (ObjectNode) named.get("annotations");
    annotations.put("containerImage", image);
    annotations.put("alm-examples", almExamples());

    ObjectNode base = (ObjectNode) csv.get("spec");
    ObjectNode spec = YAML.createObjectNode();
    spec.put("displayName", base.get("displayName").asText());
    spec.put("version", version);
    spec.put("minKubeVersion", minKubeVersion((String) chart.get("kubeVersion")));
    spec.set("description", base.get("description"));
    spec.set("keywords", YAML.valueToTree(chart.get("keywords")));
    spec.set("maintainers", base.get("maintainers"));
    spec.set("provider", base.get("provider"));
    spec.set("icon", base.get("icon"));
    spec.set("links", base.get("links"));
    spec.set("maturity", YAML.getNodeFactory().textNode("alpha"));
    spec.set("installModes", base.get("installModes"));
    spec.set("customresourcedefinitions", ownedCrds(base.get("customresourcedefinitions")));
    spec.set("install", install(deployment));
    ArrayNode related = spec.putArray("relatedImages");
    related.addObject().put("name", "operator").put("image", image);
    csv.set("spec", spec);
    return csv;
  }

  /** The install strategy: deploy/'s Deployment and grants, as OLM takes them. */
  static ObjectNode install(Deployment deployment) {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> settings = settings();
    List<EnvVar> env = new ArrayList<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() == null || var.getValueFrom().getConfigMapKeyRef() == null) {
        env.add(var);
      } else if (var.getName().equals("WATCH_NAMESPACES")) {
        // The OperatorGroup's namespaces, comma-separated; empty for AllNamespaces: the same
        // form WATCH_NAMESPACES takes.
        env.add(new EnvVarBuilder().withName(var.getName()).withNewValueFrom()
            .withNewFieldRef().withFieldPath(TARGET_NAMESPACES).endFieldRef().endValueFrom()
            .build());
      } else {
        String key = var.getValueFrom().getConfigMapKeyRef().getKey();
        if (!settings.containsKey(key)) {
          throw new IllegalStateException("deploy/base/kustomization.yaml has no setting " + key);
        }
        env.add(new EnvVarBuilder().withName(var.getName()).withValue(settings.get(key)).build());
      }
    }
    container.setEnv(env);

    ObjectNode install = YAML.createObjectNode();
    install.put("strategy", "deployment");
    ObjectNode spec = install.putObject("spec");
    ObjectNode entry = spec.putArray("deployments").addObject();
    entry.put("name", deployment.getMetadata().getName());
    entry.set("label", YAML.valueToTree(deployment.getMetadata().getLabels()));
    entry.set("spec", YAML.valueToTree(Serialization.jsonMapper()
        .convertValue(deployment.getSpec(), Map.class)));
    ObjectNode permission = spec.putArray("permissions").addObject();
    permission.put("serviceAccountName",
        deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
    permission.set("rules", YAML.valueToTree(Serialization.jsonMapper()
        .convertValue(rules(), List.class)));
    return install;
  }

  /** deploy/rbac.yaml's ClusterRole rules, then the leader-election Role's. */
  static List<PolicyRule> rules() {
    List<PolicyRule> rules = new ArrayList<>(Manifests.single(
        Manifests.load(Manifests.DEPLOY.resolve("rbac.yaml")), ClusterRole.class).getRules());
    rules.addAll(Manifests.single(
        Manifests.load(Manifests.DEPLOY.resolve("base/leader-election.yaml")), Role.class)
        .getRules());
    return rules;
  }

  /** The literals of deploy/base's settings ConfigMap, by key. */
  static Map<String, String> settings() {
    try {
      Map<String, String> settings = new LinkedHashMap<>();
      for (String literal : InstallFilesTest.settings(Manifests.DEPLOY.resolve("base"), PACKAGE)) {
        int eq = literal.indexOf('=');
        settings.put(literal.substring(0, eq), literal.substring(eq + 1));
      }
      return settings;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String almExamples() {
    // The console creates it in the namespace the user is in.
    JsonNode json = readYaml(EXAMPLE);
    ((ObjectNode) json.get("metadata")).remove("namespace");
    try {
      return JSON.writeValueAsString(List.of(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CRD as the CSV owns it, its descriptors completed from the CRD's schema. */
  static JsonNode ownedCrds(JsonNode base) {
    CustomResourceDefinition crd = Serialization.unmarshal(read(CRD),
        CustomResourceDefinition.class);
    ObjectNode owned = (ObjectNode) base.get("owned").get(0);
    if (!owned.get("name").asText().equals(crd.getMetadata().getName())
        || !owned.get("kind").asText().equals(crd.getSpec().getNames().getKind())
        || !owned.get("version").asText().equals(crd.getSpec().getVersions().get(0).getName())) {
      throw new IllegalStateException(BASE + " owns " + owned.get("name") + " "
          + owned.get("version") + ", not the CRD in " + CRD);
    }
    JSONSchemaProps schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    ObjectNode result = YAML.createObjectNode();
    ObjectNode crdNode = result.putArray("owned").addObject();
    for (String field : List.of("name", "version", "kind", "displayName", "description",
        "resources")) {
      crdNode.set(field, owned.get(field));
    }
    crdNode.set("specDescriptors", descriptors(schema.getProperties().get("spec"), "spec",
        owned.get("specDescriptors")));
    crdNode.set("statusDescriptors", descriptors(schema.getProperties().get("status"),
        "status", owned.get("statusDescriptors")));
    return result;
  }

  /**
   * One descriptor per leaf field (an object's fields, an array or a map is one leaf), in the
   * schema's order, with the schema's description, and the base's display name and
   * x-descriptors where it gives them. A base path the schema lacks is an error.
   */
  static ArrayNode descriptors(JSONSchemaProps root, String prefix, JsonNode hints) {
    Map<String, JSONSchemaProps> leaves = new LinkedHashMap<>();
    collect(root, "", prefix, leaves);
    Map<String, JsonNode> byPath = new LinkedHashMap<>();
    for (JsonNode hint : hints) {
      String path = hint.get("path").asText();
      if (find(root, path) == null) {
        throw new IllegalStateException(BASE + " describes " + prefix + "." + path
            + ", which the CRD does not have");
      }
      byPath.put(path, hint);
    }
    Set<String> paths = new LinkedHashSet<>(leaves.keySet());
    paths.addAll(byPath.keySet());
    Map<String, String> names = displayNames(paths, byPath);
    ArrayNode out = YAML.createArrayNode();
    for (String path : paths) {
      JSONSchemaProps field = find(root, path);
      ObjectNode d = out.addObject();
      d.put("path", path);
      d.put("displayName", names.get(path));
      if (field.getDescription() != null) {
        d.put("description", field.getDescription());
      }
      Set<String> x = new LinkedHashSet<>();
      JsonNode hint = byPath.get(path);
      if (hint != null && hint.has("x-descriptors")) {
        hint.get("x-descriptors").forEach(v -> x.add(v.asText()));
      }
      if (prefix.equals("spec")) {
        x.addAll(inputFor(field));
      }
      if (!x.isEmpty()) {
        ArrayNode xd = d.putArray("x-descriptors");
        x.forEach(xd::add);
      }
    }
    return out;
  }

  /** The console input the schema's type calls for. */
  private static List<String> inputFor(JSONSchemaProps field) {
    String ui = "urn:alm:descriptor:com.tectonic.ui:";
    if (field.getEnum() != null && !field.getEnum().isEmpty()) {
      return field.getEnum().stream().map(v -> ui + "select:" + v.asText()).toList();
    }
    if ("boolean".equals(field.getType())) {
      return List.of(ui + "booleanSwitch");
    }
    if ("integer".equals(field.getType())) {
      return List.of(ui + "number");
    }
    return List.of();
  }

  private static void collect(JSONSchemaProps schema, String path, String prefix,
      Map<String, JSONSchemaProps> out) {
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    boolean opaque = OPAQUE.contains(prefix + "." + path);
    if (!path.isEmpty() && (opaque || properties == null || properties.isEmpty())) {
      out.put(path, schema);
      return;
    }
    properties.forEach((name, child) ->
        collect(child, path.isEmpty() ? name : path + "." + name, prefix, out));
  }

  private static JSONSchemaProps find(JSONSchemaProps root, String path) {
    JSONSchemaProps at = root;
    for (String part : path.split("\\.")) {
      if (at.getProperties() == null || !at.getProperties().containsKey(part)) {
        return null;
      }
      at = at.getProperties().get(part);
    }
    return at;
  }

  /**
   * "Active Deadline Seconds" from activeDeadlineSeconds; where two fields would read the same
   * (keys.database and env.database), each is prefixed by its parent ("Keys Database").
   */
  private static Map<String, String> displayNames(Set<String> paths, Map<String, JsonNode> hints) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, Integer> seen = new TreeMap<>();
    for (String path : paths) {
      String[] parts = path.split("\\.");
      String name = words(parts[parts.length - 1]);
      names.put(path, name);
      seen.merge(name, 1, Integer::sum);
    }
    for (String path : paths) {
      JsonNode hint = hints.get(path);
      String[] parts = path.split("\\.");
      if (hint != null && hint.has("displayName")) {
        names.put(path, hint.get("displayName").asText());
      } else if (seen.get(names.get(path)) > 1 && parts.length > 1) {
        names.put(path, words(parts[parts.length - 2]) + " " + names.get(path));
      }
    }
    return names;
  }

  private static String words(String camel) {
    String spaced = camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
    return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  static String minKubeVersion(String constraint) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("^>=\\s*(\\d+\\.\\d+\\.\\d+)(-0)?$").matcher(constraint.trim());
    if (!m.matches()) {
      throw new IllegalStateException("Chart.yaml's kubeVersion " + constraint
          + " is not of the form >=X.Y.Z-0");
    }
    return m.group(1);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> chart() {
    return Serialization.unmarshal(read(Manifests.CHART.resolve("Chart.yaml")), Map.class);
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(read(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String yaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
