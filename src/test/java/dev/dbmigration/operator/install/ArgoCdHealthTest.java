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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health script in deploy/argocd, run by a Lua interpreter on statuses exactly as the
 * operator writes them (StatusAssembler, serialised to JSON as the API server stores them).
 */
class ArgoCdHealthTest {

  static final Path SCRIPT = Path.of("deploy/argocd/databasemigration-health.lua");
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
    Globals globals = JsePlatform.standardGlobals();
    JsonNode json = Serialization.jsonMapper().valueToTree(dbm);
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
