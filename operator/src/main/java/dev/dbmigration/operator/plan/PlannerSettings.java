package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.model.run.Backoff;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import java.time.Duration;

/**
 * The operator-wide settings decisions depend on.
 *
 * @param databaseCheck whether a Job waits until the operator itself found the database writable
 * @param retryBackoff the delays between attempts after a leader change
 * @param databaseRecheck the spacing of checks of a database that is not ready
 * @param otherRunRecheck how often a run waiting for another run on its database looks again
 * @param lockImage the operator's image, which holds a run's database lock in its pod; null for
 *     runs without one
 */
public record PlannerSettings(DatabaseCheckMode databaseCheck, Backoff retryBackoff,
    Backoff databaseRecheck, Duration otherRunRecheck, String lockImage) {

  /** The operator's defaults around a first backoff delay of {@code base}, with no lock image. */
  public static PlannerSettings of(DatabaseCheckMode databaseCheck, Duration base) {
    return of(databaseCheck, base, null);
  }

  /** The operator's defaults around a first backoff delay of {@code base}. */
  public static PlannerSettings of(DatabaseCheckMode databaseCheck, Duration base,
      String lockImage) {
    // Retries after a leader change: 10 s, 20 s, 40 s by default. Database rechecks space out
    // to two minutes at most, so a database that comes back is noticed soon enough.
    return new PlannerSettings(databaseCheck, new Backoff(base, base.multipliedBy(30)),
        new Backoff(base, base.multipliedBy(12)), Duration.ofSeconds(10), lockImage);
  }
}
