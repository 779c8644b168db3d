package dev.dbmigration.operator.model.status;

import dev.dbmigration.operator.api.v1alpha1.Phase;

/** Where a run stands and why, before it is turned into status fields and conditions. */
public record MigrationState(Phase phase, String reason, String message) {
}
