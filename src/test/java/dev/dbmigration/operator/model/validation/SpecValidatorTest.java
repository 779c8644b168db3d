package dev.dbmigration.operator.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.CredentialsSecret;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.ImageSource;
import dev.dbmigration.operator.api.v1alpha1.WorkloadKind;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

  private static DatabaseMigration valid() {
    return Fixtures.migration("pr-1234", "wps");
  }

  @Test
  void fixtureIsValid() {
    assertThat(SpecValidator.validate(valid())).isEmpty();
  }

  @Test
  void defaultsStandInForNullOptionalObjects() {
    DatabaseMigration dbm = valid();
    dbm.getSpec().setEngine(null);
    dbm.getSpec().setWorkingDir(null);
    dbm.getSpec().setAction(null);
    dbm.getSpec().setTarget(null);
    dbm.getSpec().setAllowDowngrade(null);
    dbm.getSpec().setEnv(null);
    dbm.getSpec().setJob(null);
    dbm.getSpec().getDatabase().setPort(null);
    dbm.getSpec().getDatabase().getCredentialsSecret().setKeys(null);
    dbm.getSpec().getDatabase().getLeader().setPreset(null);

    assertThat(SpecValidator.validate(dbm)).isEmpty();
  }

  @Test
  void acceptsWhatTheCrdAccepts() {
    DatabaseMigration dbm = valid();
    DatabaseMigrationSpec spec = dbm.getSpec();
    spec.setImage("registry.example:5000/team/wps-api:1.2.3@sha256:" + "a".repeat(64));
    spec.setAction(Action.DOWNGRADE);
    spec.setAllowDowngrade(true);
    spec.setTarget("-1");
    LeaderDiscovery leader = spec.getDatabase().getLeader();
    leader.setSelector(Map.of("app.kubernetes.io/instance", "db", "cluster-name", ""));
    leader.setRoleLabel("example.com/role");
    leader.setRoleValues(List.of("leader", "Primary_1"));
    spec.getJob().setServiceAccountName("migrator");
    spec.getJob().setImagePullSecrets(List.of(new LocalObjectReference("pull.secret")));

    assertThat(SpecValidator.validate(dbm)).isEmpty();
  }

  @Test
  void acceptsImageFromInsteadOfImage() {
    DatabaseMigration dbm = valid();
    dbm.getSpec().setImage(null);
    dbm.getSpec().setImageFrom(new ImageSource(WorkloadKind.StatefulSet, "wps-api", "api"));

    assertThat(SpecValidator.validate(dbm)).isEmpty();
  }

  @Test
  void acceptsAnExplicitHost() {
    DatabaseMigration dbm = valid();
    dbm.getSpec().getDatabase().setLeader(null);
    dbm.getSpec().getDatabase().setHost("patroni-wps.pr-1234.svc");

    assertThat(SpecValidator.validate(dbm)).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("badSpecs")
  void reportsTheBrokenField(Consumer<DatabaseMigration> mutation, String field) {
    DatabaseMigration dbm = valid();
    mutation.accept(dbm);

    List<Violation> violations = SpecValidator.validate(dbm);

    assertThat(violations).extracting(Violation::field).contains(field);
    assertThat(violations).allSatisfy(SpecValidatorTest::isSafeToShow);
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        bad("null spec", dbm -> dbm.setSpec(null), "spec"),
        bad("null image", spec(s -> s.setImage(null)), "spec.image"),
        bad("blank image", spec(s -> s.setImage("   ")), "spec.image"),
        bad("oversized image", spec(s -> s.setImage("a".repeat(513))), "spec.image"),
        bad("uppercase image with spaces", spec(s -> s.setImage("Registry/My Image:1")), "spec.image"),
        bad("image and imageFrom", spec(s -> s.setImageFrom(
            new ImageSource(WorkloadKind.Deployment, "wps-api", "api"))), "spec.image"),
        bad("imageFrom without a name", spec(s -> {
          s.setImage(null);
          s.setImageFrom(new ImageSource(WorkloadKind.Deployment, null, "api"));
        }), "spec.imageFrom.name"),
        bad("imageFrom name with $(...)", spec(s -> {
          s.setImage(null);
          s.setImageFrom(new ImageSource(WorkloadKind.StatefulSet, "$(reboot)", "api"));
        }), "spec.imageFrom.name"),
        bad("imageFrom container with a space", spec(s -> {
          s.setImage(null);
          s.setImageFrom(new ImageSource(WorkloadKind.Deployment, "wps-api", "api server"));
        }), "spec.imageFrom.container"),
        bad("imageFrom without a kind", spec(s -> {
          s.setImage(null);
          s.setImageFrom(new ImageSource(null, "wps-api", "api"));
        }), "spec.imageFrom.kind"),
        bad("relative workingDir", spec(s -> s.setWorkingDir("app")), "spec.workingDir"),
        bad("workingDir with NUL", spec(s -> s.setWorkingDir("/app\u0000/x")), "spec.workingDir"),
        bad("oversized workingDir", spec(s -> s.setWorkingDir("/" + "a".repeat(1024))), "spec.workingDir"),
        bad("shell substitution target", spec(s -> s.setTarget("$(rm -rf /)")), "spec.target"),
        bad("target with a command", spec(s -> s.setTarget("head; reboot")), "spec.target"),
        bad("target with a newline", spec(s -> s.setTarget("head\nfoo")), "spec.target"),
        bad("empty target", spec(s -> s.setTarget("")), "spec.target"),
        bad("10 000-char target", spec(s -> s.setTarget("a".repeat(10_000))), "spec.target"),
        bad("downgrade without allowDowngrade", spec(s -> s.setAction(Action.DOWNGRADE)), "spec.allowDowngrade"),
        bad("downgrade with allowDowngrade null", spec(s -> {
          s.setAction(Action.DOWNGRADE);
          s.setAllowDowngrade(null);
        }), "spec.allowDowngrade"),
        bad("upgrade to base", spec(s -> s.setTarget("base")), "spec.target"),
        bad("upgrade to -2", spec(s -> s.setTarget("-2")), "spec.target"),
        bad("default action to base", spec(s -> {
          s.setAction(null);
          s.setTarget("base");
        }), "spec.target"),
        bad("null database", spec(s -> s.setDatabase(null)), "spec.database"),
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
        bad("null credentialsSecret", database(d -> d.setCredentialsSecret(null)),
            "spec.database.credentialsSecret"),
        bad("blank secret name", secret(c -> c.setName(" ")), "spec.database.credentialsSecret.name"),
        bad("secret name ../other-ns", secret(c -> c.setName("../other-ns")),
            "spec.database.credentialsSecret.name"),
        bad("secret key a b", secret(c -> c.getKeys().setPassword("a b")),
            "spec.database.credentialsSecret.keys.password"),
        bad("blank secret key", secret(c -> c.getKeys().setUsername("")),
            "spec.database.credentialsSecret.keys.username"),
        bad("secret key ..", secret(c -> c.getKeys().setDatabase("..")),
            "spec.database.credentialsSecret.keys.database"),
        bad("null selector", leader(l -> l.setSelector(null)), "spec.database.leader.selector"),
        bad("empty selector", leader(l -> l.setSelector(Map.of())), "spec.database.leader.selector"),
        bad("selector key 'bad key!'", leader(l -> l.setSelector(Map.of("bad key!", "x"))),
            "spec.database.leader.selector"),
        bad("selector value of 64 chars", leader(l -> l.setSelector(Map.of("cluster-name", "a".repeat(64)))),
            "spec.database.leader.selector"),
        bad("selector with null key and value", leader(l -> {
          Map<String, String> selector = new HashMap<>();
          selector.put(null, null);
          selector.put("cluster-name", "x");
          l.setSelector(selector);
        }), "spec.database.leader.selector"),
        bad("roleLabel /x", leader(l -> l.setRoleLabel("/x")), "spec.database.leader.roleLabel"),
        bad("roleLabel a/b/c", leader(l -> l.setRoleLabel("a/b/c")), "spec.database.leader.roleLabel"),
        bad("empty roleValues", leader(l -> l.setRoleValues(List.of())), "spec.database.leader.roleValues"),
        bad("9 roleValues", leader(l -> l.setRoleValues(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"))),
            "spec.database.leader.roleValues"),
        bad("empty role value", leader(l -> l.setRoleValues(List.of("primary", ""))),
            "spec.database.leader.roleValues[1]"),
        bad("null role value", leader(l -> l.setRoleValues(Arrays.asList("primary", null))),
            "spec.database.leader.roleValues[1]"),
        bad("env password 1BAD", env(e -> e.setPassword("1BAD")), "spec.env.password"),
        bad("env host $(X)", env(e -> e.setHost("$(X)")), "spec.env.host"),
        bad("null env name", env(e -> e.setPort(null)), "spec.env.port"),
        bad("oversized env name", env(e -> e.setDatabase("A".repeat(129))), "spec.env.database"),
        bad("duplicate env names", env(e -> e.setUsername("POSTGRES_PASSWORD")), "spec.env"),
        bad("backoffLimit -1", job(j -> j.setBackoffLimit(-1)), "spec.job.backoffLimit"),
        bad("backoffLimit 11", job(j -> j.setBackoffLimit(11)), "spec.job.backoffLimit"),
        bad("activeDeadlineSeconds 0", job(j -> j.setActiveDeadlineSeconds(0L)), "spec.job.activeDeadlineSeconds"),
        bad("ttlSecondsAfterFinished too big", job(j -> j.setTtlSecondsAfterFinished(2_592_001)),
            "spec.job.ttlSecondsAfterFinished"),
        bad("serviceAccountName Bad_SA", job(j -> j.setServiceAccountName("Bad_SA")),
            "spec.job.serviceAccountName"),
        bad("null imagePullSecret", job(j -> j.setImagePullSecrets(Arrays.asList((LocalObjectReference) null))),
            "spec.job.imagePullSecrets[0].name"),
        bad("invalid imagePullSecret name", job(j -> j.setImagePullSecrets(
            List.of(new LocalObjectReference("ok"), new LocalObjectReference("Not OK")))),
            "spec.job.imagePullSecrets[1].name"),
        bad("workingDir with a bidi override", spec(s -> s.setWorkingDir("/app/\u202ebootstrap")),
            "spec.workingDir"),
        bad("workingDir with a C1 control", spec(s -> s.setWorkingDir("/app/\u009b31m")),
            "spec.workingDir"),
        bad("workingDir with $(id)", spec(s -> s.setWorkingDir("/app$(id)")), "spec.workingDir"),
        bad("workingDir with ;id", spec(s -> s.setWorkingDir("/app;id")), "spec.workingDir"),
        bad("workingDir with a backtick", spec(s -> s.setWorkingDir("/app`id`")), "spec.workingDir"),
        bad("cpu limit lots", resources("{\"limits\":{\"cpu\":\"lots\"}}"),
            "spec.job.resources.limits.cpu"),
        bad("empty cpu limit", resources("{\"limits\":{\"cpu\":\"\"}}"),
            "spec.job.resources.limits.cpu"),
        bad("negative memory limit", resources("{\"limits\":{\"memory\":\"-1Gi\"}}"),
            "spec.job.resources.limits.memory"),
        bad("request above limit", resources(
            "{\"requests\":{\"memory\":\"2Gi\"},\"limits\":{\"memory\":\"1Gi\"}}"),
            "spec.job.resources.requests.memory"),
        bad("unknown resource name", resources("{\"limits\":{\"lots of cpu\":\"1\"}}"),
            "spec.job.resources.limits"),
        bad("resource claims", resources("{\"claims\":[{\"name\":\"gpu\"}]}"),
            "spec.job.resources.claims"));
  }

  @Test
  void acceptsTheQuantitiesKubernetesAccepts() {
    DatabaseMigration dbm = valid();
    resources("{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\",\"ephemeral-storage\":\"1e9\"},"
        + "\"limits\":{\"cpu\":2,\"memory\":\"0.5Gi\",\"example.com/widget\":\"1\"}}").accept(dbm);

    assertThat(SpecValidator.validate(dbm)).isEmpty();
  }

  @Test
  void aFloodOfViolationsMakesABoundedMessage() {
    DatabaseMigration dbm = valid();
    Map<String, String> selector = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      selector.put("bad key " + i, "x");
    }
    dbm.getSpec().getDatabase().getLeader().setSelector(selector);

    List<Violation> violations = SpecValidator.validate(dbm);
    String message = SpecValidator.describe(violations);

    assertThat(violations).hasSize(10_000);
    assertThat(message).startsWith("spec.database.leader.selector: key \"bad key 0\"")
        .endsWith("; and 9990 more").hasSizeLessThan(2_000);
    assertThat(SpecValidator.describe(violations.subList(0, 2))).doesNotContain("more");
  }

  @Test
  void collectsEveryViolationInSpecOrder() {
    DatabaseMigration dbm = valid();
    dbm.getSpec().setImage(null);
    dbm.getSpec().setTarget("head; reboot");
    dbm.getSpec().getDatabase().setPort(0);
    dbm.getSpec().getJob().setBackoffLimit(-1);

    assertThat(SpecValidator.validate(dbm)).extracting(Violation::field)
        .containsExactly("spec.image", "spec.target", "spec.database.port", "spec.job.backoffLimit");
  }

  @Test
  void namesTheRuleInTheMessage() {
    DatabaseMigration dbm = valid();
    dbm.getSpec().setAction(Action.DOWNGRADE);

    assertThat(SpecValidator.validate(dbm)).singleElement()
        .hasToString("spec.allowDowngrade: action downgrade needs allowDowngrade: true (a downgrade may drop data)");
  }

  @Test
  void namesBothUsersOfADuplicateEnvName() {
    DatabaseMigration dbm = valid();
    dbm.getSpec().getEnv().setUsername("POSTGRES_PASSWORD");

    assertThat(SpecValidator.validate(dbm)).singleElement().extracting(Violation::message).asString()
        .contains("username and password", "\"POSTGRES_PASSWORD\"");
  }

  @Test
  void echoesAHostileValueTruncatedAndMasked() {
    String hostile = "x\n\r\u0000\u001b[31m\u007f\u0085\u202e" + "A".repeat(10_000);
    DatabaseMigration dbm = valid();
    dbm.getSpec().getJob().setServiceAccountName(hostile);

    Violation violation = SpecValidator.validate(dbm).get(0);

    assertThat(violation.field()).isEqualTo("spec.job.serviceAccountName");
    assertThat(violation.message())
        .contains("\"x????[31m???AAAA")
        .doesNotContain("A".repeat(KubernetesNames.MAX_ECHO))
        .hasSizeLessThan(250);
    assertThat(violation).satisfies(SpecValidatorTest::isSafeToShow);
  }

  @Test
  void quoteKeepsAtMost64CharactersAndWholeSurrogatePairs() {
    assertThat(KubernetesNames.quote("a".repeat(100))).isEqualTo("\"" + "a".repeat(64) + "…\"");
    assertThat(KubernetesNames.quote("a".repeat(64))).isEqualTo("\"" + "a".repeat(64) + "\"");
    assertThat(KubernetesNames.quote("a".repeat(63) + "😀😀")).isEqualTo("\"" + "a".repeat(63) + "…\"");
    assertThat(KubernetesNames.quote("😀\ud800x")).isEqualTo("\"😀?x\"");
    assertThat(KubernetesNames.quote(null)).isEqualTo("null");
  }

  @Test
  void labelRulesFollowKubernetes() {
    assertThat(KubernetesNames.isLabelKey("role")).isTrue();
    assertThat(KubernetesNames.isLabelKey("postgres-operator.crunchydata.com/role")).isTrue();
    assertThat(KubernetesNames.isLabelKey("cnpg.io/instanceRole")).isTrue();
    assertThat(KubernetesNames.isLabelKey("a".repeat(63))).isTrue();
    assertThat(KubernetesNames.isLabelKey("a".repeat(64))).isFalse();
    assertThat(KubernetesNames.isLabelKey("Example.com/role")).isFalse();
    assertThat(KubernetesNames.isLabelKey("example.com/")).isFalse();
    assertThat(KubernetesNames.isLabelKey("-role")).isFalse();
    assertThat(KubernetesNames.isLabelKey("")).isFalse();
    assertThat(KubernetesNames.isLabelValue("")).isTrue();
    assertThat(KubernetesNames.isLabelValue("a_b.c-D")).isTrue();
    assertThat(KubernetesNames.isLabelValue("a.")).isFalse();
    assertThat(KubernetesNames.isLabelValue(null)).isFalse();
    assertThat(KubernetesNames.isDnsSubdomain("a.b-c")).isTrue();
    assertThat(KubernetesNames.isDnsSubdomain("a..b")).isFalse();
    assertThat(KubernetesNames.isDnsSubdomain("a".repeat(254))).isFalse();
  }

  @Test
  void neverThrowsOnNullNestedObjects() {
    DatabaseMigration dbm = new DatabaseMigration();
    assertThat(SpecValidator.validate(dbm)).extracting(Violation::field).containsExactly("spec");
    assertThat(SpecValidator.validate(null)).extracting(Violation::field).containsExactly("spec");

    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setEngine(null);
    spec.setAction(null);
    spec.setTarget(null);
    spec.setAllowDowngrade(null);
    spec.setEnv(new EnvNames());
    spec.getEnv().setHost(null);
    spec.setJob(new JobSettings());
    spec.getJob().setBackoffLimit(null);
    spec.getJob().setActiveDeadlineSeconds(null);
    spec.getJob().setTtlSecondsAfterFinished(null);
    DatabaseSpec database = new DatabaseSpec();
    database.setCredentialsSecret(new CredentialsSecret());
    SecretKeys keys = new SecretKeys();
    keys.setDatabase(null);
    database.getCredentialsSecret().setKeys(keys);
    database.setLeader(new LeaderDiscovery());
    spec.setDatabase(database);
    dbm.setSpec(spec);

    assertThat(SpecValidator.validate(dbm)).extracting(Violation::field).containsExactly(
        "spec.image",
        "spec.database.credentialsSecret.name",
        "spec.database.credentialsSecret.keys.database",
        "spec.database.leader.selector",
        "spec.env.host");
  }

  /** Random hostile strings in every string field: nothing throws, nothing unsafe is echoed, fast. */
  @Test
  void survivesRandomHostileStrings() {
    Random random = new Random(20240611);
    assertThatCode(() -> {
      for (int round = 0; round < 2_000; round++) {
        DatabaseMigration dbm = valid();
        DatabaseMigrationSpec spec = dbm.getSpec();
        spec.setImage(hostile(random));
        spec.setWorkingDir(hostile(random));
        spec.setTarget(hostile(random));
        spec.getDatabase().setHost(random.nextBoolean() ? hostile(random) : null);
        spec.getDatabase().getCredentialsSecret().setName(hostile(random));
        spec.getDatabase().getCredentialsSecret().getKeys().setPassword(hostile(random));
        LeaderDiscovery leader = spec.getDatabase().getLeader();
        leader.setSelector(Map.of(hostile(random), hostile(random)));
        leader.setRoleLabel(hostile(random));
        leader.setRoleValues(new ArrayList<>(List.of(hostile(random))));
        spec.getEnv().setPassword(hostile(random));
        spec.getJob().setServiceAccountName(hostile(random));

        assertThat(SpecValidator.validate(dbm)).allSatisfy(SpecValidatorTest::isSafeToShow);
      }
    }).doesNotThrowAnyException();
  }

  @Test
  void longPathologicalValuesAreCheckedQuickly() {
    DatabaseMigration dbm = valid();
    String deep = "a-".repeat(200_000) + "!";
    dbm.getSpec().setImage(deep);
    dbm.getSpec().setTarget(deep);
    dbm.getSpec().getDatabase().getCredentialsSecret().setName(deep);
    dbm.getSpec().getDatabase().getLeader().setSelector(Map.of(deep, deep));
    dbm.getSpec().getJob().setServiceAccountName(deep);

    List<Violation> violations = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> SpecValidator.validate(dbm));

    assertThat(violations).hasSizeGreaterThanOrEqualTo(5).allSatisfy(SpecValidatorTest::isSafeToShow);
  }

  private static String hostile(Random random) {
    String[] pieces = {"a", "Z", "0", "-", ".", "/", "_", ":", "@", " ", "$(", ";", "\n", "\u0000", "\u007f",
        "\u202e", "é", "😀", "\ud800", "sha256", "base", "head", "+1", "-2"};
    int length = random.nextInt(10) == 0 ? 2_000 : random.nextInt(12);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(pieces[random.nextInt(pieces.length)]);
    }
    return out.toString();
  }

  private static void isSafeToShow(Violation violation) {
    assertThat(violation.field()).isNotBlank();
    assertThat(violation.message()).isNotBlank().hasSizeLessThan(400);
    assertThat(violation.message().chars()).noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x202e);
  }

  private static Arguments bad(String description, Consumer<DatabaseMigration> mutation, String field) {
    return arguments(Named.of(description, mutation), field);
  }

  private static Consumer<DatabaseMigration> spec(Consumer<DatabaseMigrationSpec> mutation) {
    return dbm -> mutation.accept(dbm.getSpec());
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

  /** Resources as the informer reads them from the API server's JSON. */
  private static Consumer<DatabaseMigration> resources(String json) {
    return dbm -> dbm.getSpec().setJob(Serialization.unmarshal(
        "{\"resources\":" + json + "}", JobSettings.class));
  }

  private static Consumer<DatabaseMigration> env(Consumer<EnvNames> mutation) {
    return dbm -> mutation.accept(dbm.getSpec().getEnv());
  }

  private static Consumer<DatabaseMigration> job(Consumer<JobSettings> mutation) {
    return dbm -> mutation.accept(dbm.getSpec().getJob());
  }
}
