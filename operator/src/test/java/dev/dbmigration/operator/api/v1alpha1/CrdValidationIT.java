package dev.dbmigration.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.testing.DryRunApply;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD is the validator: the real kube-apiserver refuses at apply time, naming the field, each
 * spec the operator must not run, and accepts the ones it can run. What it accepts, fabric8 reads
 * back into the Java model, and the Job built from it is one the API server accepts too (both
 * through server-side dry runs: nothing is stored, no operator runs).
 */
class CrdValidationIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String NS = "crd-validation";

  static KubernetesClient client;
  static DryRunApply api;

  @BeforeAll
  static void start() {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    api = new DryRunApply(client, NS);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Accepted: read by fabric8, made into a Job the API server takes
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("goodSpecs")
  void acceptsWhatTheOperatorCanRun(Function<DatabaseMigration, JsonNode> edit) throws Exception {
    JsonNode sent = edit.apply(Fixtures.migration(NS, "app"));

    DryRunApply.Answer answer = api.create(sent);

    assertThat(answer.accepted()).as("refused: %s", answer.message()).isTrue();
    DatabaseMigration read = Serialization.unmarshal(Serialization.asJson(answer.stored()),
        DatabaseMigration.class);
    read.getMetadata().setUid("00000000-0000-0000-0000-000000000000");
    Job job = MigrationJobBuilder.build(read, "app-job", "127.0.0.1",
        read.getSpec().getImage() != null ? read.getSpec().getImage() : Fixtures.IMAGE);
    JsonNode resources = sent.at("/spec/job/resources");
    if (!resources.isMissingNode()) {
      JsonNode written = tree(Serialization.asJson(
          job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()));
      assertThat(quantities(written)).as("the Job's quantities, as fabric8 read and wrote them")
          .isEqualTo(quantities(resources));
    }
    client.resource(job).inNamespace(NS).dryRun().create();
  }

  static Stream<Arguments> goodSpecs() {
    return Stream.of(
        good("the seed's PR environment", dbm -> { }),
        good("image with registry port and digest, downgrade allowed, -1",
            spec(s -> {
              s.setImage("registry.example:5000/team/wps-api:1.2.3@sha256:" + "a".repeat(64));
              s.setAction(Action.DOWNGRADE);
              s.setAllowDowngrade(true);
              s.setTarget("-1");
            })),
        good("prefixed selector keys, an empty label value, an explicit role",
            leader(l -> {
              l.setSelector(Map.of("app.kubernetes.io/instance", "db", "cluster-name", "",
                  "a".repeat(253) + "/" + "b".repeat(63), "x"));
              l.setRoleLabel("example.com/role");
              l.setRoleValues(List.of("leader", "Primary_1"));
            })),
        good("16 selector labels", leader(l -> l.setSelector(labels(16)))),
        good("service account and a dotted pull secret", job(j -> {
          j.setServiceAccountName("migrator");
          j.setImagePullSecrets(List.of(new LocalObjectReference("pull.secret")));
        })),
        good("imageFrom instead of image", spec(s -> {
          s.setImage(null);
          s.setImageFrom(new ImageSource(WorkloadKind.StatefulSet, "wps-api", "api"));
        })),
        good("an explicit host", database(d -> {
          d.setLeader(null);
          d.setHost("patroni-wps.pr-1234.svc");
        })),
        good("Secret keys with dots inside or one in front", secret(c -> {
          c.getKeys().setDatabase(".db-name");
          c.getKeys().setPassword("pass..word");
        })),
        good("custom distinct env names", env(e -> {
          e.setHost("DB_HOST");
          e.setPassword("_PW");
        })),
        good("a workingDir with letters beyond ASCII", spec(s -> s.setWorkingDir("/app/é/\uD83D\uDE80"))),
        good("a rerun timestamp", spec(s -> s.setRerun("2024-06-11T10:00:00Z"))),
        good("a rerun build tag", spec(s -> s.setRerun("v1.2.3+build.7"))),
        good("flyway to a version", spec(s -> {
          s.setEngine(Engine.FLYWAY);
          s.setTarget("1.2_3");
        })),
        good("quantities as Kubernetes writes them", resources("{\"requests\":{\"cpu\":\"100m\","
            + "\"memory\":\"128Mi\",\"ephemeral-storage\":\"1e9\"},\"limits\":{\"cpu\":2,"
            + "\"memory\":\"0.5Gi\"}}")),
        good("signs, bare dots and exponents", resources("{\"requests\":{\"cpu\":\"+.5\","
            + "\"memory\":\"1e+3\",\"ephemeral-storage\":0},\"limits\":{\"cpu\":\"5.\","
            + "\"memory\":\"1E3\",\"ephemeral-storage\":\"0\"}}")),
        good("tiny and huge quantities", resources("{\"requests\":{\"cpu\":\"1u\","
            + "\"memory\":\"1n\"},\"limits\":{\"memory\":\"1Ei\",\"cpu\":\"1e-3\","
            + "\"ephemeral-storage\":\"99999999999999999999999\"}}")),
        good("a request equal to its limit in other units",
            resources("{\"requests\":{\"memory\":\"1024Mi\",\"cpu\":\"1\"},"
                + "\"limits\":{\"memory\":\"1Gi\",\"cpu\":\"1000m\"}}")),
        good("a request without a limit and a limit without a request",
            resources("{\"requests\":{\"cpu\":\"4\"},\"limits\":{\"memory\":\"1Gi\"}}")));
  }

  // ---------------------------------------------------------------------------------------------
  // Refused at apply time, naming the field
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("badSpecs")
  void refusesWhatTheOperatorMustNotRunNamingTheField(Function<DatabaseMigration, JsonNode> edit,
      String field) {
    DryRunApply.Answer answer = api.create(edit.apply(Fixtures.migration(NS, "app")));

    assertThat(answer.accepted()).as("accepted").isFalse();
    assertThat(answer.refusal().getCode()).as(answer.message()).isEqualTo(422);
    assertThat(answer.message()).contains(field);
  }

  static Stream<Arguments> badSpecs() {
    String tenK = "a".repeat(10_000);
    return Stream.of(
        bad("no spec", json(root -> root.remove("spec")), "spec"),
        bad("blank image", spec(s -> s.setImage("   ")), "spec.image"),
        bad("513-character image", spec(s -> s.setImage("a".repeat(513))), "spec.image"),
        bad("uppercase image with a space", spec(s -> s.setImage("Registry/My Image:1")), "spec.image"),
        bad("image and imageFrom", spec(s -> s.setImageFrom(
            new ImageSource(WorkloadKind.Deployment, "wps-api", "api"))), "spec.image"),
        bad("neither image nor imageFrom", spec(s -> s.setImage(null)), "spec.image"),
        bad("imageFrom without a name", imageFrom(new ImageSource(WorkloadKind.Deployment, null, "api")),
            "spec.imageFrom.name"),
        bad("imageFrom name $(reboot)", imageFrom(new ImageSource(WorkloadKind.StatefulSet, "$(reboot)", "api")),
            "spec.imageFrom.name"),
        bad("imageFrom container with a space",
            imageFrom(new ImageSource(WorkloadKind.Deployment, "wps-api", "api server")),
            "spec.imageFrom.container"),
        bad("imageFrom kind CronJob", json(root -> ((ObjectNode) root.path("spec")).set("imageFrom",
            tree("{\"kind\":\"CronJob\",\"name\":\"x\",\"container\":\"y\"}"))), "spec.imageFrom.kind"),
        bad("relative workingDir", workingDir("app"), "spec.workingDir"),
        bad("workingDir with NUL", workingDir("/app\u0000/x"), "spec.workingDir"),
        bad("1025-character workingDir", workingDir("/" + "a".repeat(1024)), "spec.workingDir"),
        bad("workingDir with a bidi override", workingDir("/app/\u202ebootstrap"), "spec.workingDir"),
        bad("workingDir with a zero-width joiner", workingDir("/app/a\u200db"), "spec.workingDir"),
        bad("workingDir with a C1 control", workingDir("/app/\u009b31m"), "spec.workingDir"),
        bad("workingDir with a line separator", workingDir("/app/\u2028x"), "spec.workingDir"),
        bad("workingDir with $(id)", workingDir("/app$(id)"), "spec.workingDir"),
        bad("workingDir with ;id", workingDir("/app;id"), "spec.workingDir"),
        bad("workingDir with a backtick", workingDir("/app`id`"), "spec.workingDir"),
        bad("workingDir with a pipe", workingDir("/app|id"), "spec.workingDir"),
        bad("workingDir with &", workingDir("/app&id"), "spec.workingDir"),
        bad("workingDir with a redirect", workingDir("/app>x"), "spec.workingDir"),
        bad("workingDir with a backslash", workingDir("/app\\x"), "spec.workingDir"),
        bad("workingDir with a quote", workingDir("/app'x\""), "spec.workingDir"),
        bad("target $(rm -rf /)", spec(s -> s.setTarget("$(rm -rf /)")), "spec.target"),
        bad("target with a command", spec(s -> s.setTarget("head; reboot")), "spec.target"),
        bad("target with a newline", spec(s -> s.setTarget("head\nfoo")), "spec.target"),
        bad("empty target", spec(s -> s.setTarget("")), "spec.target"),
        bad("10 000-character target", spec(s -> s.setTarget(tenK)), "spec.target"),
        bad("downgrade without allowDowngrade", spec(s -> s.setAction(Action.DOWNGRADE)),
            "spec.allowDowngrade"),
        bad("upgrade to base", spec(s -> s.setTarget("base")), "spec.target"),
        bad("upgrade to -2", spec(s -> s.setTarget("-2")), "spec.target"),
        bad("flyway to +2", spec(s -> {
          s.setEngine(Engine.FLYWAY);
          s.setTarget("+2");
        }), "spec.target"),
        bad("flyway downgrade", spec(s -> {
          s.setEngine(Engine.FLYWAY);
          s.setAction(Action.DOWNGRADE);
          s.setAllowDowngrade(true);
          s.setTarget("1");
        }), "spec.target"),
        bad("no database", spec(s -> s.setDatabase(null)), "spec.database"),
        bad("both leader and host", database(d -> d.setHost("db.example")), "spec.database"),
        bad("neither leader nor host", database(d -> d.setLeader(null)), "spec.database"),
        bad("empty host", database(d -> {
          d.setLeader(null);
          d.setHost("");
        }), "spec.database.host"),
        bad("host with a slash", database(d -> {
          d.setLeader(null);
          d.setHost("db/../x");
        }), "spec.database.host"),
        bad("port 0", database(d -> d.setPort(0)), "spec.database.port"),
        bad("port 70000", database(d -> d.setPort(70_000)), "spec.database.port"),
        bad("no credentialsSecret", database(d -> d.setCredentialsSecret(null)),
            "spec.database.credentialsSecret"),
        bad("blank Secret name", secret(c -> c.setName(" ")), "spec.database.credentialsSecret.name"),
        bad("Secret name ../other-ns", secret(c -> c.setName("../other-ns")),
            "spec.database.credentialsSecret.name"),
        bad("Secret key a b", secret(c -> c.getKeys().setPassword("a b")),
            "spec.database.credentialsSecret.keys.password"),
        bad("empty Secret key", secret(c -> c.getKeys().setUsername("")),
            "spec.database.credentialsSecret.keys.username"),
        bad("Secret key .", secret(c -> c.getKeys().setDatabase(".")),
            "spec.database.credentialsSecret.keys.database"),
        bad("Secret key ..", secret(c -> c.getKeys().setDatabase("..")),
            "spec.database.credentialsSecret.keys.database"),
        bad("Secret key ..data", secret(c -> c.getKeys().setPassword("..data")),
            "spec.database.credentialsSecret.keys.password"),
        bad("no selector", leader(l -> l.setSelector(null)), "spec.database.leader.selector"),
        bad("empty selector", leader(l -> l.setSelector(Map.of())), "spec.database.leader.selector"),
        bad("17 selector labels", leader(l -> l.setSelector(labels(17))), "spec.database.leader.selector"),
        bad("selector key 'bad key!'", leader(l -> l.setSelector(Map.of("bad key!", "x"))),
            "spec.database.leader.selector"),
        bad("selector key with an empty prefix", leader(l -> l.setSelector(Map.of("/role", "x"))),
            "spec.database.leader.selector"),
        bad("selector key with a 254-character prefix", leader(l -> l.setSelector(
            Map.of("a".repeat(254) + "/b", "x"))), "spec.database.leader.selector"),
        bad("selector value of 64 characters", leader(l -> l.setSelector(
            Map.of("cluster-name", "a".repeat(64)))), "spec.database.leader.selector"),
        bad("selector value ending in a dot", leader(l -> l.setSelector(Map.of("cluster-name", "a."))),
            "spec.database.leader.selector"),
        bad("roleLabel /x", leader(l -> l.setRoleLabel("/x")), "spec.database.leader.roleLabel"),
        bad("roleLabel a/b/c", leader(l -> l.setRoleLabel("a/b/c")), "spec.database.leader.roleLabel"),
        bad("roleLabel with a 254-character prefix", leader(l -> l.setRoleLabel("a".repeat(254) + "/b")),
            "spec.database.leader.roleLabel"),
        bad("empty roleValues", leader(l -> l.setRoleValues(List.of())), "spec.database.leader.roleValues"),
        bad("9 roleValues", leader(l -> l.setRoleValues(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"))),
            "spec.database.leader.roleValues"),
        bad("an empty role value", leader(l -> l.setRoleValues(List.of("primary", ""))),
            "spec.database.leader.roleValues[1]"),
        bad("role value 'not valid!'", leader(l -> l.setRoleValues(List.of("not valid!"))),
            "spec.database.leader.roleValues[0]"),
        bad("env password 1BAD", env(e -> e.setPassword("1BAD")), "spec.env.password"),
        bad("env host $(X)", env(e -> e.setHost("$(X)")), "spec.env.host"),
        bad("129-character env name", env(e -> e.setDatabase("A".repeat(129))), "spec.env.database"),
        bad("two variables share a name", env(e -> e.setUsername("POSTGRES_PASSWORD")), "spec.env"),
        bad("custom names that collide", env(e -> {
          e.setHost("DB");
          e.setPort("DB");
        }), "spec.env"),
        bad("backoffLimit -1", job(j -> j.setBackoffLimit(-1)), "spec.job.backoffLimit"),
        bad("backoffLimit 11", job(j -> j.setBackoffLimit(11)), "spec.job.backoffLimit"),
        bad("activeDeadlineSeconds 0", job(j -> j.setActiveDeadlineSeconds(0L)),
            "spec.job.activeDeadlineSeconds"),
        bad("ttlSecondsAfterFinished beyond 30 days", job(j -> j.setTtlSecondsAfterFinished(2_592_001)),
            "spec.job.ttlSecondsAfterFinished"),
        bad("podStartDeadlineSeconds 9", job(j -> j.setPodStartDeadlineSeconds(9)),
            "spec.job.podStartDeadlineSeconds"),
        bad("podStartDeadlineSeconds beyond a day", job(j -> j.setPodStartDeadlineSeconds(86_401)),
            "spec.job.podStartDeadlineSeconds"),
        bad("imagePullPolicy always (case)", json(root -> ((ObjectNode) root.at("/spec/job"))
            .put("imagePullPolicy", "always")), "spec.job.imagePullPolicy"),
        bad("serviceAccountName Bad_SA", job(j -> j.setServiceAccountName("Bad_SA")),
            "spec.job.serviceAccountName"),
        bad("a pull secret without a name", job(j -> j.setImagePullSecrets(List.of(new LocalObjectReference()))),
            "spec.job.imagePullSecrets[0].name"),
        bad("an invalid pull secret name", job(j -> j.setImagePullSecrets(
            List.of(new LocalObjectReference("ok"), new LocalObjectReference("Not OK")))),
            "spec.job.imagePullSecrets[1].name"),
        bad("17 pull secrets", job(j -> j.setImagePullSecrets(IntStream.range(0, 17)
            .mapToObj(i -> new LocalObjectReference("s" + i)).toList())), "spec.job.imagePullSecrets"),
        bad("cpu limit lots", resources("{\"limits\":{\"cpu\":\"lots\"}}"), "spec.job.resources.limits"),
        bad("empty cpu limit", resources("{\"limits\":{\"cpu\":\"\"}}"), "spec.job.resources.limits"),
        bad("cpu request with a space", resources("{\"requests\":{\"cpu\":\" 1\"}}"),
            "spec.job.resources.requests"),
        bad("negative memory limit", resources("{\"limits\":{\"memory\":\"-1Gi\"}}"),
            "spec.job.resources.limits"),
        bad("negative integer cpu request", resources("{\"requests\":{\"cpu\":-1}}"),
            "spec.job.resources.requests"),
        bad("a fractional number", resources("{\"limits\":{\"cpu\":0.5}}"), "spec.job.resources.limits"),
        bad("memory request above its limit", resources(
            "{\"requests\":{\"memory\":\"2Gi\"},\"limits\":{\"memory\":\"1Gi\"}}"),
            "spec.job.resources.requests"),
        bad("cpu request above its limit, in other notations", resources(
            "{\"requests\":{\"cpu\":2},\"limits\":{\"cpu\":\"1500m\"}}"), "spec.job.resources.requests"),
        bad("a resource name with spaces", resources("{\"limits\":{\"lots of cpu\":\"1\"}}"),
            "spec.job.resources.limits"),
        bad("a resource name $(id)", resources("{\"requests\":{\"$(id)\":\"1\"}}"),
            "spec.job.resources.requests"),
        bad("an extended resource", resources("{\"limits\":{\"example.com/gpu\":\"1\"}}"),
            "spec.job.resources.limits"),
        bad("hugepages", resources("{\"limits\":{\"hugepages-2Mi\":\"1Gi\",\"memory\":\"1Gi\"}}"),
            "spec.job.resources.limits"),
        bad("CPU in capitals", resources("{\"requests\":{\"CPU\":\"1\"}}"),
            "spec.job.resources.requests"),
        bad("resource claims", resources("{\"claims\":[{\"name\":\"gpu\"}]}"),
            "spec.job.resources.claims"),
        bad("rerun with a space", spec(s -> s.setRerun("build 7")), "spec.rerun"),
        bad("rerun with a newline", spec(s -> s.setRerun("7\nrm")), "spec.rerun"),
        bad("empty rerun", spec(s -> s.setRerun("")), "spec.rerun"),
        bad("64-character rerun", spec(s -> s.setRerun("1".repeat(64))), "spec.rerun"),
        bad("engine sqitch (no such engine)",
            json(root -> ((ObjectNode) root.path("spec")).put("engine", "sqitch")),
            "spec.engine"));
  }

  // ---------------------------------------------------------------------------------------------
  // Building the cases
  // ---------------------------------------------------------------------------------------------

  private static Arguments good(String description, Consumer<DatabaseMigration> mutation) {
    return good(description, typed(mutation));
  }

  private static Arguments good(String description, Function<DatabaseMigration, JsonNode> edit) {
    return arguments(Named.of(description, edit));
  }

  private static Arguments bad(String description, Consumer<DatabaseMigration> mutation, String field) {
    return bad(description, typed(mutation), field);
  }

  private static Arguments bad(String description, Function<DatabaseMigration, JsonNode> edit,
      String field) {
    return arguments(Named.of(description, edit), field);
  }

  private static Function<DatabaseMigration, JsonNode> typed(Consumer<DatabaseMigration> mutation) {
    return dbm -> {
      mutation.accept(dbm);
      return tree(Serialization.asJson(dbm));
    };
  }

  /** An edit of the JSON as sent, for values no Java type holds. */
  private static Function<DatabaseMigration, JsonNode> json(Consumer<ObjectNode> edit) {
    return dbm -> {
      ObjectNode root = (ObjectNode) tree(Serialization.asJson(dbm));
      edit.accept(root);
      return root;
    };
  }

  private static Function<DatabaseMigration, JsonNode> resources(String resources) {
    return json(root -> ((ObjectNode) root.at("/spec/job")).set("resources", tree(resources)));
  }

  private static Consumer<DatabaseMigration> spec(Consumer<DatabaseMigrationSpec> mutation) {
    return dbm -> mutation.accept(dbm.getSpec());
  }

  private static Consumer<DatabaseMigration> workingDir(String dir) {
    return spec(s -> s.setWorkingDir(dir));
  }

  private static Consumer<DatabaseMigration> imageFrom(ImageSource source) {
    return spec(s -> {
      s.setImage(null);
      s.setImageFrom(source);
    });
  }

  private static Consumer<DatabaseMigration> database(Consumer<DatabaseSpec> mutation) {
    return dbm -> mutation.accept(dbm.getSpec().getDatabase());
  }

  private static Consumer<DatabaseMigration> secret(Consumer<CredentialsSecret> mutation) {
    return dbm -> mutation.accept(dbm.getSpec().getDatabase().getCredentialsSecret());
  }

  private static Consumer<DatabaseMigration> leader(Consumer<LeaderDiscovery> mutation) {
    return dbm -> mutation.accept(dbm.getSpec().getDatabase().getLeader());
  }

  private static Consumer<DatabaseMigration> env(Consumer<EnvNames> mutation) {
    return dbm -> mutation.accept(dbm.getSpec().getEnv());
  }

  private static Consumer<DatabaseMigration> job(Consumer<JobSettings> mutation) {
    return dbm -> mutation.accept(dbm.getSpec().getJob());
  }

  private static Map<String, String> labels(int count) {
    Map<String, String> labels = new LinkedHashMap<>();
    IntStream.range(0, count).forEach(i -> labels.put("label-" + i, "v"));
    return labels;
  }

  /** limits.cpu=2, ...: each quantity as text, whether the JSON held a number or a string. */
  private static Map<String, String> quantities(JsonNode resources) {
    Map<String, String> out = new TreeMap<>();
    for (String kind : List.of("limits", "requests")) {
      resources.path(kind).fields().forEachRemaining(
          e -> out.put(kind + "." + e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }
}
