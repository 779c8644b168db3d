package dev.dbmigration.operator.local;

import dev.dbmigration.operator.lock.LockHolder;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.localkit.LocalKubeApiServer;
import dev.dbmigration.operator.localkit.LocalPostgres;
import dev.dbmigration.operator.localrun.ImageMapping;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Local mode, the seed's "running an upgrade migration locally" with the operator's own rules:
 * the resource file's migration, run exactly as its Job would run (the same argument list, env
 * names, workingDir and Secret key mapping), by the real operator on a real kube-apiserver of
 * this machine, with the local Job runner running the Job's command from the project directory
 * that stands for the image. {@code --jdbc-url} names the developer's own database: its login is
 * the migration's, and the run continues from where that database stands (an {@code upgrade +2}
 * moves it two revisions on from there). Without it, a throwaway embedded PostgreSQL with a
 * fresh database. Prints what {@code kubectl get dbm} shows and the database's revision.
 */
public final class LocalMode {

  static final Path DEFAULT_RESOURCE = Path.of("examples", "patroni-pr-environment.yaml");
  static final String CRD = "META-INF/fabric8/databasemigrations.dbmigration.dev-v1.yml";

  private final PrintStream out;

  public LocalMode(PrintStream out) {
    this.out = out;
  }

  /** Runs the migration end to end; the exit code is 0 when it succeeded. */
  public int run(String[] args) throws Exception {
    LocalSettings settings = LocalSettings.parse(args, System.getenv());
    DatabaseMigration dbm = load(settings.resourceFile() != null ? settings.resourceFile()
        : DEFAULT_RESOURCE);
    String namespace = dbm.getMetadata().getNamespace() != null
        ? dbm.getMetadata().getNamespace() : "default";
    dbm.getMetadata().setNamespace(namespace);

    try (LocalPostgres server = settings.jdbcUrl() != null
             ? LocalPostgres.fromJdbcUrl(settings.jdbcUrl()) : LocalPostgres.embedded();
         LocalKubeApiServer api = LocalKubeApiServer.start(settings.kubeApiTestDir(), null,
             Map.of());
         KubernetesClient client = api.newClient()) {
      LocalPostgres.Credentials login = settings.jdbcUrl() != null
          ? new LocalPostgres.Credentials(server.database(), server.user(), server.password())
          : server.createDatabase(dbm.getMetadata().getName());
      try (InputStream crd = LocalMode.class.getClassLoader().getResourceAsStream(CRD)) {
        LocalKubeApiServer.applyCrd(client, crd);
      }
      LocalKubeApiServer.createNamespace(client, namespace);
      createSecret(client, dbm, login);
      pointAt(client, dbm, server);
      out.printf("local: kube-apiserver up; database %s on %s:%d (%s); project %s%n",
          login.database(), server.host(), server.port(), settings.jdbcUrl() != null
              ? "--jdbc-url, continuing from its state" : "embedded, fresh",
          settings.projectDir());

      try (LocalJobRunner runner = new LocalJobRunner(client,
               ImageMapping.allTo(settings.projectDir()).withEntrypoint(
                   OperatorSettings.DEFAULT_OPERATOR_IMAGE, LockHolder.entrypointOfThisJvm()),
               Map.of("PYTHONDONTWRITEBYTECODE", "1"), Set.of(namespace)).start();
           MigrationOperator operator = new MigrationOperator(client,
               new OperatorSettings(Set.of(namespace), 0))) {
        operator.start();
        client.resource(dbm).create();
        DatabaseMigrationStatus status = awaitFinal(client, dbm, settings);
        out.println();
        out.print(table(api, namespace));
        out.printf("%ndatabase %s is at revision %s%n", login.database(),
            revision(server, login));
        if (status.getPhase() != Phase.Succeeded) {
          out.printf("%s: %s%n", status.getPhase(), status.getMessage());
          return 1;
        }
        if (status.getOutput() != null) {
          out.printf("%n%s%n", status.getOutput());
        }
        return 0;
      }
    }
  }

