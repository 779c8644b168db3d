package dev.dbmigration.operator.model.job;

import java.util.List;

/**
 * How an engine renders what a run would do, without doing it.
 *
 * @param command the container's argument list (never a shell line)
 * @param offline true when it needs no database: its pod then gets no credentials and a host
 *     that resolves nowhere, so an env.py without an offline mode fails instead of connecting
 * @param sql true when the output is the SQL the run would execute (Alembic); false when it is
 *     the engine's nearest equivalent (Flyway's list of pending migrations)
 */
public record PlanCommand(List<String> command, boolean offline, boolean sql) {

  public PlanCommand {
    command = List.copyOf(command);
  }
}
