package dev.dbmigration.operator.runtime;

import java.util.Locale;

/**
 * Whether a run waits until the operator itself can reach the database. {@code required} (the
 * default) makes no Job before a probe logs in and finds a writable leader; {@code best-effort}
 * is for clusters where a NetworkPolicy lets the migration's pod reach the database but not the
 * operator: the Job runs all the same and only the revision stays unknown.
 */
public enum DatabaseCheckMode {
  REQUIRED,
  BEST_EFFORT;

  /** {@code required} or {@code best-effort}, as the environment and the flag spell it. */
  public static DatabaseCheckMode parse(String value) {
    String normalized = value.trim().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "required" -> REQUIRED;
      case "best-effort" -> BEST_EFFORT;
      default -> throw new IllegalArgumentException("database check must be required or "
          + "best-effort, got: " + value);
    };
  }

  public String value() {
    return this == REQUIRED ? "required" : "best-effort";
  }
}
