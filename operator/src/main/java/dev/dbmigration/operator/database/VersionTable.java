package dev.dbmigration.operator.database;

import dev.dbmigration.operator.api.v1alpha1.Engine;
import java.util.List;
import java.util.Objects;

/**
 * Where each migration tool records the schema revision, and how its rows make a {@link Revision}.
 */
public enum VersionTable implements RevisionSource {

  /** One row per current head; several rows when branches are applied side by side. */
  ALEMBIC("alembic_version", "SELECT version_num FROM alembic_version") {
    @Override
    public Revision fold(List<String> rows) {
      // Sorted so that the same heads always read the same, whatever order the server returns.
      return new Revision(present(rows).stream().distinct().sorted().toList());
    }
  },

  /**
   * The history of every run; the revision is the latest successful versioned one. Repeatable
   * migrations have no version, and rows that Flyway's repair marks DELETE were never applied.
   */
  FLYWAY("flyway_schema_history",
      "SELECT version FROM flyway_schema_history"
          + " WHERE success AND version IS NOT NULL AND type <> 'DELETE'"
          + " ORDER BY installed_rank DESC LIMIT 1") {
    @Override
    public Revision fold(List<String> rows) {
      return latest(rows);
    }
  },

  /**
   * The history of every changeset, one row each while it is applied (a rollback deletes its
   * row); the revision is the last one executed, as {@code id::author}: Liquibase tells changesets
   * apart by both (and the file, which differs between machines), and spells them so in its log.
   * A FAILED row (failOnError: false) was not applied.
   */
  LIQUIBASE("databasechangelog",
      "SELECT id || '::' || author FROM databasechangelog"
          + " WHERE exectype IS DISTINCT FROM 'FAILED'"
          + " ORDER BY orderexecuted DESC, dateexecuted DESC LIMIT 1") {
    @Override
    public Revision fold(List<String> rows) {
      return latest(rows);
    }
  };

  private final String table;
  private final String revisionQuery;

  VersionTable(String table, String revisionQuery) {
    this.table = table;
    this.revisionQuery = revisionQuery;
  }

  /**
   * The version table of an engine that has its own; no engine means Alembic. Engine command
   * has none: spec.versionTable names it, if anything does (see {@link RevisionSource#of}).
   */
  public static VersionTable forEngine(Engine engine) {
    if (engine == null) {
      return ALEMBIC;
    }
    // No default branch: a new Engine constant must not compile until it names its table.
    return switch (engine) {
      case ALEMBIC -> ALEMBIC;
      case FLYWAY -> FLYWAY;
      case LIQUIBASE -> LIQUIBASE;
      case COMMAND -> throw new IllegalArgumentException(
          "engine command has no version table of its own: see spec.versionTable");
    };
  }

  /** The table's unqualified name, found through the session's search_path as the tool does. */
  public String table() {
    return table;
  }

  @Override
  public String describe() {
    return table;
  }

  /**
   * True when the table exists. to_regclass answers NULL for a missing table instead of raising,
   * which would abort the session's transaction and cost a round trip to tell from a real error.
   */
  @Override
  public String existsQuery() {
    return "SELECT to_regclass('" + table + "') IS NOT NULL";
  }

  @Override
  public String revisionQuery() {
    return revisionQuery;
  }

  @Override
  public abstract Revision fold(List<String> rows);

  private static List<String> present(List<String> rows) {
    return rows.stream().filter(Objects::nonNull).map(String::strip).filter(s -> !s.isEmpty())
        .toList();
  }

  private static Revision latest(List<String> rows) {
    List<String> present = present(rows);
    return present.isEmpty() ? Revision.base() : Revision.of(present.get(0));
  }
}
