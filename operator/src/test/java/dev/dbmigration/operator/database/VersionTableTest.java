package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbmigration.operator.api.v1alpha1.Engine;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VersionTableTest {

  @Test
  void engineChoosesItsTableAndNoEngineMeansAlembic() {
    assertThat(VersionTable.forEngine(Engine.ALEMBIC)).isSameAs(VersionTable.ALEMBIC);
    assertThat(VersionTable.forEngine(null)).isSameAs(VersionTable.ALEMBIC);
  }

  @ParameterizedTest
  @EnumSource(value = Engine.class, names = "COMMAND", mode = EnumSource.Mode.EXCLUDE)
  void everyToolEngineHasATable(Engine engine) {
    assertThat(VersionTable.forEngine(engine)).isNotNull();
  }

  @Test
  void engineCommandHasNoTableOfItsOwn() {
    assertThatThrownBy(() -> VersionTable.forEngine(Engine.COMMAND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spec.versionTable");
  }

  // The SQL is spelled out: a typo in a table or column name would only show against each tool.
  @Test
  void alembicReadsEveryRowOfAlembicVersion() {
    assertThat(VersionTable.ALEMBIC.table()).isEqualTo("alembic_version");
    assertThat(VersionTable.ALEMBIC.existsQuery())
        .isEqualTo("SELECT to_regclass('alembic_version') IS NOT NULL");
    assertThat(VersionTable.ALEMBIC.revisionQuery())
        .isEqualTo("SELECT version_num FROM alembic_version");
  }

  @Test
  void flywayReadsTheLatestSuccessfulVersionedRun() {
    assertThat(VersionTable.FLYWAY.table()).isEqualTo("flyway_schema_history");
    assertThat(VersionTable.FLYWAY.existsQuery())
        .isEqualTo("SELECT to_regclass('flyway_schema_history') IS NOT NULL");
    assertThat(VersionTable.FLYWAY.revisionQuery()).isEqualTo("SELECT version"
        + " FROM flyway_schema_history WHERE success AND version IS NOT NULL AND type <> 'DELETE'"
        + " ORDER BY installed_rank DESC LIMIT 1");
  }

  @Test
  void liquibaseReadsTheLastExecutedChangeset() {
    assertThat(VersionTable.LIQUIBASE.table()).isEqualTo("databasechangelog");
    assertThat(VersionTable.LIQUIBASE.existsQuery())
        .isEqualTo("SELECT to_regclass('databasechangelog') IS NOT NULL");
    assertThat(VersionTable.LIQUIBASE.revisionQuery())
        .isEqualTo("SELECT id || '::' || author FROM databasechangelog"
            + " WHERE exectype IS DISTINCT FROM 'FAILED'"
            + " ORDER BY orderexecuted DESC, dateexecuted DESC LIMIT 1");
  }

  @ParameterizedTest
  @EnumSource(VersionTable.class)
  void noRowsIsTheBaseState(VersionTable table) {
    assertThat(table.fold(List.of()).isBase()).isTrue();
    assertThat(table.fold(Arrays.asList(null, " ", "")).isBase()).isTrue();
  }

  @Test
  void alembicOneRowIsThatRevision() {
    assertThat(VersionTable.ALEMBIC.fold(List.of("1a2b3c4d5e6f")).value()).hasValue("1a2b3c4d5e6f");
  }

  @Test
  void alembicSeveralHeadsAreSortedAndJoined() {
    Revision revision = VersionTable.ALEMBIC.fold(
        Arrays.asList("4d5e6f708192", null, "3c4d5e6f7081", "4d5e6f708192", " "));

    assertThat(revision.heads()).containsExactly("3c4d5e6f7081", "4d5e6f708192");
    assertThat(revision.value()).hasValue("3c4d5e6f7081,4d5e6f708192");
  }

  @Test
  void flywayAndLiquibaseTakeTheFirstRowTheQueryOrdersLatestFirst() {
    assertThat(VersionTable.FLYWAY.fold(List.of("2.1", "2.0")).value()).hasValue("2.1");
    assertThat(VersionTable.LIQUIBASE.fold(List.of("create-users::dbm", "init::dbm")).value())
        .hasValue("create-users::dbm");
  }

  @Test
  void revisionSaysBaseOrItsHeads() {
    assertThat(Revision.base().isBase()).isTrue();
    assertThat(Revision.base().value()).isEmpty();
    assertThat(Revision.base()).hasToString("base");
    assertThat(Revision.of("a1", "b2")).hasToString("a1,b2");
    assertThat(Revision.of("a1", "b2").isBase()).isFalse();
    assertThat(Revision.of("a1")).isEqualTo(new Revision(List.of("a1")));
  }

  @Test
  void revisionRejectsBlankHeads() {
    assertThatThrownBy(() -> Revision.of("a1", " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Revision.of("a1", null)).isInstanceOf(NullPointerException.class);
  }
}
