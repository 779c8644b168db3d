package dev.dbmigration.operator.model.status;

/**
 * What the operator found when it checked the database in this pass.
 *
 * @param ready it logged in and the database is writable (not a replica in recovery)
 * @param reason DatabaseReachable, DatabaseUnreachable or LeaderInRecovery
 * @param message what it saw, or why it could not look, never a password
 */
public record DatabaseCheck(boolean ready, String reason, String message) {
}
