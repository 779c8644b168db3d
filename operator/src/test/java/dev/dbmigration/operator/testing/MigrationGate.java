package dev.dbmigration.operator.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Holds the advisory lock that src/test/resources/alembic-gated's revision waits for, so that a
 * test can act while the real migration is mid-run, and can cut that migration's session the
 * way a dying leader would.
 */
public final class MigrationGate implements AutoCloseable {

  /** The lock the gated revision takes first (see c0ffee000001_gated_effect.py). */
  public static final int LOCK = 4242;

  private final TestPostgres postgres;
  private final String database;
  private final Connection holder;

  private MigrationGate(TestPostgres postgres, String database, Connection holder) {
    this.postgres = postgres;
    this.database = database;
    this.holder = holder;
  }

  /** Closes the gate of {@code database}: the gated revision waits until it is opened. */
  public static MigrationGate close(TestPostgres postgres, TestPostgres.Credentials db)
      throws SQLException {
    Connection holder = postgres.connect(db);
    try (Statement s = holder.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
    }
    return new MigrationGate(postgres, db.database(), holder);
  }

  /** The sessions of {@code database} that wait for the gate: the running migration's. */
  public List<Integer> waiting() throws SQLException {
    try (Connection admin = postgres.connectAsAdmin();
         PreparedStatement s = admin.prepareStatement("SELECT l.pid FROM pg_locks l"
             + " JOIN pg_stat_activity a ON a.pid = l.pid"
             + " WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = ?"
             + " AND l.objid = " + LOCK)) {
      s.setString(1, database);
      List<Integer> pids = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
      }
      return pids;
    }
  }

  /** Waits until a migration stands at the gate. */
  public void awaitMigrationWaiting(Duration timeout) {
    Awaitility.await("the migration waits at the gate").atMost(timeout)
        .until(() -> waiting().size() == 1);
  }

  /** Ends the waiting migration's session, as a leader that goes away mid-run does. */
  public void cutWaitingMigration() throws SQLException {
    try (Connection admin = postgres.connectAsAdmin(); Statement s = admin.createStatement()) {
      for (int pid : waiting()) {
        s.execute("SELECT pg_terminate_backend(" + pid + ")");
      }
    }
  }

  /** Lets the migration through. */
  public void open() throws SQLException {
    if (!holder.isClosed()) {
      holder.close();
    }
  }

  @Override
  public void close() throws SQLException {
    open();
  }
}
