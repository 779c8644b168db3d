package dev.dbmigration.operator.model.run;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before trying again: {@code base} after the first failure, doubling after
 * each further one, never more than {@code cap}.
 */
public record Backoff(Duration base, Duration cap) {

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isZero() || base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap, got " + base + ", " + cap);
    }
  }

  /** The delay after {@code failures} failures in a row (1 for the first). */
  public Duration afterFailures(int failures) {
    Duration delay = base;
    for (int i = 1; i < failures && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }

  /**
   * The delay of the next check of something that has been failing for {@code waited}: as long
   * again (so the checks space out exponentially), within base and cap.
   */
  public Duration afterWaiting(Duration waited) {
    if (waited.compareTo(base) < 0) {
      return base;
    }
    return waited.compareTo(cap) > 0 ? cap : waited;
  }
}
