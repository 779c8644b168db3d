package dev.dbmigration.operator.database;

import java.util.Objects;

/** What {@link RevisionReader#probe} found out about a database. */
public sealed interface Probe {

  /**
   * Logged in and read the version table.
   *
   * @param inRecovery true on a standby, where a migration cannot write
   */
  record Reachable(boolean inRecovery, Revision revision) implements Probe {

    public Reachable {
      Objects.requireNonNull(revision, "revision");
    }
  }

  /**
   * Could not log in or read the version table.
   *
   * @param reason one line for status and events, with the password redacted
   */
  record Unreachable(String reason) implements Probe {

    public Unreachable {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
