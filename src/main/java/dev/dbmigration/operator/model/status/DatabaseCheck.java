package dev.dbmigration.operator.model.status;

/** Whether the operator reached the database in this pass, and what it saw or why not. */
public record DatabaseCheck(boolean reachable, String message) {
}
