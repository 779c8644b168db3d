package dev.dbmigration.operator.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test tier does when something it needs is missing: on a laptop it skips with the
 * reason, under {@code CI=true} it fails, so that the real tiers cannot silently vanish from CI.
 */
public final class Prerequisites {

  private Prerequisites() {
  }

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  public static void missing(String what) {
    if (inCi()) {
      Assertions.fail("CI=true but a test prerequisite is missing: " + what);
    }
    Assumptions.abort("skipped, prerequisite missing: " + what);
  }
}
