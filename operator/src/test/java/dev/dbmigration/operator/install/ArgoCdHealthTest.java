package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.model.status.MigrationState;
import dev.dbmigration.operator.model.run.Run;
import dev.dbmigration.operator.model.status.StatusAssembler;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health script, run by a Lua interpreter on statuses exactly as the operator writes
 * them (StatusAssembler, serialised to JSON as the API server stores them), and on the cases of
 * its health_test.yaml the way argo-cd's own test runs every resource customization.
 *
 * <p>The script lives once, in argo-cd's layout
 * ({@code resource_customizations/<group>/<kind>/health.lua} beside {@code health_test.yaml}
 * and {@code testdata/}), so that the directory can be contributed upstream as it is;
 * {@code databasemigration-health.lua} and the argocd-cm patch carry the same text.
 */
class ArgoCdHealthTest {

  static final Path CUSTOMIZATION =
      Path.of("deploy/argocd/resource_customizations/dbmigration.dev/DatabaseMigration");
  static final Path SCRIPT = CUSTOMIZATION.resolve("health.lua");
  static final Path HEALTH_TESTS = CUSTOMIZATION.resolve("health_test.yaml");
  static final Path COPY = Path.of("deploy/argocd/databasemigration-health.lua");
  static final Path PATCH = Path.of("deploy/argocd/argocd-cm-patch.yaml");

  @ParameterizedTest(name = "{0} ({1}) -> {2}")
  @CsvSource({
      "Succeeded, MigrationSucceeded, Healthy",
      "Failed, MigrationFailed, Degraded",
      "Invalid, InvalidSpec, Degraded",
      "Running, MigrationRunning, Progressing",
      "WaitingForDatabase, LeaderNotFound, Progressing",
      "Pending, WaitingForOtherMigration, Progressing",
      "Pending, Suspended, Suspended",
  })
  void mapsEachPhaseOfTheCurrentGeneration(Phase phase, String reason, String health)
      throws IOException {
    LuaTable result = health(migration(4L, 4L, phase, reason));

    assertThat(result.get("status").tojstring()).isEqualTo(health);
    assertThat(result.get("message").tojstring())
        .isEqualTo(phase + " (" + reason + "): what the operator said");
  }

  @Test
  void aSuccessOfAnOlderGenerationIsStillProgressing() throws IOException {
    LuaTable result = health(migration(5L, 4L, Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED));

    assertThat(result.get("status").tojstring()).isEqualTo("Progressing");
    assertThat(result.get("message").tojstring()).contains("generation 5");
  }

  @Test
  void aResourceWithoutStatusIsProgressing() throws IOException {
    DatabaseMigration fresh = Fixtures.migration("ns", "wps-api");
    fresh.getMetadata().setGeneration(1L);

    assertThat(health(fresh).get("status").tojstring()).isEqualTo("Progressing");
  }

  @Test
  void theArgoCdConfigMapPatchCarriesTheSameScript() throws IOException {
    ConfigMap patch = Serialization.unmarshal(Files.readString(PATCH), ConfigMap.class);
    Map<String, String> data = patch.getData();

    assertThat(data).containsOnlyKeys(
        "resource.customizations.health.dbmigration.dev_DatabaseMigration");
    assertThat(data.values().iterator().next()).isEqualTo(Files.readString(SCRIPT));
  }

  @Test
  void theStandaloneScriptIsTheCustomizationsOwn() throws IOException {
    assertThat(Files.readString(COPY))
        .as("%s must equal %s (cp %s %s)", COPY, SCRIPT, SCRIPT, COPY)
        .isEqualTo(Files.readString(SCRIPT));
  }

  /**
   * health_test.yaml's cases as argo-cd's TestLuaHealthScript runs them: each inputPath loaded
   * as an unstructured object, the script run on it, the returned status and message compared
   * with healthStatus (a missing message is the empty one).
   */
  @TestFactory
  Stream<DynamicTest> argoCdsOwnHealthTestCases() throws IOException {
    List<Map<String, Object>> cases = healthTestCases();
    assertThat(cases).isNotEmpty();
    return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("inputPath"), () -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> expected = (Map<String, Object>) c.get("healthStatus");
      JsonNode input = yaml(CUSTOMIZATION.resolve((String) c.get("inputPath")));
      LuaTable result = health(input);
      assertThat(result.get("status").tojstring()).isEqualTo(expected.get("status"));
      LuaValue message = result.get("message");
      assertThat(message.isnil() ? "" : message.tojstring())
          .isEqualTo(expected.getOrDefault("message", ""));
    }));
  }

  @Test
  void everyTestdataFileIsACaseAndADatabaseMigrationTheOperatorCouldHaveWritten()
      throws Exception {
    List<String> inputs = healthTestCases().stream().map(c -> (String) c.get("inputPath"))
        .toList();
    List<String> files;
    try (Stream<Path> listed = Files.list(CUSTOMIZATION.resolve("testdata"))) {
      files = listed.map(f -> "testdata/" + f.getFileName()).sorted().toList();
    }
    assertThat(inputs).containsExactlyInAnyOrderElementsOf(files);
    assertThat(healthTestCases()).extracting(c -> (String) ((Map<?, ?>) c.get("healthStatus")).get("status"))
        .as("the cases cover every health the script returns")
        .contains("Healthy", "Degraded", "Progressing", "Suspended");

    Set<String> reasons = new HashSet<>();
    for (Field f : Reasons.class.getFields()) {
      reasons.add((String) f.get(null));
    }
    for (String input : inputs) {
      DatabaseMigration dbm = Serialization.unmarshal(
          Files.readString(CUSTOMIZATION.resolve(input)), DatabaseMigration.class);
      assertThat(dbm.getMetadata().getName()).as(input).isNotBlank();
      if (dbm.getStatus() != null && dbm.getStatus().getPhase() != null) {
        assertThat(dbm.getStatus().getConditions()).as(input)
            .allSatisfy(cond -> assertThat(reasons).contains(cond.getReason()));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> healthTestCases() throws IOException {
    Map<String, Object> file = Serialization.unmarshal(Files.readString(HEALTH_TESTS), Map.class);
    return (List<Map<String, Object>>) file.get("tests");
  }

  private static JsonNode yaml(Path file) throws IOException {
    return Serialization.jsonMapper().valueToTree(
        Serialization.unmarshal(Files.readString(file), Map.class));
  }

  private static DatabaseMigration migration(long generation, long observed, Phase phase,
      String reason) {
    DatabaseMigration dbm = Fixtures.migration("ns", "wps-api");
    dbm.getMetadata().setGeneration(generation);
    dbm.setStatus(StatusAssembler.assemble(null, observed,
        new MigrationState(phase, reason, "what the operator said"), Run.none(null), null, null,
        null, "2026-11-24T10:00:00Z"));
    return dbm;
  }

  /** Runs the script as Argo CD does: the resource as global obj, the returned table read. */
  private static LuaTable health(DatabaseMigration dbm) throws IOException {
    return health(Serialization.jsonMapper().<JsonNode>valueToTree(dbm));
  }

  private static LuaTable health(JsonNode json) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(json));
    LuaValue result = globals.load(Files.readString(SCRIPT), SCRIPT.toString()).call();
    return result.checktable();
  }

  private static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        table.set(field.getKey(), lua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNull()) {
      return LuaValue.NIL;
    }
    return LuaValue.valueOf(node.asText());
  }
}
