package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.VersionTableSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RevisionSourceTest {

  @Test
  void eachToolEngineReadsItsOwnTable() {
    assertThat(RevisionSource.of(spec(Engine.ALEMBIC))).contains(VersionTable.ALEMBIC);
    assertThat(RevisionSource.of(spec(Engine.FLYWAY))).contains(VersionTable.FLYWAY);
    assertThat(RevisionSource.of(spec(Engine.LIQUIBASE))).contains(VersionTable.LIQUIBASE);
    assertThat(RevisionSource.of(new DatabaseMigrationSpec())).contains(VersionTable.ALEMBIC);
  }

  @Test
  void engineCommandReadsNothingUnlessItNamesATable() {
    DatabaseMigrationSpec spec = spec(Engine.COMMAND);
    assertThat(RevisionSource.of(spec)).isEmpty();

    VersionTableSpec table = new VersionTableSpec();
    table.setName("ops.schema_version");
    table.setOrderBy("applied_at");
    spec.setVersionTable(table);

    assertThat(RevisionSource.of(spec))
        .contains(new UserVersionTable("ops", "schema_version", "version", "applied_at"));
  }

  // The SQL is spelled out: the names are quoted, so they reach the server as names only.
  @Test
  void aTableWithOrderByReportsItsLatestRow() {
    UserVersionTable table = UserVersionTable.of("ops.schema_version", "version", "applied_at");

    assertThat(table.existsQuery())
        .isEqualTo("SELECT to_regclass('\"ops\".\"schema_version\"') IS NOT NULL");
    assertThat(table.revisionQuery()).isEqualTo("SELECT \"version\"::text"
        + " FROM \"ops\".\"schema_version\" WHERE \"version\" IS NOT NULL"
        + " ORDER BY \"applied_at\" DESC NULLS LAST LIMIT 1");
    assertThat(table.fold(List.of("42")).value()).hasValue("42");
    assertThat(table.describe()).isEqualTo("ops.schema_version.version");
  }

  @Test
  void aTableWithoutOrderByReportsEveryDistinctValueAsAlembicsHeads() {
    UserVersionTable table = UserVersionTable.of("alembic_version", "version_num", null);

    assertThat(table.revisionQuery()).isEqualTo("SELECT DISTINCT \"version_num\"::text"
        + " FROM \"alembic_version\" WHERE \"version_num\" IS NOT NULL ORDER BY 1 LIMIT 17");
    assertThat(table.fold(Arrays.asList("b2", null, "a1", " ", "b2")).value()).hasValue("a1,b2");
    assertThat(table.fold(List.of()).isBase()).isTrue();
  }

  @Test
  void valuesComeBackAsOneShortPrintableLine() {
    UserVersionTable table = UserVersionTable.of("schema_version", "version", null);

    assertThat(table.fold(List.of("v1\u001b[31m\n\u202e")).value()).hasValue("v1?[31m??");
    assertThat(table.fold(List.of("x".repeat(500))).value().orElseThrow()).hasSize(128);
    List<String> many = IntStream.range(0, 20).mapToObj(i -> "v" + i).toList();
    assertThat(table.fold(many).value()).hasValue(
        "20 values in schema_version.version (not a version table?)");
  }

  @Test
  void namesThatAreNotPlainLowerCaseIdentifiersAreRefused() {
    for (String bad : List.of("Schema_Version", "a;drop", "a\"b", "1abc", "", "a.b.c")) {
      assertThatThrownBy(() -> UserVersionTable.of(bad, "version", null))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> UserVersionTable.of("t", "version; --", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UserVersionTable.of("t", "version", "x y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static DatabaseMigrationSpec spec(Engine engine) {
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setEngine(engine);
    return spec;
  }
}
