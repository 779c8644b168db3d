package dev.dbmigration.operator.database;

import java.util.List;
import java.util.Optional;

/**
 * The schema revision a version table records: no heads is the base state (nothing applied yet),
 * several heads happen when Alembic branches are applied side by side.
 */
public record Revision(List<String> heads) {

  private static final Revision BASE = new Revision(List.of());

  public Revision {
    heads = List.copyOf(heads);
    if (heads.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("a head must not be blank: " + heads);
    }
  }

  public static Revision base() {
    return BASE;
  }

  public static Revision of(String... heads) {
    return new Revision(List.of(heads));
  }

  public boolean isBase() {
    return heads.isEmpty();
  }

  /** The heads joined with "," as status.revision shows them; empty in the base state. */
  public Optional<String> value() {
    return isBase() ? Optional.empty() : Optional.of(String.join(",", heads));
  }

  /** Alembic's own word for the state before the first migration. */
  @Override
  public String toString() {
    return value().orElse("base");
  }
}
