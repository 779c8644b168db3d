package dev.dbmigration.operator.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresIT {

  @Test
  void runsSqlOnARealPostgresqlAsAFreshRole() throws Exception {
    TestPostgres postgres = TestPostgres.get();
    TestPostgres.Credentials db = postgres.createDatabase("pgit");

    try (Connection c = postgres.connect(db); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE greeting (id serial PRIMARY KEY, text varchar(32) NOT NULL)");
      s.execute("INSERT INTO greeting (text) VALUES ('hello'), ('world')");
      try (ResultSet rs = s.executeQuery(
          "SELECT string_agg(text, ' ' ORDER BY id), current_user, pg_is_in_recovery(), "
              + "current_setting('server_version_num')::int FROM greeting")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("hello world");
        assertThat(rs.getString(2)).isEqualTo(db.username());
        assertThat(rs.getBoolean(3)).as("a fresh server is a primary").isFalse();
        assertThat(rs.getInt(4)).isGreaterThanOrEqualTo(120000);
      }
    }
    System.out.printf("PostgresIT: server from %s at %s:%d%n", postgres.source(), postgres.host(),
        postgres.port());
  }
}
