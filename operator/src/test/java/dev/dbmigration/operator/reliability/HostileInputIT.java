package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.testing.CapturedLog;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile DatabaseMigrations against the real kube-apiserver with the real operator
 * running. Each case is written as raw JSON (so that values no Java type can hold still reach the
 * server) in a namespace of its own that has everything a Job would need: the seed's Secret and a
 * Running, Ready Patroni leader at a loopback address. So a case that slipped past both the CRD
 * schema and the operator's own checks would get a Job, and the test would see it.
 *
 * <p>Every case must end in exactly one of: rejected by the API server at apply time (the message
 * names the field: the CRD holds every rule of the spec), or, for what only the cluster can tell
 * (the Secret and its keys), accepted and answered by the operator with phase {@code Pending} and
 * a message naming the Secret or key. In every case no Job is created, which is checked once more
 * after all cases have had time. A valid control migration runs to {@code Succeeded} before and
 * after the hostile cases.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

  static final Duration ANSWER = Duration.ofSeconds(30);
  static final String NAME = "app";
  static final String SECRET = "app-creds";
  static final String CLUSTER = "patroni-app";
  /** Longest status message accepted as "clear": it must fit a terminal, not a screenful of echo. */
  static final int MAX_MESSAGE = 4096;
  static final ResourceDefinitionContext DBM = new ResourceDefinitionContext.Builder()
      .withGroup(DatabaseMigration.GROUP).withVersion(DatabaseMigration.VERSION)
      .withKind("DatabaseMigration").withPlural("databasemigrations").withNamespaced(true).build();

  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static KubernetesClient client;
  static TestCluster cluster;
  static MigrationOperator operator;
  static CapturedLog log;
  /** Informers of the operator that stopped for good, with why. */
  static final List<String> stoppedInformers = new CopyOnWriteArrayList<>();

  /** One row per case, in the order run, for the summary table. */
  static final List<Result> results = new CopyOnWriteArrayList<>();
  /** Every namespace a hostile case used (including the "other" namespace of the cross-ns case). */
  static final List<String> hostileNamespaces = new CopyOnWriteArrayList<>();
  static final List<String> controlResults = new CopyOnWriteArrayList<>();
  static int podIp = 0;

  @BeforeAll
  static void start() {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    cluster = new TestCluster(client);
    log = CapturedLog.start(Map.of());
    // As OperatorHarness starts it, with one difference: JOSDK's default handler of an informer
    // that stops with an error calls System.exit(1), which would kill this test JVM before it
    // could report anything. Here the stop is recorded, and every case and the final check fail
    // on it; in production the same stop is an exit, i.e. a restart of the operator's pod.
    // Best-effort database check: the control and the valid cases point their leaders where no
    // database listens; what is at stake here is the answer to bad input, not the database.
    operator = new MigrationOperator(client, new OperatorSettings(Set.of(), 0)
        .withDatabaseCheck(DatabaseCheckMode.BEST_EFFORT),
        o -> o.withInformerStoppedHandler((informer, error) -> {
          if (error != null) {
            stoppedInformers.add(informer.getApiTypeClass().getSimpleName() + " informer stopped: "
                + error + (error.getCause() == null ? "" : " caused by " + error.getCause()));
          }
        }));
    operator.start();
    await("operator informers synced").atMost(Duration.ofSeconds(60)).until(operator::isReady);
  }

  @AfterAll
  static void stop() {
    try {
      printSummary();
    } finally {
      // The API server outlives this class: later classes start operators of their own that
      // watch every namespace, so the hostile resources must not stay behind for them.
      if (client != null) {
        for (String ns : hostileNamespaces) {
          try {
            client.genericKubernetesResources(DBM).inNamespace(ns).delete();
          } catch (KubernetesClientException e) {
            System.out.println("could not delete the hostile resources of " + ns + ": " + e.getCode());
          }
        }
      }
      if (operator != null) {
        operator.close();
      }
      if (log != null) {
        log.close();
      }
      if (client != null) {
        client.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The table of cases
  // ---------------------------------------------------------------------------------------------

  enum Outcome { REJECTED, PENDING }

  /**
   * What the namespace holds before the case is applied: the credentials Secret (null: none),
   * whether a Secret with valid keys is put into another namespace, and the leader pod (always).
   */
  record Setup(Map<String, String> secret, boolean secretInOtherNamespace) {
    static final Setup FULL = new Setup(seed(TestCluster.PASSWORD), false);
    static final Setup NO_SECRET = new Setup(null, false);

    static Map<String, String> seed(String password) {
      Map<String, String> data = new LinkedHashMap<>();
      data.put("app-db-name", "wps");
      data.put("app-db-username", "wps");
      data.put("app-db-password", password);
      return data;
    }
  }

  /**
   * One hostile resource. {@code mentions}: what the server's or operator's message must contain
   * (the field path, or the Secret key); {@code ${ns}} and {@code ${other}} stand for the case's
   * namespaces. {@code absent}: JSON pointers that must not survive into the stored object.
   */
  record Case(String name, Outcome outcome, String reason, List<String> mentions,
      List<String> mustNotMention, Setup setup, UnaryOperator<ObjectNode> edit,
      List<String> absent) {

    Case withSetup(Setup newSetup) {
      return new Case(name, outcome, reason, mentions, mustNotMention, newSetup, edit, absent);
    }

    Case notMentioning(String... texts) {
      return new Case(name, outcome, reason, mentions, List.of(texts), setup, edit, absent);
    }

    Case pruning(String... pointers) {
      return new Case(name, outcome, reason, mentions, mustNotMention, setup, edit,
          List.of(pointers));
    }

    /** The table's expected column; {@link #run} spells what it saw the same way. */
    String expected() {
      return switch (outcome) {
        case REJECTED -> "rejected by API server: " + mentions.get(0) + "; 0 Jobs";
        case PENDING -> "Pending " + reason + ": " + String.join(", ", mentions) + "; 0 Jobs";
      };
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Case rejected(String name, String field, UnaryOperator<ObjectNode> edit) {
    return new Case(name, Outcome.REJECTED, null, List.of(field), List.of(), Setup.FULL, edit,
        List.of());
  }

  static Case pending(String name, String reason, Setup setup, UnaryOperator<ObjectNode> edit,
      String... mentions) {
    return new Case(name, Outcome.PENDING, reason, List.of(mentions), List.of(), setup, edit,
        List.of());
  }

  /** Characters that must not reach a Job through any string field. */
  record Poison(String label, String text) {
  }

  static final List<Poison> POISONS = List.of(
      new Poison("NUL", "\u0000"),
      new Poison("newline", "\n"),
      new Poison("bidi-override-U+202E", "\u202e"),
      new Poison("emoji", "\uD83D\uDE80"));

  /** A string field, how to put a poisoned value into it, and where it must be caught. */
  record Spot(String label, String field, Setup setup,
      Function<String, UnaryOperator<ObjectNode>> edit) {
  }

  static List<Spot> stringFields() {
    return List.of(
        new Spot("image", "spec.image", Setup.FULL,
            p -> set("spec.image", "registry.example/wps-api" + p + ":1")),
        new Spot("target", "spec.target", Setup.FULL,
            p -> set("spec.target", "head" + p)),
        new Spot("workingDir", "spec.workingDir", Setup.FULL,
            p -> set("spec.workingDir", "/app/" + p + "/bootstrap")),
        new Spot("secret-name", "spec.database.credentialsSecret.name",
            Setup.FULL, p -> set("spec.database.credentialsSecret.name", "app" + p + "creds")),
        new Spot("secret-key", "spec.database.credentialsSecret.keys.password",
            Setup.FULL,
            p -> set("spec.database.credentialsSecret.keys.password", "app-db-password" + p)),
        new Spot("env-name", "spec.env.password", Setup.FULL,
            p -> set("spec.env.password", "DB_PASS" + p)),
        new Spot("selector-key", "spec.database.leader.selector", Setup.FULL,
            p -> set("spec.database.leader.selector", obj("cluster" + p + "name", CLUSTER))),
        new Spot("selector-value", "spec.database.leader.selector", Setup.FULL,
            p -> set("spec.database.leader.selector", obj("cluster-name", CLUSTER + p))),
        new Spot("roleLabel", "spec.database.leader.roleLabel", Setup.FULL,
            p -> set("spec.database.leader.roleLabel", "role" + p)),
        new Spot("roleValues", "spec.database.leader.roleValues[0]", Setup.FULL,
            p -> set("spec.database.leader.roleValues", arr("master" + p))),
        // No Secret next to a host case: the operator must never get as far as connecting to a
        // host that only a hostile string names.
        new Spot("host", "spec.database.host", Setup.NO_SECRET,
            p -> all(unset("spec.database.leader"), set("spec.database.host", "127.0.0.1" + p))),
        new Spot("rerun", "spec.rerun", Setup.FULL,
            p -> set("spec.rerun", "build-7" + p)),
        new Spot("serviceAccountName", "spec.job.serviceAccountName",
            Setup.FULL, p -> set("spec.job.serviceAccountName", "migrator" + p)),
        new Spot("imagePullSecret", "spec.job.imagePullSecrets[0].name",
            Setup.FULL,
            p -> set("spec.job.imagePullSecrets", JSON.createArrayNode().add(obj("name", "pull" + p)))));
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    String tenK = "a".repeat(10_000);

    // --- empty and oversized strings -------------------------------------------------------
    cases.add(rejected("image: empty", "spec.image", set("spec.image", "")));
    cases.add(rejected("image: missing", "spec.image", unset("spec.image")));
    cases.add(rejected("image: 10000 chars", "spec.image", set("spec.image", tenK)));
    cases.add(rejected("target: empty", "spec.target", set("spec.target", "")));
    cases.add(rejected("target: 10000 chars", "spec.target", set("spec.target", tenK)));
    cases.add(rejected("workingDir: empty", "spec.workingDir", set("spec.workingDir", "")));
    cases.add(rejected("workingDir: 10000 chars", "spec.workingDir",
        set("spec.workingDir", "/" + tenK)));
    cases.add(rejected("secret name: empty", "spec.database.credentialsSecret.name",
        set("spec.database.credentialsSecret.name", "")));
    cases.add(rejected("secret name: 10000 chars", "spec.database.credentialsSecret.name",
        set("spec.database.credentialsSecret.name", tenK)));
    cases.add(rejected("secret key: empty", "spec.database.credentialsSecret.keys.password",
        set("spec.database.credentialsSecret.keys.password", "")));
    cases.add(rejected("secret key: 10000 chars", "spec.database.credentialsSecret.keys.username",
        set("spec.database.credentialsSecret.keys.username", tenK)));
    cases.add(rejected("env name: empty", "spec.env.password", set("spec.env.password", "")));
    cases.add(rejected("env name: 10000 chars", "spec.env.host",
        set("spec.env.host", "H".repeat(10_000))));
    cases.add(rejected("roleLabel: empty", "spec.database.leader.roleLabel",
        set("spec.database.leader.roleLabel", "")));
    cases.add(rejected("roleLabel: 10000 chars", "spec.database.leader.roleLabel",
        set("spec.database.leader.roleLabel", tenK)));
    cases.add(rejected("serviceAccountName: 10000 chars", "spec.job.serviceAccountName",
        set("spec.job.serviceAccountName", tenK)));
    cases.add(rejected("selector key: 10000 chars", "spec.database.leader.selector",
        set("spec.database.leader.selector", obj(tenK, CLUSTER))));
    cases.add(rejected("selector value: 10000 chars", "spec.database.leader.selector",
        set("spec.database.leader.selector", obj("cluster-name", tenK))));
    cases.add(rejected("roleValues[0]: 10000 chars", "spec.database.leader.roleValues[0]",
        set("spec.database.leader.roleValues", arr(tenK))));
    cases.add(rejected("imagePullSecrets[0].name: 10000 chars", "spec.job.imagePullSecrets[0].name",
        set("spec.job.imagePullSecrets", JSON.createArrayNode().add(obj("name", tenK)))));
    cases.add(rejected("imagePullSecrets[0]: no name", "spec.job.imagePullSecrets[0].name",
        set("spec.job.imagePullSecrets", JSON.createArrayNode().add(JSON.createObjectNode()))));
    ObjectNode manyKeys = JSON.createObjectNode();
    IntStream.range(0, 10_000).forEach(i -> manyKeys.put(String.format("bad key %05d", i), "x"));
    cases.add(rejected("selector: 10000 invalid keys (message must stay bounded)",
        "spec.database.leader.selector", set("spec.database.leader.selector", manyKeys)));

    // --- unicode and control characters in every string field ------------------------------
    for (Spot spot : stringFields()) {
      for (Poison poison : POISONS) {
        String name = spot.label() + ": " + poison.label();
        // An emoji is a legal character of a directory name: no hostile case. (A bidi override is
        // an invisible format character that makes the path read other than it is: refused.)
        if (spot.label().equals("workingDir") && poison.label().equals("emoji")) {
          continue;
        }
        cases.add(rejected(name, spot.field(), spot.edit().apply(poison.text()))
            .withSetup(spot.setup()));
      }
    }
    cases.add(rejected("workingDir: C1 control U+009B (CSI)", "spec.workingDir",
        set("spec.workingDir", "/app/\u009b31mbootstrap")));
    cases.add(rejected("workingDir: C1 control U+0085 (NEL)", "spec.workingDir",
        set("spec.workingDir", "/app/\u0085bootstrap")));
    cases.add(rejected("workingDir: DEL", "spec.workingDir", set("spec.workingDir", "/app/\u007f")));
    cases.add(rejected("workingDir: line separator U+2028", "spec.workingDir",
        set("spec.workingDir", "/app/\u2028bootstrap")));
    cases.add(rejected("workingDir: zero-width joiner U+200D", "spec.workingDir",
        set("spec.workingDir", "/app/boot\u200dstrap")));
    cases.add(rejected("workingDir: bidi isolate U+2066", "spec.workingDir",
        set("spec.workingDir", "/app/\u2066bootstrap")));
    cases.add(rejected("engine: bidi-override-U+202E", "spec.engine",
        set("spec.engine", "alembic\u202e")));
    cases.add(rejected("action: NUL", "spec.action", set("spec.action", "upgrade\u0000")));
    cases.add(rejected("preset: emoji", "spec.database.leader.preset",
        set("spec.database.leader.preset", "patroni\uD83D\uDE80")));

    // --- shell metacharacters --------------------------------------------------------------
    List<String> shell = List.of("$(id)", "`id`", ";id", "|id", "&&id");
    for (String meta : shell) {
      cases.add(rejected("target: shell " + meta, "spec.target", set("spec.target", "head" + meta)));
      cases.add(rejected("image: shell " + meta, "spec.image",
          set("spec.image", "registry.example/wps-api:1" + meta)));
      cases.add(rejected("env name: shell " + meta, "spec.env.username",
          set("spec.env.username", "DB_USER" + meta)));
      // The container's workingDir is no shell word (Kubernetes neither expands nor interprets
      // it), but an image's entrypoint script may cd into it: the CRD refuses shell syntax.
      cases.add(rejected("workingDir: shell " + meta, "spec.workingDir",
          set("spec.workingDir", "/app" + meta)));
    }
    for (String meta : List.of("\\", "'", "\"", "<in", ">out", "(sub)")) {
      cases.add(rejected("workingDir: shell " + meta, "spec.workingDir",
          set("spec.workingDir", "/app" + meta)));
    }
    cases.add(rejected("rerun: shell $(id)", "spec.rerun", set("spec.rerun", "$(id)")));
    cases.add(rejected("secret name: shell $(id)", "spec.database.credentialsSecret.name",
        set("spec.database.credentialsSecret.name", "$(id)")));

    // --- numbers: negative, huge, beyond int32/int64, wrong type ----------------------------
    cases.add(rejected("port: -1", "spec.database.port", set("spec.database.port", -1)));
    cases.add(rejected("port: 0", "spec.database.port", set("spec.database.port", 0)));
    cases.add(rejected("port: 65536", "spec.database.port", set("spec.database.port", 65536)));
    cases.add(rejected("port: 99999999999999999999999 (beyond int64)", "spec.database.port",
        set("spec.database.port", big("99999999999999999999999"))));
    cases.add(rejected("port: -9223372036854775809 (below int64)", "spec.database.port",
        set("spec.database.port", big("-9223372036854775809"))));
    cases.add(rejected("port: \"5432\" (string)", "spec.database.port",
        set("spec.database.port", "5432")));
    cases.add(rejected("port: 5432.5 (fraction)", "spec.database.port",
        set("spec.database.port", raw("5432.5"))));
    cases.add(rejected("backoffLimit: -1", "spec.job.backoffLimit", set("spec.job.backoffLimit", -1)));
    cases.add(rejected("backoffLimit: 2147483648 (beyond int32)", "spec.job.backoffLimit",
        set("spec.job.backoffLimit", big("2147483648"))));
    cases.add(rejected("backoffLimit: \"ten\" (string)", "spec.job.backoffLimit",
        set("spec.job.backoffLimit", "ten")));
    cases.add(rejected("activeDeadlineSeconds: 0", "spec.job.activeDeadlineSeconds",
        set("spec.job.activeDeadlineSeconds", 0)));
    cases.add(rejected("activeDeadlineSeconds: -5", "spec.job.activeDeadlineSeconds",
        set("spec.job.activeDeadlineSeconds", -5)));
    cases.add(rejected("activeDeadlineSeconds: 9223372036854775808 (beyond int64)",
        "spec.job.activeDeadlineSeconds",
        set("spec.job.activeDeadlineSeconds", big("9223372036854775808"))));
    cases.add(rejected("ttlSecondsAfterFinished: -1", "spec.job.ttlSecondsAfterFinished",
        set("spec.job.ttlSecondsAfterFinished", -1)));
    cases.add(rejected("ttlSecondsAfterFinished: 2147483648 (beyond int32)",
        "spec.job.ttlSecondsAfterFinished",
        set("spec.job.ttlSecondsAfterFinished", big("2147483648"))));
    cases.add(rejected("ttlSecondsAfterFinished: -99999999999999999999 (below int64)",
        "spec.job.ttlSecondsAfterFinished",
        set("spec.job.ttlSecondsAfterFinished", big("-99999999999999999999"))));
    cases.add(rejected("podStartDeadlineSeconds: 9", "spec.job.podStartDeadlineSeconds",
        set("spec.job.podStartDeadlineSeconds", 9)));
    cases.add(rejected("podStartDeadlineSeconds: 86401", "spec.job.podStartDeadlineSeconds",
        set("spec.job.podStartDeadlineSeconds", 86_401)));
    cases.add(rejected("podStartDeadlineSeconds: -1", "spec.job.podStartDeadlineSeconds",
        set("spec.job.podStartDeadlineSeconds", -1)));
    cases.add(rejected("podStartDeadlineSeconds: 2147483648 (beyond int32)",
        "spec.job.podStartDeadlineSeconds",
        set("spec.job.podStartDeadlineSeconds", big("2147483648"))));
    cases.add(rejected("podStartDeadlineSeconds: \"300\" (string)", "spec.job.podStartDeadlineSeconds",
        set("spec.job.podStartDeadlineSeconds", "300")));
    cases.add(rejected("resources.limits.cpu: \"lots\" (not a quantity)", "spec.job.resources",
        set("spec.job.resources", raw("{\"limits\":{\"cpu\":\"lots\"}}"))));
    cases.add(rejected("resources.limits.memory: \"-1Gi\" (negative)", "spec.job.resources",
        set("spec.job.resources", raw("{\"limits\":{\"memory\":\"-1Gi\"}}"))));
    // fabric8's Quantity parser throws on it: inside the operator's informer, that would stop the
    // watch of every DatabaseMigration. It must never be stored.
    cases.add(rejected("resources.limits.cpu: \"\" (empty quantity)", "spec.job.resources",
        set("spec.job.resources", raw("{\"limits\":{\"cpu\":\"\"}}"))));
    cases.add(rejected("resources.requests.memory above its limit", "spec.job.resources",
        set("spec.job.resources",
            raw("{\"requests\":{\"memory\":\"2Gi\"},\"limits\":{\"memory\":\"1Gi\"}}"))));
    cases.add(rejected("resources.limits: \"$(id)\" as a resource name", "spec.job.resources",
        set("spec.job.resources", raw("{\"limits\":{\"$(id)\":\"1\"}}"))));
    cases.add(rejected("resources.requests.cpu: -1 (negative number)", "spec.job.resources",
        set("spec.job.resources", raw("{\"requests\":{\"cpu\":-1}}"))));
    cases.add(rejected("resources.limits.cpu: 0.5 (a number, not a quantity string)",
        "spec.job.resources", set("spec.job.resources", raw("{\"limits\":{\"cpu\":0.5}}"))));
    cases.add(rejected("resources.requests.cpu 2 above its limit 1500m", "spec.job.resources",
        set("spec.job.resources", raw("{\"requests\":{\"cpu\":2},\"limits\":{\"cpu\":\"1500m\"}}"))));
    // The API server would refuse the Job's pod (whole numbers, requests equal to limits).
    cases.add(rejected("resources.limits: an extended resource example.com/gpu", "spec.job.resources",
        set("spec.job.resources", raw("{\"limits\":{\"example.com/gpu\":\"1\"}}"))));
    cases.add(rejected("resources.limits: hugepages-2Mi", "spec.job.resources",
        set("spec.job.resources", raw("{\"limits\":{\"hugepages-2Mi\":\"1Gi\"}}"))));
    cases.add(rejected("resources.claims: one claim", "spec.job.resources",
        set("spec.job.resources", raw("{\"claims\":[{\"name\":\"gpu\"}]}"))));

    // --- labels and selectors --------------------------------------------------------------
    cases.add(rejected("selector: empty {}", "spec.database.leader",
        set("spec.database.leader.selector", JSON.createObjectNode())));
    cases.add(rejected("selector: missing", "spec.database.leader.selector",
        unset("spec.database.leader.selector")));
    cases.add(rejected("selector: a list instead of a map", "spec.database.leader.selector",
        set("spec.database.leader.selector", arr("cluster-name=" + CLUSTER))));
    cases.add(rejected("selector key: \"a b\"", "spec.database.leader.selector",
        set("spec.database.leader.selector", obj("a b", CLUSTER))));
    cases.add(rejected("selector key: empty", "spec.database.leader.selector",
        set("spec.database.leader.selector", obj("", CLUSTER))));
    cases.add(rejected("selector key: two slashes a/b/c", "spec.database.leader.selector",
        set("spec.database.leader.selector", obj("a/b/c", CLUSTER))));
    cases.add(rejected("selector value: 64 chars", "spec.database.leader.selector",
        set("spec.database.leader.selector", obj("cluster-name", "v".repeat(64)))));
    // The server prunes the null entry, and the selector left empty breaks the CEL rule.
    cases.add(rejected("selector value: null", "spec.database.leader",
        set("spec.database.leader.selector", obj("cluster-name", null))));
    cases.add(rejected("roleLabel: \"not a label!\"", "spec.database.leader.roleLabel",
        set("spec.database.leader.roleLabel", "not a label!")));
    cases.add(rejected("roleLabel: two slashes a/b/role", "spec.database.leader.roleLabel",
        set("spec.database.leader.roleLabel", "a/b/role")));
    cases.add(rejected("roleLabel: a 254-character prefix", "spec.database.leader.roleLabel",
        set("spec.database.leader.roleLabel", "a".repeat(254) + "/role")));
    cases.add(rejected("selector key: a 254-character prefix", "spec.database.leader.selector",
        set("spec.database.leader.selector", obj("a".repeat(254) + "/cluster", CLUSTER))));
    cases.add(rejected("selector key: an empty prefix /cluster", "spec.database.leader.selector",
        set("spec.database.leader.selector", obj("/cluster", CLUSTER))));
    ObjectNode seventeen = JSON.createObjectNode();
    IntStream.range(0, 17).forEach(i -> seventeen.put("label-" + i, CLUSTER));
    cases.add(rejected("selector: 17 labels", "spec.database.leader.selector",
        set("spec.database.leader.selector", seventeen)));
    cases.add(rejected("roleValues: empty []", "spec.database.leader.roleValues",
        set("spec.database.leader.roleValues", JSON.createArrayNode())));
    cases.add(rejected("roleValues: 9 entries", "spec.database.leader.roleValues",
        set("spec.database.leader.roleValues", arr("a", "b", "c", "d", "e", "f", "g", "h", "i"))));
    cases.add(rejected("roleValues[0]: \"not valid!\"", "spec.database.leader.roleValues[0]",
        set("spec.database.leader.roleValues", arr("not valid!"))));
    cases.add(rejected("roleValues[0]: empty string", "spec.database.leader.roleValues[0]",
        set("spec.database.leader.roleValues", arr(""))));
    cases.add(rejected("roleValues[0]: null", "spec.database.leader.roleValues[0]",
        set("spec.database.leader.roleValues", JSON.createArrayNode().addNull())));

    // --- Secret references -----------------------------------------------------------------
    cases.add(rejected("secret name: other-ns/creds", "spec.database.credentialsSecret.name",
        set("spec.database.credentialsSecret.name", "other-ns/creds")));
    cases.add(rejected("secret name: ../creds", "spec.database.credentialsSecret.name",
        set("spec.database.credentialsSecret.name", "../creds")));
    // There is no namespace field: the server prunes it, and the operator looks for the Secret in
    // the resource's own namespace only, although a Secret of that name waits in the other one.
    cases.add(pending("secret: unknown field namespace: <other ns>", Reasons.SECRET_NOT_FOUND,
        new Setup(null, true), set("spec.database.credentialsSecret.namespace", "${other}"),
        SECRET, "${ns}")
        .notMentioning("${other}")
        .pruning("/spec/database/credentialsSecret/namespace"));
    cases.add(pending("secret: not found", Reasons.SECRET_NOT_FOUND, Setup.NO_SECRET,
        UnaryOperator.identity(), SECRET));
    Map<String, String> noPassword = Setup.seed("x");
    noPassword.remove("app-db-password");
    cases.add(pending("secret: password key absent", Reasons.SECRET_KEY_MISSING,
        new Setup(noPassword, false), UnaryOperator.identity(), "app-db-password"));
    cases.add(pending("secret: password key holds an empty value", Reasons.SECRET_KEY_MISSING,
        new Setup(Setup.seed(""), false), UnaryOperator.identity(), "app-db-password"));
    cases.add(pending("secret: every key holds an empty value", Reasons.SECRET_KEY_MISSING,
        new Setup(Map.of("app-db-name", "", "app-db-username", "", "app-db-password", ""), false),
        UnaryOperator.identity(), "app-db-name", "app-db-username", "app-db-password"));
    cases.add(pending("secret: no data at all", Reasons.SECRET_KEY_MISSING,
        new Setup(Map.of(), false), UnaryOperator.identity(),
        "app-db-name", "app-db-username", "app-db-password"));
    cases.add(pending("secret: custom key absent", Reasons.SECRET_KEY_MISSING, Setup.FULL,
        set("spec.database.credentialsSecret.keys.password", "db-pw"), "db-pw"));
    cases.add(rejected("secret key: \".\"", "spec.database.credentialsSecret.keys.password",
        set("spec.database.credentialsSecret.keys.password", ".")));
    cases.add(rejected("secret key: \"..\"", "spec.database.credentialsSecret.keys.database",
        set("spec.database.credentialsSecret.keys.database", "..")));
    cases.add(rejected("secret key: \"..data\" (a volume's directory)",
        "spec.database.credentialsSecret.keys.username",
        set("spec.database.credentialsSecret.keys.username", "..data")));

    // --- action, engine, image references --------------------------------------------------
    cases.add(rejected("downgrade without allowDowngrade", "spec.allowDowngrade",
        all(set("spec.action", "downgrade"), set("spec.target", "-1"))));
    cases.add(rejected("downgrade with allowDowngrade: false", "spec.allowDowngrade",
        all(set("spec.action", "downgrade"), set("spec.target", "base"),
            set("spec.allowDowngrade", false))));
    cases.add(rejected("allowDowngrade: \"true\" (string)", "spec.allowDowngrade",
        all(set("spec.action", "downgrade"), set("spec.target", "base"),
            set("spec.allowDowngrade", "true"))));
    cases.add(rejected("upgrade to base", "spec.target", set("spec.target", "base")));
    cases.add(rejected("engine: unknown sqitch", "spec.engine", set("spec.engine", "sqitch")));
    cases.add(rejected("engine: Alembic (case)", "spec.engine", set("spec.engine", "Alembic")));
    cases.add(rejected("engine flyway: downgrade", "spec.allowDowngrade",
        all(set("spec.engine", "flyway"), set("spec.action", "downgrade"), set("spec.target", "1"))));
    cases.add(rejected("engine flyway: relative target +1", "spec.target",
        all(set("spec.engine", "flyway"), set("spec.target", "+1"))));
    cases.add(rejected("action: unknown drop", "spec.action", set("spec.action", "drop")));
    cases.add(rejected("action: UPGRADE (case)", "spec.action", set("spec.action", "UPGRADE")));
    cases.add(rejected("image: UPPER/case", "spec.image", set("spec.image", "UPPER/case")));
    cases.add(rejected("image: image with space", "spec.image",
        set("spec.image", "image with space")));
    cases.add(rejected("image: @sha256:short", "spec.image",
        set("spec.image", "registry.example/wps-api@sha256:short")));
    cases.add(rejected("image: :tag-only", "spec.image", set("spec.image", ":tag-only")));
    cases.add(rejected("image: 123 (number)", "spec.image", set("spec.image", 123)));

    // --- structure -------------------------------------------------------------------------
    cases.add(rejected("database: both leader and host", "spec.database",
        set("spec.database.host", "127.0.0.1")).withSetup(Setup.NO_SECRET));
    cases.add(rejected("database: neither leader nor host", "spec.database",
        unset("spec.database.leader")));
    cases.add(rejected("database: missing", "spec.database", unset("spec.database")));
    cases.add(rejected("database: an array", "spec.database",
        set("spec.database", JSON.createArrayNode())));
    cases.add(rejected("credentialsSecret: missing", "spec.database.credentialsSecret",
        unset("spec.database.credentialsSecret")));
    cases.add(rejected("spec: empty object", "spec.database", set("spec", JSON.createObjectNode())));
    cases.add(rejected("spec: a string", "spec", set("spec", "oops")));
    cases.add(rejected("spec: missing", "spec", root -> {
      root.remove("spec");
      return root;
    }));
    cases.add(rejected("spec: null", "spec", set("spec", null)));
    cases.add(rejected("env: two variables share one name", "spec.env",
        set("spec.env.password", "POSTGRES_HOST")));
    cases.add(rejected("env: two custom names collide", "spec.env",
        all(set("spec.env.host", "DB"), set("spec.env.database", "DB"))));

    // --- job settings and rerun ------------------------------------------------------------
    cases.add(rejected("imagePullPolicy: always (case)", "spec.job.imagePullPolicy",
        set("spec.job.imagePullPolicy", "always")));
    cases.add(rejected("imagePullPolicy: Sometimes", "spec.job.imagePullPolicy",
        set("spec.job.imagePullPolicy", "Sometimes")));
    cases.add(rejected("imagePullPolicy: empty", "spec.job.imagePullPolicy",
        set("spec.job.imagePullPolicy", "")));
    cases.add(rejected("imagePullPolicy: NUL", "spec.job.imagePullPolicy",
        set("spec.job.imagePullPolicy", "Never\u0000")));
    ArrayNode pullSecrets = JSON.createArrayNode();
    IntStream.range(0, 17).forEach(i -> pullSecrets.add(obj("name", "pull-" + i)));
    cases.add(rejected("imagePullSecrets: 17 entries", "spec.job.imagePullSecrets",
        set("spec.job.imagePullSecrets", pullSecrets)));
    cases.add(rejected("imagePullSecrets[0].name: \"Not OK\"", "spec.job.imagePullSecrets[0].name",
        set("spec.job.imagePullSecrets", JSON.createArrayNode().add(obj("name", "Not OK")))));
    cases.add(rejected("rerun: empty", "spec.rerun", set("spec.rerun", "")));
    cases.add(rejected("rerun: 64 chars", "spec.rerun", set("spec.rerun", "7".repeat(64))));
    cases.add(rejected("rerun: 10000 chars", "spec.rerun", set("spec.rerun", tenK)));
    cases.add(rejected("rerun: with a space", "spec.rerun", set("spec.rerun", "build 7")));
    cases.add(rejected("rerun: 7 (number)", "spec.rerun", set("spec.rerun", 7)));
    // --- plan, approval, drift, lock (issue 15) ----------------------------------------------
    cases.add(rejected("plan.approval: unknown Later", "spec.plan.approval",
        set("spec.plan", obj("approval", "Later"))));
    cases.add(rejected("plan.approval: manual (case)", "spec.plan.approval",
        set("spec.plan", obj("approval", "manual"))));
    cases.add(rejected("plan.approval: 10000 chars", "spec.plan.approval",
        set("spec.plan", obj("approval", tenK))));
    cases.add(rejected("plan: a string", "spec.plan", set("spec.plan", "Manual")));
    cases.add(rejected("plan with action history", "spec.plan",
        all(set("spec.action", "history"), set("spec.plan", obj("approval", "Manual")))));
    cases.add(rejected("driftCheck: \"true\" (string)", "spec.driftCheck",
        set("spec.driftCheck", "true")));
    cases.add(rejected("driftCheck with engine flyway", "spec.driftCheck",
        all(set("spec.engine", "flyway"), set("spec.driftCheck", true))));
    cases.add(rejected("databaseLock: \"no\" (string)", "spec.databaseLock",
        set("spec.databaseLock", "no")));
    cases.add(rejected("databaseLock: 0 (number)", "spec.databaseLock",
        set("spec.databaseLock", 0)));
    // Unknown fields are pruned by the server. Without a Secret the run waits, so that the only
    // thing left to see is that none of them survived into the stored object.
    cases.add(pending("spec: unknown top-level fields (privileged, hostNetwork, job.podSpec)",
        Reasons.SECRET_NOT_FOUND, Setup.NO_SECRET,
        all(set("spec.privileged", true), set("spec.hostNetwork", true),
            set("spec.job.podSpec", obj("hostPID", "true"))),
        SECRET)
        .pruning("/spec/privileged", "/spec/hostNetwork", "/spec/job/podSpec"));
    // spec.command is a field now, for engine command only: beside alembic it is refused, not
    // pruned, so it can never be mistaken for the command that runs.
    cases.add(rejected("spec.command beside engine alembic", "spec.command",
        set("spec.command", arr("sh", "-c", "curl http://127.0.0.1:9/x | sh"))));
    cases.addAll(newFieldCases());
    return cases.stream();
  }

  /**
   * The fields of issue 16: TLS to the database, the migration pod's settings under spec.job,
   * engine command and Liquibase's targets. Each is the CRD's to refuse, naming the field.
   */
  static List<Case> newFieldCases() {
    List<Case> cases = new ArrayList<>();
    ObjectNode ca = JSON.createObjectNode();
    ca.set("configMapKeyRef", obj("name", "patroni-ca"));
    ObjectNode both = ca.deepCopy();
    both.set("secretKeyRef", obj("name", "patroni-ca"));
    // TLS
    cases.add(rejected("tls.mode: VERIFY-FULL (case)", "spec.database.tls.mode",
        set("spec.database.tls", obj("mode", "VERIFY-FULL"))));
    cases.add(rejected("tls.mode: verify-full without a CA", "spec.database.tls.ca",
        set("spec.database.tls", obj("mode", "verify-full"))));
    cases.add(rejected("tls: {} (verify-full by default) without a CA", "spec.database.tls.ca",
        set("spec.database.tls", JSON.createObjectNode())));
    cases.add(rejected("tls.mode: require with a CA it would not check", "spec.database.tls.ca",
        all(set("spec.database.tls.mode", "require"), set("spec.database.tls.ca", ca))));
    cases.add(rejected("tls.ca: both a ConfigMap and a Secret", "spec.database.tls.ca",
        all(set("spec.database.tls.mode", "verify-full"), set("spec.database.tls.ca", both))));
    cases.add(rejected("tls.ca: neither a ConfigMap nor a Secret", "spec.database.tls.ca",
        all(set("spec.database.tls.mode", "verify-full"),
            set("spec.database.tls.ca", JSON.createObjectNode()))));
    cases.add(rejected("tls.ca.configMapKeyRef.name: ../etc", "spec.database.tls.ca.configMapKeyRef.name",
        all(set("spec.database.tls.mode", "verify-full"),
            set("spec.database.tls.ca.configMapKeyRef", obj("name", "../etc")))));
    cases.add(rejected("tls.ca.secretKeyRef.key: a/b (a path)", "spec.database.tls.ca.secretKeyRef.key",
        all(set("spec.database.tls.mode", "verify-full"),
            set("spec.database.tls.ca.secretKeyRef", raw("{\"name\":\"db-tls\",\"key\":\"a/b\"}")))));
    // The migration pod's settings
    cases.add(rejected("job.nodeSelector: a key with a space", "spec.job.nodeSelector",
        set("spec.job.nodeSelector", obj("disk type", "ssd"))));
    cases.add(rejected("job.tolerations[0]: no key, operator Equal", "spec.job.tolerations[0]",
        set("spec.job.tolerations", JSON.createArrayNode().add(raw("{\"operator\":\"Equal\",\"value\":\"x\"}")))));
    cases.add(rejected("job.tolerations[0].effect: Evict", "spec.job.tolerations[0].effect",
        set("spec.job.tolerations", JSON.createArrayNode().add(raw("{\"key\":\"k\",\"effect\":\"Evict\"}")))));
    cases.add(rejected("job.priorityClassName: system-cluster-critical", "spec.job.priorityClassName",
        set("spec.job.priorityClassName", "system-cluster-critical")));
    cases.add(rejected("job.podLabels: the operator's managed-by", "spec.job.podLabels",
        set("spec.job.podLabels", obj("app.kubernetes.io/managed-by", "me"))));
    cases.add(rejected("job.env: PGSSLMODE (the operator's)", "spec.job.env[0].name",
        set("spec.job.env", JSON.createArrayNode().add(raw("{\"name\":\"PGSSLMODE\",\"value\":\"disable\"}")))));
    cases.add(rejected("job.env: POSTGRES_PASSWORD (a connection variable)", "spec.job.env",
        set("spec.job.env", JSON.createArrayNode().add(raw("{\"name\":\"POSTGRES_PASSWORD\",\"value\":\"x\"}")))));
    cases.add(rejected("job.env: DB_TOKEN (says it holds a secret)", "spec.job.env[0].name",
        set("spec.job.env", JSON.createArrayNode().add(raw("{\"name\":\"DB_TOKEN\",\"value\":\"x\"}")))));
    cases.add(rejected("job.env: a Secret's key", "spec.job.env[0].valueFrom",
        set("spec.job.env", JSON.createArrayNode().add(raw("{\"name\":\"X\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"k\"}}}")))));
    cases.add(rejected("job.volumes: hostPath /", "spec.job.volumes[0]",
        set("spec.job.volumes", JSON.createArrayNode().add(raw("{\"name\":\"root\",\"hostPath\":{\"path\":\"/\"}}")))));
    cases.add(rejected("job.volumes: the operator's dbmigration- prefix", "spec.job.volumes[0].name",
        set("spec.job.volumes", JSON.createArrayNode().add(raw("{\"name\":\"dbmigration-tls-ca\",\"emptyDir\":{}}")))));
    cases.add(rejected("job.volumeMounts: into /etc/dbmigration", "spec.job.volumeMounts[0].mountPath",
        all(set("spec.job.volumes", JSON.createArrayNode().add(raw("{\"name\":\"scratch\",\"emptyDir\":{}}"))),
            set("spec.job.volumeMounts", JSON.createArrayNode().add(raw("{\"name\":\"scratch\",\"mountPath\":\"/etc/dbmigration/tls\"}"))))));
    cases.add(rejected("job.volumeMounts: a volume that does not exist", "spec.job.volumeMounts",
        set("spec.job.volumeMounts", JSON.createArrayNode().add(raw("{\"name\":\"nope\",\"mountPath\":\"/x\"}")))));
    // engine command
    cases.add(rejected("engine command without spec.command", "spec.command",
        set("spec.engine", "command")));
    cases.add(rejected("engine command: command []", "spec.command",
        all(set("spec.engine", "command"), set("spec.command", JSON.createArrayNode()))));
    cases.add(rejected("engine command: action downgrade", "spec",
        all(set("spec.engine", "command"), set("spec.command", arr("migrate")),
            set("spec.action", "downgrade"), set("spec.allowDowngrade", true), set("spec.target", "-1"))));
    cases.add(rejected("versionTable beside engine alembic", "spec.versionTable",
        set("spec.versionTable", raw("{\"name\":\"v\",\"column\":\"c\"}"))));
    // Liquibase targets
    cases.add(rejected("engine liquibase: upgrade to -1", "spec.target",
        all(set("spec.engine", "liquibase"), set("spec.target", "-1"))));
    cases.add(rejected("engine liquibase: rollback-count without allowDowngrade", "spec.allowDowngrade",
        all(set("spec.engine", "liquibase"), set("spec.action", "downgrade"), set("spec.target", "-1"))));
    cases.add(rejected("engine liquibase: target with a shell metacharacter", "spec.target",
        all(set("spec.engine", "liquibase"), set("spec.target", "v1;rm -rf /"))));
    return cases;
  }

  // ---------------------------------------------------------------------------------------------
  // The tests
  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void aValidControlSucceedsBeforeTheHostileCases() {
    controlResults.add(runControl("before the table"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  @Order(2)
  void hostileInputIsRefusedWithoutAJob(Case c) {
    Result result = run(c);
    results.add(result);
    ScenarioTable.record("hostile input: " + printable(shorten(c.name(), 120)), result.expected(),
        result.observed());
    assertThat(result.problems().stream().map(p -> shorten(printable(p), 600)).toList())
        .as("case %s: expected %s, observed %s", c.name(), result.expected(), result.observed())
        .isEmpty();
  }

  @Test
  @Order(3)
  void aValidControlStillSucceedsAfterTheHostileCases() {
    controlResults.add(runControl("after the table"));
  }

  /**
   * Why a missing Secret key is Pending rather than Invalid: the resource is right, the Secret is
   * not there yet (it is often created by another tool after the resource), and the run starts
   * by itself once it is.
   */
  @Test
  @Order(4)
  void aMissingSecretKeyWaitsAndTheRunStartsOnceTheKeyIsAdded() {
    String expected = "Pending SecretKeyMissing, then Running with 1 Job once the key is added";
    String ns = cluster.newNamespace("late-key");
    cluster.createSecret(ns, SECRET, Map.of("app-db-name", ns, "app-db-username", "wps"));
    cluster.createReadyPod(ns, CLUSTER + "-0", Map.of("cluster-name", CLUSTER, "role", "master"),
        nextLoopbackIp());
    cluster.apply(Fixtures.migration(ns, NAME));
    String observed;
    try {
      DatabaseMigrationStatus waiting = await("Pending in " + ns).atMost(ANSWER)
          .until(() -> status(ns), st -> st != null && st.getPhase() != null);
      String first = waiting.getPhase() + " " + readyReason(waiting);
      client.secrets().inNamespace(ns).withName(SECRET).edit(secret -> {
        secret.getData().put("app-db-password", java.util.Base64.getEncoder().encodeToString(
            TestCluster.PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return secret;
      });
      DatabaseMigrationStatus running = await("Running in " + ns).atMost(ANSWER)
          .until(() -> status(ns), st -> st != null && st.getPhase() != Phase.Pending);
      observed = first + ", then " + running.getPhase() + " with " + cluster.jobs(ns).size()
          + " Job once the key is added";
    } catch (ConditionTimeoutException e) {
      observed = "timed out: " + e.getMessage();
    }
    ScenarioTable.record("hostile input: Secret key absent, then added (why Pending, not Invalid)",
        expected, observed);
    assertThat(observed).isEqualTo(expected);
  }

  @Test
  @Order(6)
  void noHostileCaseEverGotAJob() {
    assertThat(results).as("the hostile cases ran").isNotEmpty();
    // Every case has had time by now; watch a little longer for a late Job.
    int seen = jobsIn(hostileNamespaces).size();
    await("the Jobs of the hostile namespaces stay as they are").during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
        .until(() -> jobsIn(hostileNamespaces).size() == seen);
    SoftAssertions softly = new SoftAssertions();
    int jobs = jobsIn(hostileNamespaces).size();
    ScenarioTable.record("hostile input: Jobs in all " + hostileNamespaces.size()
        + " hostile namespaces after every case had time", "0 Jobs", jobs + " Jobs");
    ScenarioTable.record("hostile input: informers the operator lost", "none",
        stoppedInformers.isEmpty() ? "none" : String.join("; ", stoppedInformers));
    ScenarioTable.record("hostile input: operator errors/warnings logged during the table", "0",
        String.valueOf(log.allOperatorProblems().size()));
    softly.assertThat(jobsIn(hostileNamespaces).stream()
            .map(j -> j.getMetadata().getNamespace() + "/" + j.getMetadata().getName() + " ("
                + caseOf(j.getMetadata().getNamespace()) + ")").toList())
        .as("Jobs in the namespaces of the hostile cases").isEmpty();
    for (Result r : results) {
      if (r.accepted() && r.phase() != null) {
        DatabaseMigrationStatus now = status(r.namespace());
        softly.assertThat(now == null ? null : now.getPhase())
            .as("%s: phase still %s at the end", r.name(), r.phase()).isEqualTo(r.phase());
      }
    }
    softly.assertThat(stoppedInformers).as("informers the operator lost during the suite").isEmpty();
    // One line per namespace and cause: a failing reconcile repeats itself with every retry.
    Map<String, Long> grouped = log.allOperatorProblems().stream().collect(
        Collectors.groupingBy(p -> "[" + p.namespace() + " = " + caseOf(p.namespace()) + "] "
            + (p.cause().isEmpty() ? p.message() : p.shortCause()),
            LinkedHashMap::new, Collectors.counting()));
    softly.assertThat(grouped.entrySet().stream().map(e -> e.getValue() + "x " + e.getKey())
            .toList())
        .as("operator errors or warnings during the suite").isEmpty();
    softly.assertAll();
  }

  /**
   * The hostile cases ran with the seed's password in their Secrets: none of what the operator
   * wrote about them may hold it, raw or base64.
   */
  @Test
  @Order(7)
  void thePasswordOfTheHostileCasesAppearsNowhere() {
    String password = TestCluster.PASSWORD;
    String base64 = java.util.Base64.getEncoder().encodeToString(
        password.getBytes(java.nio.charset.StandardCharsets.UTF_8)).replaceAll("=+$", "");
    List<String> texts = new ArrayList<>(log.lines());
    for (String ns : hostileNamespaces) {
      client.genericKubernetesResources(DBM).inNamespace(ns).list().getItems()
          .forEach(d -> texts.add(Serialization.asJson(d)));
      client.v1().events().inNamespace(ns).list().getItems()
          .forEach(e -> texts.add(Serialization.asJson(e)));
      cluster.jobs(ns).forEach(j -> texts.add(Serialization.asJson(j)));
      client.pods().inNamespace(ns).list().getItems().forEach(p -> texts.add(
          Serialization.asJson(p.getMetadata()) + Serialization.asJson(p.getSpec())));
    }
    long hits = texts.stream().filter(t -> t.contains(password) || t.contains(base64)).count();
    ScenarioTable.record("hostile input scan: the Secrets' password in " + texts.size()
        + " log lines, statuses, Events, Jobs and Pods", "0 hits", hits + " hits");
    assertThat(hits).isZero();
  }

  static String caseOf(String namespace) {
    return results.stream().filter(r -> r.namespace().equals(namespace)).map(Result::name)
        .findFirst().orElse(namespace.startsWith("control") ? "control" : "?");
  }

  // ---------------------------------------------------------------------------------------------
  // Running one case
  // ---------------------------------------------------------------------------------------------

  record Result(String name, String namespace, String expected, String observed, boolean accepted,
      Phase phase, String detail, int jobs, List<String> problems) {
  }

  static Result run(Case c) {
    String ns = cluster.newNamespace("hostile");
    hostileNamespaces.add(ns);
    String other = null;
    if (c.setup().secretInOtherNamespace()) {
      other = cluster.newNamespace("hostile-other");
      hostileNamespaces.add(other);
      cluster.createSecret(other, SECRET, Setup.seed(TestCluster.PASSWORD));
    }
    if (c.setup().secret() != null) {
      cluster.createSecret(ns, SECRET, c.setup().secret());
    }
    cluster.createReadyPod(ns, CLUSTER + "-0", Map.of("cluster-name", CLUSTER, "role", "master"),
        nextLoopbackIp());

    String json = c.edit().apply(base()).toString();
    json = json.replace("${ns}", ns).replace("${other}", other == null ? "" : other);
    String expected = resolve(List.of(c.expected()), ns, other).get(0);
    List<String> mentions = resolve(c.mentions(), ns, other);
    List<String> mustNotMention = resolve(c.mustNotMention(), ns, other);
    List<String> problems = new ArrayList<>();

    GenericKubernetesResource body = Serialization.unmarshal(json, GenericKubernetesResource.class);
    GenericKubernetesResource stored = null;
    KubernetesClientException refusal = null;
    try {
      stored = client.genericKubernetesResources(DBM).inNamespace(ns).resource(body).create();
    } catch (KubernetesClientException e) {
      refusal = e;
    }

    // What was seen, spelled like Case.expected() so that a clean case reads the same; every
    // fact that is not as expected is appended to it.
    String observed;
    String detail;
    Phase phase = null;
    List<String> extra = new ArrayList<>();
    if (refusal != null) {
      String message = refusal.getStatus() != null && refusal.getStatus().getMessage() != null
          ? refusal.getStatus().getMessage() : String.valueOf(refusal.getMessage());
      detail = message;
      boolean named = message.contains(mentions.get(0));
      observed = "rejected by API server"
          + (refusal.getCode() == 422 || refusal.getCode() == 400 ? "" : " (HTTP " + refusal.getCode() + ")")
          + ": " + (named ? mentions.get(0) : "message does not name " + mentions.get(0));
      if (c.outcome() != Outcome.REJECTED) {
        problems.add("the API server rejected it, the operator was expected to answer: " + message);
      } else {
        if (refusal.getCode() != 422 && refusal.getCode() != 400) {
          problems.add("HTTP " + refusal.getCode() + " instead of 422/400: " + message);
        }
        if (!named) {
          problems.add("the server's message does not name " + mentions.get(0) + ": " + message);
        }
      }
    } else {
      for (String pointer : c.absent()) {
        if (!JSON.valueToTree(stored).at(pointer).isMissingNode()) {
          extra.add(pointer + " was stored although the schema has no such field");
        }
      }
      AtomicReference<DatabaseMigrationStatus> last = new AtomicReference<>();
      DatabaseMigrationStatus answer = null;
      try {
        answer = await(c.name() + " answered by the operator").atMost(ANSWER)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> {
              DatabaseMigrationStatus s = status(ns);
              last.set(s);
              return s;
            }, s -> s != null && s.getPhase() != null);
      } catch (ConditionTimeoutException e) {
        // Left null: reported below with whatever the status held.
      }
      if (answer == null) {
        DatabaseMigrationStatus seen = last.get();
        detail = seen == null ? "no status at all" : "phase " + seen.getPhase() + ": " + seen.getMessage();
        observed = "accepted, no answer within " + ANSWER.toSeconds() + " s";
        problems.add("the operator gave no answer within " + ANSWER.toSeconds() + " s (" + detail + ")");
      } else {
        phase = answer.getPhase();
        String reason = readyReason(answer);
        String message = Objects.toString(answer.getMessage(), "");
        detail = message;
        Phase expectedPhase = c.outcome() == Outcome.PENDING ? Phase.Pending : null;
        String state = phase == Phase.Invalid && Reasons.INVALID_SPEC.equals(reason) ? "Invalid"
            : phase == Phase.Pending ? "Pending " + reason : phase + " (" + reason + ")";
        if (expectedPhase == null) {
          state = "accepted by API server, then " + state;
          problems.add("the API server accepted it; expected a rejection naming " + mentions.get(0));
        } else if (phase != expectedPhase || !Objects.equals(reason, c.reason())) {
          problems.add("expected " + expectedPhase + "/" + c.reason() + ", got " + phase + "/" + reason);
        }
        List<String> named = new ArrayList<>();
        for (String mention : mentions) {
          if (message.contains(mention)) {
            named.add(mention);
          } else {
            named.add("message does not name " + mention);
            problems.add("the status message does not name " + mention);
          }
        }
        observed = state + ": " + String.join(", ", named);
        for (String forbidden : mustNotMention) {
          if (message.contains(forbidden)) {
            extra.add("the status message names " + forbidden);
          }
        }
        extra.addAll(unclear("status message", message));
        for (Event event : client.v1().events().inNamespace(ns).list().getItems()) {
          extra.addAll(unclear("Event " + event.getReason(), Objects.toString(event.getMessage(), "")));
        }
      }
    }

    int jobs = jobsIn(other == null ? List.of(ns) : List.of(ns, other)).size();
    observed = observed + "; " + jobs + " Jobs";
    if (jobs != 0) {
      problems.add(jobs + " Job(s) created");
    }
    if (!stoppedInformers.isEmpty()) {
      extra.add("the operator lost an informer (in production: System.exit(1), a crash loop): "
          + stoppedInformers.get(0));
    }
    List<CapturedLog.Problem> operatorProblems = log.operatorProblems(ns);
    if (!operatorProblems.isEmpty()) {
      CapturedLog.Problem first = operatorProblems.get(0);
      String why = first.cause().isEmpty() ? first.message() : first.shortCause();
      extra.add(operatorProblems.size() + " operator error(s)/warning(s), first: " + shorten(why, 200));
      if (phase == null) {
        detail = why;
      }
    }
    for (String fact : extra) {
      observed = observed + "; " + fact;
    }
    problems.addAll(extra);
    return new Result(c.name(), ns, expected, printable(shorten(observed, 400)), refusal == null,
        phase, detail, jobs, problems);
  }

  /** Why a message the operator wrote is not fit for a person: control characters, or a flood. */
  static List<String> unclear(String what, String message) {
    List<String> problems = new ArrayList<>();
    if (message.length() > MAX_MESSAGE) {
      problems.add(what + " is " + message.length() + " characters long (more than " + MAX_MESSAGE + ")");
    }
    boolean unsafe = message.chars().anyMatch(ch -> ch != '\n' && (Character.isISOControl(ch)
        || (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069)));
    if (unsafe) {
      problems.add(what + " holds raw control or bidi characters");
    }
    return problems;
  }

  /** A valid resource beside the hostile ones: the operator must still run it to the end. */
  static String runControl(String when) {
    String expected = "Succeeded through its one Job";
    String observed;
    String result;
    try {
      result = runControl();
      observed = expected;
    } catch (RuntimeException | AssertionError e) {
      observed = "not succeeded: " + shorten(String.valueOf(e.getMessage()), 200);
      ScenarioTable.record("hostile input: valid control " + when, expected, observed);
      throw e;
    }
    ScenarioTable.record("hostile input: valid control " + when, expected, observed);
    return when + ": " + result;
  }

  static String runControl() {
    String ns = cluster.newNamespace("control");
    cluster.createSeedSecret(ns, SECRET);
    cluster.createReadyPod(ns, CLUSTER + "-0", Map.of("cluster-name", CLUSTER, "role", "master"),
        nextLoopbackIp());
    cluster.apply(Fixtures.migration(ns, NAME));
    Job job = await("the control's Job in " + ns).atMost(ANSWER)
        .until(() -> cluster.jobs(ns), j -> j.size() == 1).get(0);
    cluster.completeJob(ns, job.getMetadata().getName());
    DatabaseMigrationStatus done = await("the control in " + ns + " succeeded").atMost(ANSWER)
        .until(() -> status(ns), s -> s != null && s.getPhase() == Phase.Succeeded);
    assertThat(done.getJobName()).isEqualTo(job.getMetadata().getName());
    return ns + " -> Job " + job.getMetadata().getName() + " -> " + done.getPhase();
  }

  // ---------------------------------------------------------------------------------------------
  // Building hostile JSON
  // ---------------------------------------------------------------------------------------------

  /** The valid resource every case starts from (the seed's PR environment). */
  static ObjectNode base() {
    ObjectNode root = JSON.createObjectNode();
    root.put("apiVersion", DatabaseMigration.GROUP + "/" + DatabaseMigration.VERSION);
    root.put("kind", "DatabaseMigration");
    root.putObject("metadata").put("name", NAME);
    ObjectNode spec = root.putObject("spec");
    spec.put("image", Fixtures.IMAGE);
    spec.put("workingDir", "/app/bootstrap");
    ObjectNode database = spec.putObject("database");
    database.putObject("credentialsSecret").put("name", SECRET);
    database.putObject("leader").putObject("selector").put("cluster-name", CLUSTER);
    return root;
  }

  /** Sets a dotted path (no dots inside keys), creating objects on the way. */
  static UnaryOperator<ObjectNode> set(String path, Object value) {
    return root -> {
      String[] parts = path.split("\\.");
      ObjectNode parent = root;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonNode child = parent.get(parts[i]);
        parent = child instanceof ObjectNode o ? o : parent.putObject(parts[i]);
      }
      parent.set(parts[parts.length - 1], node(value));
      return root;
    };
  }

  static UnaryOperator<ObjectNode> unset(String path) {
    return root -> {
      String[] parts = path.split("\\.");
      JsonNode parent = root;
      for (int i = 0; i < parts.length - 1; i++) {
        parent = parent.get(parts[i]);
      }
      ((ObjectNode) parent).remove(parts[parts.length - 1]);
      return root;
    };
  }

  @SafeVarargs
  static UnaryOperator<ObjectNode> all(UnaryOperator<ObjectNode>... edits) {
    return root -> {
      ObjectNode result = root;
      for (UnaryOperator<ObjectNode> edit : edits) {
        result = edit.apply(result);
      }
      return result;
    };
  }

  static JsonNode node(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof JsonNode n) {
      return n;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    throw new IllegalArgumentException("unsupported value " + value);
  }

  /** An integer of any size, written as its digits: no Java type narrows it on the way. */
  static JsonNode big(String digits) {
    return NODES.numberNode(new BigInteger(digits));
  }

  static JsonNode raw(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static ObjectNode obj(String key, String value) {
    ObjectNode o = JSON.createObjectNode();
    o.set(key, node(value));
    return o;
  }

  static ArrayNode arr(String... values) {
    ArrayNode a = JSON.createArrayNode();
    Arrays.stream(values).forEach(a::add);
    return a;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading back
  // ---------------------------------------------------------------------------------------------

  /** The status, read generically: a hostile spec may not even fit the Java model. */
  static DatabaseMigrationStatus status(String ns) {
    GenericKubernetesResource r = client.genericKubernetesResources(DBM).inNamespace(ns)
        .withName(NAME).get();
    Object status = r == null ? null : r.getAdditionalProperties().get("status");
    return status == null ? null : JSON.convertValue(status, DatabaseMigrationStatus.class);
  }

  static String readyReason(DatabaseMigrationStatus status) {
    return status.getConditions() == null ? null : status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).map(Condition::getReason).findFirst()
        .orElse(null);
  }

  static List<Job> jobsIn(List<String> namespaces) {
    List<Job> jobs = new ArrayList<>();
    for (String ns : namespaces) {
      jobs.addAll(cluster.jobs(ns));
    }
    return jobs;
  }

  static List<String> resolve(List<String> texts, String ns, String other) {
    return texts.stream().map(t -> t.replace("${ns}", ns)
        .replace("${other}", other == null ? "" : other)).toList();
  }

  static synchronized String nextLoopbackIp() {
    podIp++;
    return "127.77." + (podIp / 250) + "." + (podIp % 250 + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // The summary
  // ---------------------------------------------------------------------------------------------

  static void printSummary() {
    StringBuilder out = new StringBuilder();
    out.append("\n==== HostileInputIT summary ====\n");
    controlResults.forEach(c -> out.append("control ").append(c).append('\n'));
    String format = "%-4s %-62s | %-58s | %-40s | %-7s | %s%n";
    out.append(String.format(format, "#", "case", "expected", "observed", "jobs", "message (excerpt)"));
    int i = 0;
    for (Result r : results) {
      i++;
      out.append(String.format(format, i, shorten(r.name(), 62), shorten(r.expected(), 58),
          shorten(r.observed(), 40), "jobs=" + r.jobs(),
          (r.problems().isEmpty() ? "" : "FAIL: " + shorten(printable(String.join("; ", r.problems())), 160) + " || ")
              + shorten(printable(r.detail()), 140)));
    }
    long rejected = results.stream().filter(r -> !r.accepted()).count();
    long byReconciler = results.stream()
        .filter(r -> r.accepted() && (r.phase() == Phase.Invalid || r.phase() == Phase.Pending))
        .count();
    long unanswered = results.stream().filter(r -> r.accepted() && r.phase() == null).count();
    int jobs = results.stream().mapToInt(Result::jobs).sum();
    long failed = results.stream().filter(r -> !r.problems().isEmpty()).count();
    out.append(String.format("totals: tried=%d, rejected at apply=%d, rejected by reconciler=%d"
            + " (Invalid=%d, Pending=%d), unanswered=%d, jobs created=%d, cases failing=%d%n",
        results.size(), rejected, byReconciler,
        results.stream().filter(r -> r.phase() == Phase.Invalid).count(),
        results.stream().filter(r -> r.phase() == Phase.Pending).count(),
        unanswered, jobs, failed));
    System.out.println(out);
  }

  static String shorten(String text, int max) {
    if (text == null) {
      return "";
    }
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** Control, bidi and other invisible characters spelled out, so the table stays one line each. */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(400).forEach(cp -> {
      if (Character.isISOControl(cp) || (cp >= 0x202a && cp <= 0x202e)
          || (cp >= 0x2066 && cp <= 0x2069)) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }
}
