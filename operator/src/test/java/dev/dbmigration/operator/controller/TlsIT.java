package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.CaBundleSource;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseTls;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.SslMode;
import dev.dbmigration.operator.database.CaBundle;
import dev.dbmigration.operator.database.ConnectionTls;
import dev.dbmigration.operator.database.DatabaseLogin;
import dev.dbmigration.operator.database.Probe;
import dev.dbmigration.operator.database.RevisionReader;
import dev.dbmigration.operator.database.VersionTable;
import dev.dbmigration.operator.model.job.JobTls;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.OperatorHarness;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestCertificates;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import dev.dbmigration.operator.testing.TestTlsPostgres;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS to a PostgreSQL that takes logins over TLS only, with a server certificate for 127.0.0.1
 * signed by a test CA: the operator's own check (pgjdbc, the CA in memory), the real alembic
 * through libpq with the Job's PGSSLMODE/PGSSLROOTCERT, and the operator on a real API server
 * reading the CA from a ConfigMap or Secret, making the Job only when the check passes.
 */
class TlsIT {

  static final Duration TIMEOUT = Duration.ofSeconds(45);

  static TestCertificates authority;
  static TestCertificates stranger;
  static TestTlsPostgres server;
  static TestPostgres.Credentials db;
  static KubernetesClient client;
  static TestCluster cluster;
  static OperatorHarness operator;
  static final RevisionReader READER = new RevisionReader();

  @BeforeAll
  static void start() throws Exception {
    authority = TestCertificates.authority("patroni-ca");
    stranger = TestCertificates.authority("someone-elses-ca");
    server = TestTlsPostgres.start(authority, List.of(TestTlsPostgres.HOST));
    db = server.createDatabase("tls");
    client = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(client);
    cluster = new TestCluster(client);
    operator = new OperatorHarness(client).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theOperatorsCheckTrustsTheResourcesCaAndNothingElse() {
    Probe right = probe(TestTlsPostgres.HOST, SslMode.VERIFY_FULL, authority);
    Probe wrong = probe(TestTlsPostgres.HOST, SslMode.VERIFY_FULL, stranger);
    Probe otherName = probe("localhost", SslMode.VERIFY_FULL, authority);
    Probe verifyCa = probe("localhost", SslMode.VERIFY_CA, authority);
    Probe plain = probe(TestTlsPostgres.HOST, SslMode.DISABLE, null);

    String observed = describe(right) + "; " + describe(wrong) + "; " + describe(otherName)
        + "; " + describe(verifyCa) + "; " + describe(plain);
    String expected = "reachable at base; refused for good: the server's certificate is not signed"
        + " by a CA of spec.database.tls.ca; refused for good: the server's certificate does not"
        + " name localhost; reachable at base; unreachable: no pg_hba.conf entry";
    ScenarioTable.record("TLS: the operator's check against a TLS-only PostgreSQL (verify-full"
        + " right CA, wrong CA, wrong name, verify-ca, disable)", expected, observed);
    assertThat(observed).isEqualTo(expected);
  }

  @Test
  void alembicConnectsThroughLibpqWithTheJobsVariablesAndRefusesAWrongCa() throws Exception {
    TestPostgres.Credentials own = server.createDatabase("tls_alembic");
    Path dir = Files.createTempDirectory("tls-ca");
    Path right = Files.writeString(dir.resolve("right.crt"), authority.caPem());
    Path wrong = Files.writeString(dir.resolve("wrong.crt"), stranger.caPem());

    Result refused = alembic(own, wrong);
    Result upgraded = alembic(own, right);

    String observed = "wrong CA: exit " + refused.exit() + (refused.output()
        .contains("certificate verify failed") ? ", certificate verify failed" : ", " + refused
        .output()) + "; right CA: exit " + upgraded.exit() + ", at "
        + revision(own);
    String expected = "wrong CA: exit 1, certificate verify failed; right CA: exit 0, at "
        + "8192a3b4c5d6";
    ScenarioTable.record("TLS: the real alembic with PGSSLMODE=verify-full and PGSSLROOTCERT",
        expected, observed);
    assertThat(observed).as(upgraded.output()).isEqualTo(expected);
  }

  @Test
  void theOperatorMakesTheJobOnlyWhenItsTlsCheckPasses() throws Exception {
    String good = environment("tls-good");
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("patroni-ca")
        .withNamespace(good).endMetadata().addToData("ca.crt", authority.caPem()).build()).create();
    cluster.apply(migration(good, CaBundleSource.configMap("patroni-ca", "ca.crt")));

    String wrongCa = environment("tls-wrong");
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("patroni-ca")
        .withNamespace(wrongCa).endMetadata().addToData("ca.crt", stranger.caPem()).build())
        .create();
    cluster.apply(migration(wrongCa, CaBundleSource.configMap("patroni-ca", "ca.crt")));

    String fromSecret = environment("tls-secret");
    cluster.createSecret(fromSecret, "db-tls", Map.of("root.pem", authority.caPem()));
    cluster.apply(migration(fromSecret, CaBundleSource.secret("db-tls", "root.pem")));

    String missing = environment("tls-missing");
    cluster.apply(migration(missing, CaBundleSource.configMap("patroni-ca", "ca.crt")));

    Job job = await("the Job of " + good).atMost(TIMEOUT)
        .until(() -> cluster.jobs(good), jobs -> jobs.size() == 1).get(0);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    DatabaseMigrationStatus refused = awaitPhase(wrongCa, Phase.WaitingForDatabase);
    DatabaseMigrationStatus absent = awaitPhase(missing, Phase.WaitingForDatabase);
    await("the Job of " + fromSecret).atMost(TIMEOUT)
        .until(() -> cluster.jobs(fromSecret), jobs -> jobs.size() == 1);

