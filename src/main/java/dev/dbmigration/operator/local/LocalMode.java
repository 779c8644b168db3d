package dev.dbmigration.operator.local;

import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.OperatorSettings;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.localrun.ImageMapping;
import dev.dbmigration.operator.localrun.LocalJobRunner;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar database-migration-operator.jar local [FILE]}: the operator without a
 * cluster. It starts a real kube-apiserver and a PostgreSQL on this machine, gives the resource
 * a matching Secret and a leader pod that is that PostgreSQL, runs the operator and the local Job
 * runner, and lets the real migration tool of the project directory do the work.
 */
public final class LocalMode {

  static final Path DEFAULT_RESOURCE = Path.of("examples", "patroni-pr-environment.yaml");

  private final PrintStream out;

  public LocalMode(PrintStream out) {
    this.out = out;
  }

  /** Runs one migration end to end; the exit code is 0 when it succeeded. */
  public int run(String[] args) throws Exception {
    LocalSettings settings = LocalSettings.parse(args, System.getenv());
    DatabaseMigration dbm = load(settings.resourceFile() != null ? settings.resourceFile()
        : DEFAULT_RESOURCE);
    String namespace = dbm.getMetadata().getNamespace() != null
        ? dbm.getMetadata().getNamespace() : "default";
    dbm.getMetadata().setNamespace(namespace);

    try (LocalDatabase database = LocalDatabase.start(settings.jdbcUrl());
         LocalCluster cluster = LocalCluster.start(settings.kubeApiTestDir())) {
      KubernetesClient client = cluster.client();
      cluster.createNamespace(namespace);
      String dbName = databaseName(dbm);
      String password = database.createDatabase(dbName);
      createSecret(client, dbm, dbName, password);
      pointAtLocalDatabase(cluster, dbm, database);
      out.printf("local: kube-apiserver up, PostgreSQL %s:%d database %s, project %s%n",
          database.host(), database.port(), dbName, settings.projectDir());

      try (LocalJobRunner runner = new LocalJobRunner(client,
               ImageMapping.allTo(settings.projectDir()),
               Map.of("PYTHONDONTWRITEBYTECODE", "1"), Set.of(namespace)).start();
           MigrationOperator operator = new MigrationOperator(client,
               new OperatorSettings(Set.of(namespace), 0))) {
        operator.start();
        client.resource(dbm).create();
        DatabaseMigrationStatus status = awaitFinal(client, dbm, settings);
        out.println();
        out.print(table(cluster, namespace));
        out.printf("%ndatabase %s is at revision %s%n", dbName,
            revision(database, dbName, password));
        if (status.getPhase() != Phase.Succeeded) {
          out.printf("%s: %s%n", status.getPhase(), status.getMessage());
          return 1;
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

  /** A fresh database per run, named after the resource so it can be found afterwards. */
  private static String databaseName(DatabaseMigration dbm) {
    String base = dbm.getMetadata().getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    return (base.length() > 40 ? base.substring(0, 40) : base) + "_"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void createSecret(KubernetesClient client, DatabaseMigration dbm, String dbName,
      String password) {
    var ref = dbm.getSpec().getDatabase().getCredentialsSecret();
    SecretKeys keys = ref.keysOrDefault();
    Map<String, String> values = new HashMap<>();
    values.put(keys.databaseOrDefault(), dbName);
    values.put(keys.usernameOrDefault(), dbName);
    values.put(keys.passwordOrDefault(), password);
    client.resource(new SecretBuilder().withNewMetadata()
        .withNamespace(dbm.getMetadata().getNamespace()).withName(ref.getName()).endMetadata()
        .withStringData(values).build()).create();
  }

  /** The resource's database becomes the local one: a leader pod at its address, its port. */
  private static void pointAtLocalDatabase(LocalCluster cluster, DatabaseMigration dbm,
      LocalDatabase database) {
    DatabaseSpec spec = dbm.getSpec().getDatabase();
    spec.setPort(database.port());
    LeaderDiscovery leader = spec.getLeader();
    if (leader == null || leader.getSelector() == null) {
      spec.setHost(database.host());
      return;
    }
    Map<String, String> labels = new HashMap<>(leader.getSelector());
    labels.put(leader.effectiveRoleLabel(), leader.effectiveRoleValues().get(0));
    String cluster0 = leader.getSelector().values().iterator().next();
    cluster.createReadyPod(dbm.getMetadata().getNamespace(),
        (cluster0.isEmpty() ? "database" : cluster0) + "-0", labels, database.host());
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
  private static String table(LocalCluster cluster, String namespace) throws Exception {
    if (cluster.kubectl().isEmpty()) {
      return Serialization.asYaml(cluster.client().resources(DatabaseMigration.class)
          .inNamespace(namespace).list().getItems().stream().map(d -> d.getStatus()).toList());
    }
    Path kubeconfig = Files.createTempFile("local-kubeconfig", ".yaml");
    try {
      Files.writeString(kubeconfig, cluster.kubeConfigYaml());
      List<String> command = new ArrayList<>(List.of(cluster.kubectl().get().toString(),
          "--kubeconfig", kubeconfig.toString(), "get", "databasemigrations", "-n", namespace));
      Process kubectl = new ProcessBuilder(command).redirectErrorStream(true).start();
      String printed = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      kubectl.waitFor(30, TimeUnit.SECONDS);
      return "$ kubectl get databasemigrations -n " + namespace + "\n" + printed;
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }

  private static String revision(LocalDatabase database, String dbName, String password)
      throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + database.host() + ":"
            + database.port() + "/" + dbName, dbName, password);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT coalesce(string_agg(version_num, ',' ORDER BY "
             + "version_num), 'base') FROM alembic_version")) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
