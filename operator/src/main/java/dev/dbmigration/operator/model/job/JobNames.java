package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.run.RunIdentity;
import java.util.Locale;

/**
 * Names the Jobs of a run: {@code <name>-<run identity>}, and {@code -a<N>} for the Nth attempt
 * after a leader change. Only the resource and its run identity go in, so an operator that
 * restarts finds the Job it already created instead of starting the migration a second time.
 */
public final class JobNames {

  // The Job controller copies the Job name into a pod label, which allows 63 characters at most.
  static final int MAX_LENGTH = 63;
  private static final String FALLBACK_PREFIX = "dbm";

  private JobNames() {
  }

  /** The Job of attempt {@code attempt} (1 for the first) of the run {@code run}. */
  public static String of(DatabaseMigration dbm, RunIdentity run, int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    String suffix = "-" + run.text() + (attempt == 1 ? "" : "-a" + attempt);
    return prefix(dbm.getMetadata().getName(), MAX_LENGTH - suffix.length()) + suffix;
  }

  /**
   * The Job that renders the plan of run {@code run} from the database state {@code context} (a
   * short hash of the revision, image and target it starts from): a new context, a new plan.
   */
  public static String plan(DatabaseMigration dbm, RunIdentity run, String context) {
    return withSuffix(dbm, "-" + run.text() + "-p" + context);
  }

  /** The Job that checks the schema for drift after run {@code run}. */
  public static String driftCheck(DatabaseMigration dbm, RunIdentity run) {
    return withSuffix(dbm, "-" + run.text() + "-check");
  }

  private static String withSuffix(DatabaseMigration dbm, String suffix) {
    return prefix(dbm.getMetadata().getName(), MAX_LENGTH - suffix.length()) + suffix;
  }

  // Resource names are DNS subdomains; dots are legal there but not in a DNS label.
  private static String prefix(String name, int maxLength) {
    String sanitized = name == null ? ""
        : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    String truncated = sanitized.length() > maxLength ? sanitized.substring(0, maxLength)
        : sanitized;
    String trimmed = truncated.replaceAll("^-+", "").replaceAll("-+$", "");
    return trimmed.isEmpty() ? FALLBACK_PREFIX : trimmed;
  }
}
