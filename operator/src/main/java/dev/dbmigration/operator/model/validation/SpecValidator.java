package dev.dbmigration.operator.model.validation;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import java.util.Optional;

/**
 * The one rule the operator still checks itself. Every other rule of the spec (patterns, sizes,
 * CEL rules for what spans fields, quantities) lives in the CRD, generated from the API classes:
 * the API server refuses a resource that breaks one at apply time, and the operator's readiness
 * fails while the installed CRD differs from its own. What needs the cluster (the Secret's keys,
 * the leader pod) is the planner's, as waiting states.
 *
 * <p>A spec is required too, but only since this CRD: every one before it let a resource
 * without a spec in, and such a resource may still be stored (the API server does not look at
 * stored resources again when the CRD changes). The planner reads the spec everywhere, so it is
 * checked here, to answer such a resource with Invalid rather than a failure retried forever.
 */
public final class SpecValidator {

  private SpecValidator() {
  }

  /** The broken rule; empty when the resource can be planned. */
  public static Optional<Violation> validate(DatabaseMigration dbm) {
    return dbm == null || dbm.getSpec() == null
        ? Optional.of(new Violation("spec", "is required")) : Optional.empty();
  }
}
