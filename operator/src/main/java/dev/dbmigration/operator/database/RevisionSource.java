package dev.dbmigration.operator.database;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.VersionTableSpec;
import java.util.List;
import java.util.Optional;

/**
 * A table a probe reads the schema revision from: an engine's own ({@link VersionTable}), or
 * the one a command's tooling keeps ({@link UserVersionTable}).
 */
public sealed interface RevisionSource permits VersionTable, UserVersionTable {

  /** True when the table exists, without raising when it does not. */
  String existsQuery();

  /** One column of revision values, for {@link #fold}. */
  String revisionQuery();

  /** The revision that {@link #revisionQuery}'s rows describe; no rows is the base state. */
  Revision fold(List<String> rows);

  /** The table, for log lines. */
  String describe();

  /**
   * Where the resource's engine records its revision; empty for engine command without
   * spec.versionTable, whose status then has no revision.
   */
  static Optional<RevisionSource> of(DatabaseMigrationSpec spec) {
    if (spec == null) {
      return Optional.of(VersionTable.ALEMBIC);
    }
    return switch (spec.engineOrDefault()) {
      case ALEMBIC -> Optional.of(VersionTable.ALEMBIC);
      case FLYWAY -> Optional.of(VersionTable.FLYWAY);
      case LIQUIBASE -> Optional.of(VersionTable.LIQUIBASE);
      case COMMAND -> Optional.ofNullable(spec.getVersionTable()).map(RevisionSource::userTable);
    };
  }

  private static RevisionSource userTable(VersionTableSpec table) {
    return UserVersionTable.of(table.getName(), table.columnOrDefault(), table.getOrderBy());
  }
}
