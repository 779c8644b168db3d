package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import java.util.List;

/**
 * The user's own tool: spec.command as the container's command, exactly as written (no shell,
 * no expansion by the operator), with the connection variables of spec.env like every engine.
 * Kubernetes still expands $(VAR) of the container's variables in it, as in any pod.
 */
public final class CommandEngine implements MigrationEngine {

  @Override
  public String name() {
    return "command";
  }

  @Override
  public List<String> command(DatabaseMigrationSpec spec) {
    List<String> command = spec.getCommand();
    if (command == null || command.isEmpty()) {
      // The CRD refuses this; a spec built in code must not reach a Job without a program.
      throw new IllegalArgumentException("engine command needs spec.command");
    }
    return List.copyOf(command);
  }
}
