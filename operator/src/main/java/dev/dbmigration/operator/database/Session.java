package dev.dbmigration.operator.database;

import java.sql.SQLException;
import java.util.List;

/**
 * The few statements a probe runs. A seam between what the probe asks and JDBC, so that answers a
 * test server cannot give (a standby in recovery) can be tried without one.
 */
interface Session {

  void execute(String sql) throws SQLException;

  /** The first column of the only row. */
  boolean queryBoolean(String sql) throws SQLException;

  /** The first column of every row; SQL NULLs stay null. */
  List<String> queryStrings(String sql) throws SQLException;
}
