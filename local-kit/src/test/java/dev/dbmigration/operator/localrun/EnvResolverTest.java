package dev.dbmigration.operator.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvResolverTest {

  static final String PASSWORD = "pa$$(word)`id`;rm -rf / && echo $HOME | cat > /tmp/x '\"\n";

  /** Secret "creds" with a password and a user; nothing else exists. */
  final Map<String, String> creds = Map.of("password", PASSWORD, "user", "wps");
  final List<String> lookups = new ArrayList<>();
  final SecretLookup secrets = (name, key) -> {
    lookups.add(name + "/" + key);
    return "creds".equals(name) ? Optional.ofNullable(creds.get(key)) : Optional.empty();
  };
  final EnvResolver resolver = new EnvResolver(secrets, "migrate-abc12", "team-a");

  static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  static EnvVar secret(String name, String secret, String key, Boolean optional) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(secret).withKey(key).withOptional(optional).endSecretKeyRef().endValueFrom()
        .build();
  }

  static EnvVar field(String name, String path) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef()
        .withFieldPath(path).endFieldRef().endValueFrom().build();
  }

  Map<String, String> resolve(EnvVar... env) throws JobStartException {
    return resolver.resolve(Arrays.asList(env));
  }

  @Nested
  class Literals {

    @Test
    void keepsTheOrderOfTheList() throws JobStartException {
      Map<String, String> env = resolve(literal("Z", "1"), literal("A", "2"), literal("M", "3"));

      assertThat(env).containsExactly(Map.entry("Z", "1"), Map.entry("A", "2"), Map.entry("M", "3"));
    }

    @Test
    void expandsReferencesToEarlierVariables() throws JobStartException {
      Map<String, String> env = resolve(literal("HOST", "10.0.0.7"), literal("PORT", "5432"),
          literal("URL", "postgresql://$(HOST):$(PORT)/db"));

      assertThat(env).containsEntry("URL", "postgresql://10.0.0.7:5432/db");
    }

    @Test
    void leavesReferencesToLaterVariablesAlone() throws JobStartException {
      Map<String, String> env = resolve(literal("URL", "host=$(HOST)"), literal("HOST", "db"));

      assertThat(env).containsEntry("URL", "host=$(HOST)");
    }

    @Test
    void leavesUndefinedReferencesAsWritten() throws JobStartException {
      assertThat(resolve(literal("A", "x$(NOPE)y"))).containsEntry("A", "x$(NOPE)y");
    }

    @Test
    void doesNotSeeTheRunnersOwnEnvironment() throws JobStartException {
      assertThat(resolve(literal("A", "$(PATH)$(HOME)"))).containsEntry("A", "$(PATH)$(HOME)");
    }

    @Test
    void aRedefinedVariableKeepsItsPlaceAndTakesTheLastValue() throws JobStartException {
      Map<String, String> env = resolve(literal("A", "1"), literal("B", "$(A)"),
          literal("A", "<$(A)>"), literal("C", "$(A)"));

      assertThat(env).containsExactly(Map.entry("A", "<1>"), Map.entry("B", "1"),
          Map.entry("C", "<1>"));
    }

    @Test
    void anEmptyValueIsAnEmptyVariable() throws JobStartException {
      assertThat(resolve(new EnvVarBuilder().withName("EMPTY").build())).containsEntry("EMPTY", "");
    }

    @Test
    void doesNotExpandRecursively() throws JobStartException {
      Map<String, String> env = resolve(literal("B", "$(A)"), literal("A", "1"),
          literal("C", "$(B)"));

      assertThat(env).containsEntry("C", "$(A)");
    }

    @Test
    void passesShellMetacharactersThrough() throws JobStartException {
      String hostile = "; rm -rf / && `id` | $HOME ${HOME} > /dev/null 'q' \"dq\" \\ * ? ~ \n\t";

      assertThat(resolve(literal("A", hostile))).containsEntry("A", hostile);
    }

    @Test
    void anEntryWithoutANameIsRefused() {
      assertThatThrownBy(() -> resolve(new EnvVarBuilder().withValue("x").build()))
          .isInstanceOf(JobStartException.class).hasMessageContaining("no name");
    }

    @Test
    void noEnvIsAnEmptyEnvironment() throws JobStartException {
      assertThat(resolver.resolve(null)).isEmpty();
    }
  }

  /** Kubernetes' own expansion cases (third_party/forked/golang/expansion/expand_test.go). */
  @Nested
  class Syntax {

    final Map<String, String> vars = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_C", "C",
        "VAR_REF", "$(VAR_A)", "VAR_EMPTY", "");

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "$(VAR_A)                  | A",
        "___$(VAR_B)___            | ___B___",
        "$(VAR_A)-$(VAR_A)         | A-A",
        "$(VAR_A)$(VAR_B)$(VAR_C)  | ABC",
        "$(VAR_REF)                | $(VAR_A)",
        "foo$(VAR_EMPTY)bar        | foobar",
        "$(VAR_DNE)                | $(VAR_DNE)",
        "$$(VAR_A)                 | $(VAR_A)",
        "$$$(VAR_A)                | $A",
        "$$$$(VAR_A)               | $$(VAR_A)",
        "$$                        | $",
        "$$$$                      | $$",
        "foo$$bar                  | foo$bar",
        "'$'                       | '$'",
        "foo$                      | foo$",
        "$foo                      | $foo",
        "${VAR_A}                  | ${VAR_A}",
        "$(VAR_A                   | $(VAR_A",
        "$(VAR_A$(VAR_B)           | $(VAR_A$(VAR_B)",
        "$(VAR_A$(VAR_B))          | $(VAR_A$(VAR_B))",
        "'$()'                     | '$()'",
        "'$( )'                    | '$( )'",
        "'$(VAR_A) $(VAR_B)'       | 'A B'",
        "VAR_A)                    | VAR_A)",
        "$(VAR_A))                 | A)",
        "(($(VAR_A)))              | ((A))",
        "'$(VAR_A)\u00e9$(VAR_B)'  | 'A\u00e9B'",
    })
    void expandsLikeKubernetes(String input, String expected) {
      assertThat(EnvResolver.expand(input, vars)).isEqualTo(expected);
    }

    @Test
    void anEmptyStringStaysEmpty() {
      assertThat(EnvResolver.expand("", vars)).isEmpty();
    }
  }

  @Nested
  class Secrets {

    @Test
    void takesTheValueAsItIsWithoutExpansion() throws JobStartException {
      Map<String, String> env = resolve(literal("word", "expanded?"),
          secret("POSTGRES_PASSWORD", "creds", "password", false));

      assertThat(env).containsEntry("POSTGRES_PASSWORD", PASSWORD);
      assertThat(lookups).containsExactly("creds/password");
    }

    @Test
    void aLaterLiteralCanReferToASecretValueAndTakesItVerbatim() throws JobStartException {
      Map<String, String> env = resolve(secret("PW", "creds", "password", false),
          literal("DSN", "user=x password=$(PW)"));

      assertThat(env).containsEntry("DSN", "user=x password=" + PASSWORD);
    }

    @Test
    void aMissingKeyFailsNamingSecretAndKeyButNoValue() {
      assertThatThrownBy(() -> resolve(secret("U", "creds", "user", false),
          secret("POSTGRES_PASSWORD", "creds", "app-db-password", false)))
          .isInstanceOf(JobStartException.class)
          .hasMessageContaining("app-db-password")
          .hasMessageContaining("team-a/creds")
          .hasMessageContaining("POSTGRES_PASSWORD")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain("wps"));
    }

    @Test
    void aMissingSecretFailsNamingIt() {
      assertThatThrownBy(() -> resolve(secret("PW", "other-creds", "password", false)))
          .isInstanceOf(JobStartException.class)
          .hasMessageContaining("team-a/other-creds")
          .hasMessageContaining("password");
    }

    @Test
    void optionalUnsetMeansRequired() {
      assertThatThrownBy(() -> resolve(secret("PW", "creds", "nope", null)))
          .isInstanceOf(JobStartException.class);
    }

    @Test
    void aMissingOptionalKeyOmitsTheVariable() throws JobStartException {
      Map<String, String> env = resolve(literal("A", "1"), secret("PW", "creds", "nope", true),
          secret("X", "missing", "k", true), literal("B", "$(PW)"));

      assertThat(env).containsExactly(Map.entry("A", "1"), Map.entry("B", "$(PW)"));
    }

    @Test
    void aPresentOptionalKeyIsUsed() throws JobStartException {
      assertThat(resolve(secret("USER", "creds", "user", true))).containsEntry("USER", "wps");
    }

    @Test
    void aReferenceWithoutNameOrKeyIsMissing() {
      assertThatThrownBy(() -> resolve(secret("PW", null, "password", false)))
          .isInstanceOf(JobStartException.class);
      assertThatThrownBy(() -> resolve(secret("PW", "creds", null, false)))
          .isInstanceOf(JobStartException.class);
    }
  }

  @Nested
  class OtherSources {

    @Test
    void fieldRefGivesThePodsNameAndNamespace() throws JobStartException {
      Map<String, String> env = resolve(field("POD", "metadata.name"),
          field("NS", "metadata.namespace"), literal("WHO", "$(NS)/$(POD)"));

      assertThat(env).containsEntry("POD", "migrate-abc12").containsEntry("NS", "team-a")
          .containsEntry("WHO", "team-a/migrate-abc12");
    }

    @Test
    void otherFieldsAreRefusedByName() {
      assertThatThrownBy(() -> resolve(field("IP", "status.podIP")))
          .isInstanceOf(JobStartException.class)
          .hasMessageContaining("IP").hasMessageContaining("status.podIP")
          .hasMessageContaining("not supported");
    }

    @Test
    void configMapKeyRefIsRefused() {
      EnvVar var = new EnvVarBuilder().withName("CFG").withNewValueFrom().withNewConfigMapKeyRef()
          .withName("cm").withKey("k").endConfigMapKeyRef().endValueFrom().build();

      assertThatThrownBy(() -> resolve(var)).isInstanceOf(JobStartException.class)
          .hasMessageContaining("CFG").hasMessageContaining("configMapKeyRef");
    }

    @Test
    void resourceFieldRefIsRefused() {
      EnvVar var = new EnvVarBuilder().withName("MEM").withNewValueFrom().withNewResourceFieldRef()
          .withResource("limits.memory").endResourceFieldRef().endValueFrom().build();

      assertThatThrownBy(() -> resolve(var)).isInstanceOf(JobStartException.class)
          .hasMessageContaining("MEM").hasMessageContaining("resourceFieldRef");
    }
  }

  @Nested
  class Args {

    final Map<String, String> env = new HashMap<>(Map.of("TARGET", "head", "PW", PASSWORD,
        "REF", "$(TARGET)"));

    @Test
    void expandsDefinedVariablesInEachArgument() {
      assertThat(EnvResolver.expandArgs(List.of("alembic", "upgrade", "$(TARGET)"), env))
          .containsExactly("alembic", "upgrade", "head");
    }

    @Test
    void leavesUndefinedAndEscapedReferences() {
      assertThat(EnvResolver.expandArgs(List.of("$(NOPE)", "$$(TARGET)", "$", "a$b"), env))
          .containsExactly("$(NOPE)", "$(TARGET)", "$", "a$b");
    }

    @Test
    void substitutesValuesVerbatimAndOnce() {
      assertThat(EnvResolver.expandArgs(List.of("--password=$(PW)", "$(REF)"), env))
          .containsExactly("--password=" + PASSWORD, "$(TARGET)");
    }

    @Test
    void keepsShellSyntaxAsOneArgument() {
      List<String> args = List.of("sh -c 'echo hi'", "a; b", "$(echo x)", "`id`", "*");

      assertThat(EnvResolver.expandArgs(args, env)).isEqualTo(args);
    }

    @Test
    void noArgsAreAnEmptyList() {
      assertThat(EnvResolver.expandArgs(null, env)).isEmpty();
      assertThat(EnvResolver.expandArgs(List.of("$(TARGET)"), null)).containsExactly("$(TARGET)");
    }
  }
}