  private static DatabaseMigration load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      DatabaseMigration dbm = Serialization.unmarshal(in, DatabaseMigration.class);
      if (dbm == null || dbm.getSpec() == null || dbm.getSpec().getDatabase() == null) {
        throw new IllegalArgumentException(file + " is not a DatabaseMigration with spec.database");
      }
      return dbm;
    }
  }

  /** The resource's Secret, with the login of the database this run migrates. */
  private static void createSecret(KubernetesClient client, DatabaseMigration dbm,
      LocalPostgres.Credentials login) {
    var ref = dbm.getSpec().getDatabase().getCredentialsSecret();
    SecretKeys keys = ref.getKeys() == null ? new SecretKeys() : ref.getKeys();
    Map<String, String> values = new HashMap<>();
    values.put(keys.databaseOrDefault(), login.database());
    values.put(keys.usernameOrDefault(), login.username());
    values.put(keys.passwordOrDefault(), login.password());
    client.resource(new SecretBuilder().withNewMetadata()
        .withNamespace(dbm.getMetadata().getNamespace()).withName(ref.getName()).endMetadata()
        .withStringData(values).build()).create();
  }

  /** The resource's database becomes the local one: a leader pod at its address, its port. */
  private static void pointAt(KubernetesClient client, DatabaseMigration dbm,
      LocalPostgres server) throws IOException {
    DatabaseSpec spec = dbm.getSpec().getDatabase();
    spec.setPort(server.port());
    LeaderDiscovery leader = spec.getLeader();
    // A pod's IP is an address; a host name in the URL stands for the address it resolves to.
    String ip = InetAddress.getByName(server.host()).getHostAddress();
    if (leader == null || leader.getSelector() == null) {
      spec.setHost(ip);
      return;
    }
    Map<String, String> labels = new HashMap<>(leader.getSelector());
    labels.put(leader.effectiveRoleLabel(), leader.effectiveRoleValues().get(0));
    String cluster = leader.getSelector().values().iterator().next();
    LocalKubeApiServer.createReadyPod(client, dbm.getMetadata().getNamespace(),
        (cluster.isEmpty() ? "database" : cluster) + "-0", labels, ip);
  }

  private DatabaseMigrationStatus awaitFinal(KubernetesClient client, DatabaseMigration dbm,
      LocalSettings settings) {
    DatabaseMigration done = client.resources(DatabaseMigration.class)
        .inNamespace(dbm.getMetadata().getNamespace()).withName(dbm.getMetadata().getName())
        .waitUntilCondition(d -> d != null && d.getStatus() != null
                && d.getStatus().getPhase() != null && d.getStatus().getPhase().isFinal(),
            settings.timeout().toSeconds(), TimeUnit.SECONDS);
    return done.getStatus();
  }

  /** The table `kubectl get dbm` prints, by the real kubectl when it is there. */
  private static String table(LocalKubeApiServer api, String namespace) throws Exception {
    if (api.kubectl().isEmpty()) {
      try (KubernetesClient client = api.newClient()) {
        return Serialization.asYaml(client.resources(DatabaseMigration.class)
            .inNamespace(namespace).list().getItems().stream().map(d -> d.getStatus()).toList());
      }
    }
    Path kubeconfig = Files.createTempFile("local-kubeconfig", ".yaml");
    try {
      Files.writeString(kubeconfig, api.kubeConfigYaml());
      List<String> command = new ArrayList<>(List.of(api.kubectl().get().toString(),
          "--kubeconfig", kubeconfig.toString(), "get", "databasemigrations", "-n", namespace));
      Process kubectl = new ProcessBuilder(command).redirectErrorStream(true).start();
      String printed = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      kubectl.waitFor(30, TimeUnit.SECONDS);
      return "$ kubectl get databasemigrations -n " + namespace + "\n" + printed;
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }

  private static String revision(LocalPostgres server, LocalPostgres.Credentials login) {
    try {
      return LocalPostgres.alembicRevision(server.connect(login));
    } catch (SQLException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
