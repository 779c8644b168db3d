package dev.dbmigration.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.localkit.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode as a developer uses it: the seed's commands one after another, each a run of
 * {@code local FILE --jdbc-url=URL} against the same existing database, each continuing from
 * where the last left it (alembic_version checked by SQL after each); and a failing revision
 * ending Failed with the engine's error shown. The real alembic, a real kube-apiserver, a real
 * PostgreSQL (TEST_JDBC_URL, or the embedded one).
 */
class LocalModeIT {

  static LocalPostgres server;

  @TempDir
  Path dir;

  @BeforeAll
  static void postgres() {
    if (!Files.isExecutable(Path.of("/usr/bin/alembic"))) {
      missing("/usr/bin/alembic (apt-get install alembic python3-psycopg2)");
    }
    String url = System.getenv("TEST_JDBC_URL");
    server = url == null || url.isBlank() ? LocalPostgres.embedded()
        : LocalPostgres.fromJdbcUrl(url);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theSeedsCommandsContinueFromWhereTheDevelopersDatabaseStands() throws Exception {
    LocalPostgres.Credentials db = server.createDatabase("local_seed");
    String url = server.jdbcUrl(db.database()) + "?user=" + db.username() + "&password="
        + db.password();
    List<String> expected = new ArrayList<>();
    List<String> observed = new ArrayList<>();
    String[][] steps = {
        {"upgrade", "+2", "2b3c4d5e6f70"},
        {"upgrade", "4d5e6f708192", "4d5e6f708192"},
        {"downgrade", "-1", "3c4d5e6f7081"},
        {"history", "head", "3c4d5e6f7081"},
        {"upgrade", "head", "8192a3b4c5d6"},
        {"downgrade", "base", "base"}};
    for (String[] step : steps) {
      Run run = local(resource(step[0], step[1]), "--jdbc-url=" + url);
      String revision = LocalPostgres.alembicRevision(server.connect(db));
      expected.add(step[0] + " " + step[1] + ": exit 0, database at " + step[2]);
      observed.add(step[0] + " " + step[1] + ": exit " + run.code() + ", database at "
          + revision);
      assertThat(run.printed()).as(run.printed()).contains("database " + db.database()
          + " is at revision " + step[2]);
      if (step[0].equals("history")) {
        assertThat(run.printed()).contains("Rev: 8192a3b4c5d6 (head)");
      }
    }
    assertThat(observed).containsExactlyElementsOf(expected);
  }

  @Test
  void aFailingRevisionEndsFailedWithTheEnginesErrorShownAndThePasswordMasked()
      throws Exception {
    LocalPostgres.Credentials db = server.createDatabase("local_failing");
    String url = server.jdbcUrl(db.database()) + "?user=" + db.username() + "&password="
        + db.password();

    Run run = local(resource("upgrade", "head"), "--jdbc-url=" + url,
        "--project-dir=operator/src/test/resources/alembic-failing");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.printed()).contains("Failed", "boom: intentional failure in revision"
        + " b2c3d4e5f6a7").doesNotContain(db.password());
    assertThat(LocalPostgres.alembicRevision(server.connect(db))).isEqualTo("a1b2c3d4e5f6");
  }

  /** The sample PR environment's resource, asking for {@code action target}. */
  private Path resource(String action, String target) throws Exception {
    String yaml = Files.readString(Path.of("examples/patroni-pr-environment.yaml"))
        .replace("action: upgrade", "action: " + action)
        .replace("target: head", "target: \"" + target + "\"" + (action.equals("downgrade")
            ? "\n  allowDowngrade: true" : ""));
    Path file = dir.resolve(action + "-" + target.replace("+", "p").replace("-", "m") + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static Run local(Path file, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of(file.toString()));
    args.addAll(List.of(options));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = new LocalMode(new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(args.toArray(String[]::new));
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    return new Run(code, printed);
  }

  private static void missing(String what) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true but a test prerequisite is missing: " + what);
    }
    Assumptions.abort("skipped, prerequisite missing: " + what);
  }

  record Run(int code, String printed) {
  }
}
