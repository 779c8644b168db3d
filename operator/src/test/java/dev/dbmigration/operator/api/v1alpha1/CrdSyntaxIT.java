package dev.dbmigration.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbmigration.operator.testing.DryRunApply;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of the string fields mean the same to the API server (patterns in Go RE2, lengths in
 * code points, CEL) as to {@code java.util.regex}: for random hostile strings in each field, the
 * real kube-apiserver accepts exactly what the Java reading of the same {@link Syntax} rule
 * accepts. A pattern the two engines read differently, or a bound written twice that drifted,
 * shows up as a disagreement here.
 */
class CrdSyntaxIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int ROUNDS = 40;
  static final List<String> OTHER_ENV_NAMES = List.of(EnvNames.DEFAULT_HOST, EnvNames.DEFAULT_PORT,
      EnvNames.DEFAULT_DATABASE, EnvNames.DEFAULT_USERNAME);

  static KubernetesClient client;
  static DryRunApply api;

  @BeforeAll
  static void start() {
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    api = new DryRunApply(client, "crd-syntax");
  }

  @AfterAll
  static void close() {
    client.close();
  }

  /** A string field: where a value goes in the resource, and whether Java says it is valid. */
  record Field(String name, BiConsumer<ObjectNode, String> put, Predicate<String> valid) {
  }

  static List<Field> fields() {
    return List.of(
        new Field("image", (r, v) -> spec(r).put("image", v), v -> length(v, 1, 512) && matches(Syntax.IMAGE, v)),
        // The fixture upgrades, and an upgrade may not aim at base or a step back.
        new Field("target", (r, v) -> spec(r).put("target", v), v -> length(v, 1, 70)
            && matches(Syntax.TARGET, v) && !v.equals("base") && !v.startsWith("-")),
        new Field("workingDir", (r, v) -> spec(r).put("workingDir", v),
            v -> length(v, 0, 1024) && matches(Syntax.WORKING_DIR, v)),
        new Field("rerun", (r, v) -> spec(r).put("rerun", v), v -> length(v, 1, 63) && matches(Syntax.RERUN, v)),
        new Field("host", (r, v) -> {
          database(r).remove("leader");
          database(r).put("host", v);
        }, v -> length(v, 1, 253) && matches(Syntax.HOST, v)),
        new Field("credentialsSecret.name", (r, v) -> secret(r).put("name", v), CrdSyntaxIT::isDnsSubdomain),
        new Field("credentialsSecret.keys.password",
            (r, v) -> secret(r).putObject("keys").put("password", v),
            v -> length(v, 1, 253) && matches(Syntax.SECRET_KEY, v)),
        new Field("leader.selector key", (r, v) -> leader(r).putObject("selector").put(v, "x"),
            CrdSyntaxIT::isLabelKey),
        new Field("leader.selector value", (r, v) -> leader(r).putObject("selector").put("cluster-name", v),
            v -> length(v, 0, 63) && matches(Syntax.LABEL_VALUE, v)),
        new Field("leader.roleLabel", (r, v) -> leader(r).put("roleLabel", v),
            v -> !v.isEmpty() && isLabelKey(v)),
        new Field("leader.roleValues[0]", (r, v) -> leader(r).putArray("roleValues").add(v),
            v -> length(v, 1, 63) && matches(Syntax.ROLE_VALUE, v)),
        new Field("env.password", (r, v) -> spec(r).putObject("env").put("password", v),
            v -> length(v, 1, 128) && matches(Syntax.ENV_NAME, v) && !OTHER_ENV_NAMES.contains(v)),
        new Field("job.serviceAccountName", (r, v) -> job(r).put("serviceAccountName", v),
            CrdSyntaxIT::isDnsSubdomain),
        new Field("job.imagePullSecrets[0].name",
            (r, v) -> job(r).putArray("imagePullSecrets").addObject().put("name", v),
            CrdSyntaxIT::isDnsSubdomain));
  }

  @Test
  void theApiServerAndJavaReadEveryRuleAlike() {
    Random random = new Random(20240611);
    SoftAssertions softly = new SoftAssertions();
    for (Field field : fields()) {
      int accepted = 0;
      for (int round = 0; round < ROUNDS; round++) {
        String value = round % 2 == 0 ? plausible(random) : hostile(random);
        ObjectNode resource = base();
        field.put().accept(resource, value);

        DryRunApply.Answer answer = api.create(resource);

        boolean javaSays = field.valid().test(value);
        softly.assertThat(answer.accepted())
            .as("%s = %s: Java says %s, the API server %s", field.name(), JSON.valueToTree(value),
                javaSays ? "valid" : "invalid", answer.accepted() ? "accepted it" : answer.message())
            .isEqualTo(javaSays);
        accepted += answer.accepted() ? 1 : 0;
      }
      // Both answers must occur, or the field's rule was never really put to the test.
      softly.assertThat(accepted).as("%s: values accepted of %d", field.name(), ROUNDS)
          .isBetween(1, ROUNDS - 1);
    }
    softly.assertAll();
  }

  @Test
  void longPathologicalValuesAreRefusedQuickly() {
    String deep = "a-".repeat(200_000) + "!";
    ObjectNode resource = base();
    spec(resource).put("image", deep).put("target", deep);
    secret(resource).put("name", deep);
    // Jackson (the client's and the operator's) reads no key longer than 50 000 characters.
    leader(resource).putObject("selector").put(deep.substring(deep.length() - 40_000), deep);
    job(resource).put("serviceAccountName", deep);

    DryRunApply.Answer answer = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> api.create(resource));

    assertThat(answer.accepted()).isFalse();
    assertThat(answer.message()).contains("spec.image", "spec.target",
        "spec.database.credentialsSecret.name", "spec.job.serviceAccountName");
  }

  // ---------------------------------------------------------------------------------------------

  private static boolean isDnsSubdomain(String value) {
    return length(value, 1, 253) && matches(Syntax.DNS_SUBDOMAIN, value);
  }

  /** The prefix's own bound is the rule RE2 cannot hold: the CEL rule beside the pattern. */
  private static boolean isLabelKey(String value) {
    int slash = value.indexOf('/');
    return length(value, 0, LeaderDiscovery.MAX_LABEL_KEY) && matches(Syntax.LABEL_KEY, value)
        && (slash < 0 || value.codePointCount(0, slash) <= 253);
  }

  /** OpenAPI's minLength and maxLength count code points, not UTF-16 units. */
  private static boolean length(String value, int min, int max) {
    int length = value.codePointCount(0, value.length());
    return length >= min && length <= max;
  }

  private static boolean matches(String regex, String value) {
    return Pattern.compile(regex).matcher(value).matches();
  }

  /** Pieces of valid values, so that some rounds pass and the boundary is probed from both sides. */
  private static String plausible(Random random) {
    String[] pieces = {"a", "z", "0", "9", "-", ".", "_", "/", ":", "+", "example.com/", "A", "db",
        "1.2", "@sha256:" + "a".repeat(64), "POSTGRES_HOST"};
    return join(random, pieces, random.nextInt(6) + 1);
  }

  private static String hostile(Random random) {
    String[] pieces = {"a", "Z", "0", "-", ".", "/", "_", ":", "@", " ", "$(", ";", "|", "&", "<",
        "`", "\\", "'", "\"", "\n", "\u0000", "\u007f", "\u0085", "\u009b", "\u200b", "\u202e",
        "\u2028", "\u2066", "é", "\uD83D\uDE80", "sha256", "base", "head", "+1", "-2", ".."};
    int count = random.nextInt(10) == 0 ? 400 : random.nextInt(12);
    return join(random, pieces, count);
  }

  private static String join(Random random, String[] pieces, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append(pieces[random.nextInt(pieces.length)]);
    }
    return out.toString();
  }

  private static ObjectNode base() {
    return (ObjectNode) tree(Serialization.asJson(Fixtures.migration("crd-syntax", "app")));
  }

  private static ObjectNode spec(ObjectNode root) {
    return (ObjectNode) root.path("spec");
  }

  private static ObjectNode database(ObjectNode root) {
    return (ObjectNode) spec(root).path("database");
  }

  private static ObjectNode secret(ObjectNode root) {
    return (ObjectNode) database(root).path("credentialsSecret");
  }

  private static ObjectNode leader(ObjectNode root) {
    return (ObjectNode) database(root).path("leader");
  }

  private static ObjectNode job(ObjectNode root) {
    return (ObjectNode) spec(root).path("job");
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }
}