    String observed = "right CA: 1 Job, CA volume " + pod.getVolumes().get(0).getConfigMap()
        .getName() + ", PGSSLMODE " + env(job, "PGSSLMODE") + "; wrong CA: " + state(refused)
        + ", " + cluster.jobs(wrongCa).size() + " Jobs; CA missing: " + state(absent) + ", "
        + cluster.jobs(missing).size() + " Jobs; CA from a Secret: 1 Job";
    String expected = "right CA: 1 Job, CA volume patroni-ca, PGSSLMODE verify-full; wrong CA:"
        + " WaitingForDatabase DatabaseUnreachable naming TLS and spec.database.tls.ca, 0 Jobs;"
        + " CA missing: WaitingForDatabase DatabaseUnreachable naming ConfigMap patroni-ca, 0"
        + " Jobs; CA from a Secret: 1 Job";
    ScenarioTable.record("TLS: the operator on a real API server (CA from a ConfigMap, a wrong"
        + " one, none, from a Secret)", expected, observed);
    assertThat(observed).as(refused.getMessage() + " / " + absent.getMessage())
        .isEqualTo(expected);
    assertThat(refused.getMessage()).doesNotContain("Exception", "\tat ");
    // The bundle reaches the pod as a volume: no certificate, key or password in the Job.
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(job))
        .doesNotContain("BEGIN CERTIFICATE", "PRIVATE KEY", "pw-");
  }

  /**
   * A namespace with its own database: runs on one database wait for each other, and no Job
   * completes on an API server without kubelet, so a shared one would hold the others back.
   */
  private static String environment(String prefix) throws Exception {
    String ns = cluster.newNamespace(prefix);
    TestPostgres.Credentials own = server.createDatabase(prefix.replace('-', '_'));
    cluster.createSecret(ns, "app-creds", Map.of("app-db-name", own.database(),
        "app-db-username", own.username(), "app-db-password", own.password()));
    cluster.createReadyPod(ns, "patroni-app-0", Map.of("cluster-name", "patroni-app",
        "role", "master"), TestTlsPostgres.HOST);
    return ns;
  }

  private static DatabaseMigration migration(String ns, CaBundleSource ca) {
    DatabaseMigration dbm = Fixtures.migration(ns, "app");
    dbm.getSpec().getDatabase().setPort(server.port());
    DatabaseTls tls = new DatabaseTls();
    tls.setCa(ca);
    dbm.getSpec().getDatabase().setTls(tls);
    return dbm;
  }

  private static DatabaseMigrationStatus awaitPhase(String ns, Phase phase) {
    return await(ns + " " + phase).atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(ns)
          .withName("app").get();
      return dbm == null ? null : dbm.getStatus();
    }, s -> s != null && s.getPhase() == phase);
  }

  private static String state(DatabaseMigrationStatus status) {
    String reason = ReachableEnvironment.readyReason(status);
    String message = status.getMessage();
    String naming = message.contains("TLS to ") && message.contains("spec.database.tls.ca")
        ? "naming TLS and spec.database.tls.ca"
        : message.contains("ConfigMap patroni-ca not found") ? "naming ConfigMap patroni-ca"
        : "saying " + message;
    return status.getPhase() + " " + reason + " " + naming;
  }

  private static String env(Job job, String name) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst().orElse(null);
  }

  private static Probe probe(String host, SslMode mode, TestCertificates ca) {
    ConnectionTls tls = new ConnectionTls(mode, ca == null ? null : CaBundle.parse(ca.caPem()));
    return READER.probe(new DatabaseLogin(host, server.port(), db.database(), db.username(),
        db.password()), tls, Optional.of(VersionTable.ALEMBIC));
  }

  private static String describe(Probe probe) {
    if (probe instanceof Probe.Reachable reachable) {
      return "reachable at " + reachable.revisionText().orElse("?");
    }
    Probe.Unreachable unreachable = (Probe.Unreachable) probe;
    String reason = unreachable.reason();
    String gist = reason.contains("no pg_hba.conf entry") ? "no pg_hba.conf entry"
        : reason.replaceFirst("^TLS to [^ ]+ failed: ", "").replaceFirst(" \\(.*$", "");
    return (unreachable.definite() ? "refused for good: " : "unreachable: ") + gist;
  }

  private static String revision(TestPostgres.Credentials own) throws Exception {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", own.username());
    properties.setProperty("password", own.password());
    properties.setProperty("sslmode", "require");
    try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + server.host() + ":"
        + server.port() + "/" + own.database(), properties); var s = c.createStatement();
         var rs = s.executeQuery("SELECT string_agg(version_num, ',') FROM alembic_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The real alembic of examples/alembic, with the variables the Job's container gets. */
  private static Result alembic(TestPostgres.Credentials own, Path caFile) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("alembic", "upgrade", "head")
        .directory(Path.of("examples/alembic").toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("POSTGRES_HOST", server.host());
    env.put("POSTGRES_PORT", Integer.toString(server.port()));
    env.put("POSTGRES_DATABASE", own.database());
    env.put("POSTGRES_USER", own.username());
    env.put("POSTGRES_PASSWORD", own.password());
    env.put("PGSSLMODE", "verify-full");
    env.put("PGSSLROOTCERT", caFile.toString());
    assertThat(JobTls.CA_FILE).endsWith("/ca.crt");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("alembic ran past 120 s: " + output);
    }
    return new Result(process.exitValue(), output);
  }

  private record Result(int exit, String output) {
  }
}
