package dev.dbmigration.operator.database;

import java.util.Objects;

/** What {@link RevisionReader#probe} found out about a database. */
public sealed interface Probe {

  /**
   * Logged in and read the version table.
   *
   * @param inRecovery true on a standby, where a migration cannot write
   * @param revision null when no table records one (engine command without spec.versionTable)
   */
  record Reachable(boolean inRecovery, Revision revision) implements Probe {

    /** The revision as status.revision shows it; empty when nothing records one. */
    public java.util.Optional<String> revisionText() {
      return revision == null ? java.util.Optional.empty()
          : java.util.Optional.of(revision.toString());
    }
  }

  /**
   * Could not log in or read the version table.
   *
   * @param reason one line for status and events, with the password redacted
   * @param definite the check got far enough to be told no for good: a TLS CA that is missing or
   *     not the server's, a certificate that does not name the leader. The Job would fail alike,
   *     so it is not made even where DATABASE_CHECK=best-effort runs Jobs the operator cannot
   *     check (a network policy), until what the message names is fixed
   */
  record Unreachable(String reason, boolean definite) implements Probe {

    public Unreachable {
      Objects.requireNonNull(reason, "reason");
    }

    /** Not reached, for a reason the migration's pod may not share (network, timeouts). */
    public Unreachable(String reason) {
      this(reason, false);
    }
  }
}
