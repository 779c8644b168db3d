package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.localkit.LocalPostgres;
import dev.dbmigration.operator.localrun.EnvResolver;
import dev.dbmigration.operator.model.job.MigrationJobBuilder;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The real Liquibase (liquibase-core from Maven Central) run with exactly the command and
 * variables the Liquibase engine's Job gets, expanded as the kubelet expands them, against a real
 * PostgreSQL: update, then rollback-count 1, each followed by the operator's own reading of the
 * revision from DATABASECHANGELOG. Only "liquibase" itself is replaced, by the same CLI's main
 * class on this JVM, as the image's launcher script would start it.
 */
class LiquibaseIT {

  static final Path CHANGELOG_DIR = Path.of("operator/src/test/resources/liquibase");
  static final String MAIN = "liquibase.integration.commandline.LiquibaseCommandLine";

  @Test
  void updateThenRollbackCountOneLeaveTheRevisionTheOperatorReads() throws Exception {
    TestPostgres postgres = TestPostgres.get();
    LocalPostgres.Credentials db = postgres.createDatabase("liquibase");

    Run update = run(postgres, db, s -> { });
    String afterUpdate = revision(postgres, db) + " / table " + lastChangeset(postgres, db);
    Run rollback = run(postgres, db, s -> {
      s.setAction(Action.DOWNGRADE);
      s.setAllowDowngrade(true);
      s.setTarget("-1");
    });
    String afterRollback = revision(postgres, db) + " / table " + lastChangeset(postgres, db);

    String observed = String.join(" ", update.command()) + ": exit " + update.exit()
        + ", revision " + afterUpdate + "; " + String.join(" ", rollback.command()) + ": exit "
        + rollback.exit() + ", revision " + afterRollback + "; password in output "
        + (update.output() + rollback.output()).contains(db.password());
    String expected = "liquibase update: exit 0, revision add-invoice-currency::billing / table"
        + " add-invoice-currency::billing; liquibase rollback-count --count=1: exit 0, revision"
        + " create-invoices::billing / table create-invoices::billing; password in output false";
    ScenarioTable.record("Liquibase: the real CLI with the Job's command and variables, update"
        + " then rollback-count 1", expected, observed);
    assertThat(observed).as(update.output() + "\n" + rollback.output()).isEqualTo(expected);
  }

  /** The Job of the spec {@code change} makes, its container run here as the kubelet would. */
  private static Run run(TestPostgres postgres, LocalPostgres.Credentials db,
      Consumer<dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec> change)
      throws Exception {
    DatabaseMigration dbm = Fixtures.migration("billing", "billing");
    dbm.getMetadata().setUid("00000000-0000-0000-0000-000000000000");
    dbm.getSpec().setEngine(Engine.LIQUIBASE);
    dbm.getSpec().setWorkingDir(CHANGELOG_DIR.toAbsolutePath().toString());
    dbm.getSpec().getDatabase().setPort(postgres.port());
    change.accept(dbm.getSpec());
    Job job = MigrationJobBuilder.build(dbm, "billing-liquibase", postgres.host());
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> secret = Map.of("app-db-name", db.database(),
        "app-db-username", db.username(), "app-db-password", db.password());
    Map<String, String> env = new EnvResolver((name, key) -> Optional.ofNullable(secret.get(key)),
        "billing-liquibase-pod", "billing").resolve(container.getEnv());
    List<String> command = EnvResolver.expandArgs(container.getCommand(), env);
    assertThat(command.get(0)).isEqualTo("liquibase");

    List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command()
        .orElse("java"), "-cp", classPath(), MAIN));
    argv.addAll(command.subList(1, command.size()));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(Path.of(container
        .getWorkingDir()).toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("liquibase ran past 120 s: " + output);
    }
    return new Run(command, process.exitValue(), output);
  }

  // Surefire and Failsafe start the tests from a manifest-only jar; the real path is here.
  private static String classPath() {
    return Optional.ofNullable(System.getProperty("surefire.test.class.path"))
        .orElse(System.getProperty("java.class.path"));
  }

  /** What the operator reads, as its probe reads it for engine liquibase. */
  private static String revision(TestPostgres postgres, LocalPostgres.Credentials db) {
    Probe probe = new RevisionReader().probe(new DatabaseLogin(postgres.host(), postgres.port(),
        db.database(), db.username(), db.password()), Engine.LIQUIBASE);
    return probe instanceof Probe.Reachable reachable ? reachable.revisionText().orElse("none")
        : "unreachable: " + ((Probe.Unreachable) probe).reason();
  }

  /** DATABASECHANGELOG's last applied changeset, read directly. */
  private static String lastChangeset(TestPostgres postgres, LocalPostgres.Credentials db)
      throws Exception {
    try (Connection c = postgres.connect(db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id || '::' || author FROM databasechangelog"
             + " ORDER BY orderexecuted DESC LIMIT 1")) {
      return rs.next() ? rs.getString(1) : "empty";
    }
  }

  private record Run(List<String> command, int exit, String output) {
  }
}
