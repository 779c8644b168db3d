package dev.dbmigration.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.CaBundleSource;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseTls;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.CredentialsSecret;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 on the real cluster: the migration pod's settings on the pod the Job controller made,
 * engine command's success and failure as users read them in status, and TLS verify-full to a
 * PostgreSQL that accepts TLS only, with a wrong CA refused before any Job; the real Liquibase's
 * update and rollback-count 1 with the revision in status as DATABASECHANGELOG holds it.
 */
@Order(9)
class EnginesE2E extends ClusterScenario {

  /** The real Liquibase CLI and LiquibaseIT's changelog (hack/images/build.sh). */
  static final String LIQUIBASE_IMAGE = "localhost/liquibase-billing:1";

  @Test
  void podSettingsReachTheRealPodAndTheRestrictedContextStays() throws Exception {
    long started = System.nanoTime();
    String ns = cluster.newNamespace("engines-pod");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-pod");
    DatabaseMigration dbm = Migrations.of(ns, "wps-api", db, Migrations.BUILD_1,
        "/app/bootstrap");
    JobSettings job = new JobSettings();
    job.setNodeSelector(Map.of("kubernetes.io/os", "linux"));
    job.setTolerations(List.of(new TolerationBuilder().withKey("dbmigration.dev/migrations")
        .withOperator("Exists").withEffect("NoSchedule").build()));
    job.setPodLabels(Map.of("team", "payments"));
    job.setPodAnnotations(Map.of("sidecar.istio.io/inject", "false"));
    job.setEnv(List.of(new EnvVarBuilder().withName("APP_MODE").withValue("migrate").build()));
    job.setVolumes(List.of(new VolumeBuilder().withName("scratch").withNewEmptyDir()
        .endEmptyDir().build()));
    job.setVolumeMounts(List.of(new VolumeMountBuilder().withName("scratch")
        .withMountPath("/scratch").build()));
    dbm.getSpec().setJob(job);
    migrations.create(dbm);

    DatabaseMigrationStatus status = migrations.awaitFinished(ns, "wps-api", 1L);
    Pod pod = migrations.podsOf(ns, status.getJobName()).get(0);
    Container container = pod.getSpec().getContainers().get(0);
    String observed = status.getPhase() + " at " + revision(status) + ", database "
        + db.revision() + "; pod nodeSelector " + pod.getSpec().getNodeSelector()
        + ", toleration " + pod.getSpec().getTolerations().stream()
            .filter(t -> "dbmigration.dev/migrations".equals(t.getKey()))
            .map(t -> t.getOperator() + "/" + t.getEffect()).findFirst().orElse("none")
        + ", label team=" + pod.getMetadata().getLabels().get("team")
        + ", annotation sidecar.istio.io/inject=" + pod.getMetadata().getAnnotations()
            .get("sidecar.istio.io/inject")
        + ", env APP_MODE=" + container.getEnv().stream()
            .filter(e -> e.getName().equals("APP_MODE")).map(e -> e.getValue()).findFirst()
            .orElse(null)
        + ", volume scratch " + (pod.getSpec().getVolumes().stream()
            .anyMatch(v -> v.getName().equals("scratch") && v.getEmptyDir() != null)
            ? "emptyDir" : "absent")
        + " at " + container.getVolumeMounts().stream()
            .filter(m -> m.getName().equals("scratch")).map(m -> m.getMountPath()).findFirst()
            .orElse(null)
        + "; runAsNonRoot " + pod.getSpec().getSecurityContext().getRunAsNonRoot()
        + ", seccomp " + pod.getSpec().getSecurityContext().getSeccompProfile().getType()
        + ", allowPrivilegeEscalation " + container.getSecurityContext()
            .getAllowPrivilegeEscalation()
        + ", drop " + container.getSecurityContext().getCapabilities().getDrop();
    String expected = "Succeeded at " + Migrations.HEAD + ", database " + Migrations.HEAD
        + "; pod nodeSelector {kubernetes.io/os=linux}, toleration Exists/NoSchedule, label"
        + " team=payments, annotation sidecar.istio.io/inject=false, env APP_MODE=migrate,"
        + " volume scratch emptyDir at /scratch; runAsNonRoot true, seccomp RuntimeDefault,"
        + " allowPrivilegeEscalation false, drop [ALL]";
    record("pod settings of spec.job on the real pod", expected, observed, started);
    assertThat(observed).as(status.getMessage()).isEqualTo(expected);
  }

  @Test
  void aCommandRunsAsWrittenAndItsOutputTailIsInStatus() throws Exception {
    long started = System.nanoTime();
    String ns = cluster.newNamespace("engines-cmd");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-cmd");
    DatabaseMigration dbm = Migrations.of(ns, "wps-api", db, Migrations.BUILD_1,
        "/app/bootstrap");
    dbm.getSpec().setEngine(Engine.COMMAND);
    dbm.getSpec().setCommand(List.of("alembic", "upgrade", "head"));
    migrations.create(dbm);
    DatabaseMigrationStatus ok = migrations.awaitFinished(ns, "wps-api", 1L);
    Job okJob = cluster.client().batch().v1().jobs().inNamespace(ns)
        .withName(ok.getJobName()).get();
    String okRevision = db.revision();

    long failing = migrations.edit(ns, "wps-api", s -> s.setCommand(List.of("python3", "-c",
        "import sys; print('schema check: table orders is locked by another tool');"
            + " sys.exit(3)")));
    DatabaseMigrationStatus failed = migrations.awaitFinished(ns, "wps-api", failing);

    String observed = "alembic upgrade head: " + ok.getPhase() + ", Job command "
        + okJob.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()
        + ", database " + okRevision + ", output tail "
        + (ok.getOutput() != null && ok.getOutput().contains("Running upgrade")
            ? "has alembic's Running upgrade" : "lacks it: " + ok.getOutput())
        + "; exit 3: " + failed.getPhase() + ", message "
        + (failed.getMessage().contains("table orders is locked by another tool")
            ? "has the command's last line" : "lacks it: " + failed.getMessage())
        + ", password in status " + Serialization.asJson(migrations.resource(ns, "wps-api").get()
            .getStatus()).contains(db.password());
    String expected = "alembic upgrade head: Succeeded, Job command [alembic, upgrade, head],"
        + " database " + Migrations.HEAD + ", output tail has alembic's Running upgrade; exit 3:"
        + " Failed, message has the command's last line, password in status false";
    record("engine command: a run that succeeds and one that exits 3", expected, observed,
        started);
    assertThat(observed).isEqualTo(expected);
  }

  @Test
  void tlsVerifyFullMigratesAndAWrongCaIsRefusedWithoutAJob() throws Exception {
    long started = System.nanoTime();
    String ns = cluster.newNamespace("engines-tls");
    TestCertificates authority = TestCertificates.authority("e2e-patroni-ca");
    TestCertificates stranger = TestCertificates.authority("e2e-someone-elses-ca");
    String name = "pg-tls";
    // The address is the Service's: known before the server starts, so its certificate can
    // name it, as verify-full demands.
    Service service = cluster.client().resource(new ServiceBuilder().withNewMetadata()
        .withName(name).withNamespace(ns).endMetadata().withNewSpec()
        .addToSelector("app", name).addNewPort().withPort(5432).withNewTargetPort(5432)
        .endPort().endSpec().build()).create();
    String address = service.getSpec().getClusterIP();
    TestCertificates.Server certificate = authority.server(List.of(address));
    cluster.client().resource(new SecretBuilder().withNewMetadata().withName(name + "-server")
        .withNamespace(ns).endMetadata().addToStringData("tls.crt", certificate.certificatePem())
        .addToStringData("tls.key", certificate.keyPem()).build()).create();
    cluster.client().resource(new ConfigMapBuilder().withNewMetadata().withName("patroni-ca")
        .withNamespace(ns).endMetadata().addToData("ca.crt", authority.caPem()).build()).create();
    cluster.client().resource(new ConfigMapBuilder().withNewMetadata().withName("other-ca")
        .withNamespace(ns).endMetadata().addToData("ca.crt", stranger.caPem()).build()).create();
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String database = "app_" + suffix;
    String password = "pw-" + UUID.randomUUID();
    cluster.apply(ns, "postgres-tls.yaml", Map.of("NAME", name, "DB_NAME", database,
        "DB_USER", database, "DB_PASSWORD", password));
    String podIp = cluster.awaitReadyPod(ns, name + "-0", ClusterDatabase.START);

    migrations.create(tlsMigration(ns, "wrong-ca", name, address, "other-ca"));
    // Until the Service routes to the pod just Ready, the check meets "connection refused" (also
    // WaitingForDatabase); the TLS refusal is what follows at the next recheck.
    DatabaseMigrationStatus refused = migrations.await(ns, "wrong-ca", "refused over TLS",
        Duration.ofMinutes(1), s -> s.getPhase() == Phase.WaitingForDatabase
            && s.getMessage() != null && s.getMessage().contains("spec.database.tls.ca"));
    migrations.create(tlsMigration(ns, "wps-api", name, address, "patroni-ca"));
    DatabaseMigrationStatus ok = migrations.awaitFinished(ns, "wps-api", 1L);
    Job job = cluster.client().batch().v1().jobs().inNamespace(ns).withName(ok.getJobName())
        .get();
    long wrongJobs = migrations.jobs(ns).stream().filter(j -> j.getMetadata()
        .getOwnerReferences().stream().anyMatch(o -> o.getName().equals("wrong-ca"))).count();
    String jobText = Serialization.asJson(job);

    String observed = "right CA: " + ok.getPhase() + " at " + revision(ok) + ", database "
        + tlsRevision(podIp, database, password) + ", PGSSLMODE " + env(job, "PGSSLMODE")
        + ", CA volume " + job.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getConfigMap() != null).map(v -> v.getConfigMap().getName())
            .findFirst().orElse(null)
        + ", Job holds a password or PEM " + (jobText.contains(password)
            || jobText.contains("BEGIN")) + "; wrong CA: " + refused.getPhase() + " "
        + Migrations.readyReason(refused) + ", message " + (refused.getMessage()
            .contains("not signed by a CA of spec.database.tls.ca") ? "names the CA" : "says "
            + refused.getMessage()) + ", " + wrongJobs + " Jobs";
    String expected = "right CA: Succeeded at " + Migrations.HEAD + ", database "
        + Migrations.HEAD + ", PGSSLMODE verify-full, CA volume patroni-ca, Job holds a password"
        + " or PEM false; wrong CA: WaitingForDatabase DatabaseUnreachable, message names the"
        + " CA, 0 Jobs";
    record("TLS verify-full to a hostssl-only PostgreSQL; a wrong CA", expected, observed,
        started);
    assertThat(observed).as(ok.getMessage()).isEqualTo(expected);
  }

  @Test
  void liquibaseUpdateThenRollbackCountOneWithTheRevisionOfDatabaseChangelog() throws Exception {
    long started = System.nanoTime();
    String ns = cluster.newNamespace("engines-lb");
    ClusterDatabase db = ClusterDatabase.plain(cluster, ns, "patroni-lb");
    DatabaseMigration dbm = Migrations.of(ns, "billing", db, LIQUIBASE_IMAGE,
        "/liquibase/changelog");
    dbm.getSpec().setEngine(Engine.LIQUIBASE);
    migrations.create(dbm);
    DatabaseMigrationStatus updated = migrations.awaitFinished(ns, "billing", 1L);
    String afterUpdate = lastChangeset(db);
    long rollback = migrations.edit(ns, "billing", s -> {
      s.setAction(dev.dbmigration.operator.api.v1alpha1.Action.DOWNGRADE);
      s.setAllowDowngrade(true);
      s.setTarget("-1");
    });
    DatabaseMigrationStatus rolledBack = migrations.awaitFinished(ns, "billing", rollback);
    Job job = cluster.client().batch().v1().jobs().inNamespace(ns)
        .withName(rolledBack.getJobName()).get();

    String observed = "update: " + updated.getPhase() + " at " + revision(updated)
        + ", DATABASECHANGELOG " + afterUpdate + "; " + String.join(" ", job.getSpec()
            .getTemplate().getSpec().getContainers().get(0).getCommand()) + ": "
        + rolledBack.getPhase() + " at " + revision(rolledBack) + ", DATABASECHANGELOG "
        + lastChangeset(db);
    String expected = "update: Succeeded at add-invoice-currency::billing, DATABASECHANGELOG"
        + " add-invoice-currency::billing; liquibase rollback-count --count=1: Succeeded at"
        + " create-invoices::billing, DATABASECHANGELOG create-invoices::billing";
    record("Liquibase 4.33.0 in a real pod: update, then rollback-count 1", expected, observed,
        started);
    assertThat(observed).as(updated.getMessage() + " / " + rolledBack.getMessage())
        .isEqualTo(expected);
  }

  /** DATABASECHANGELOG's last applied changeset, as Liquibase's own log names it. */
  private static String lastChangeset(ClusterDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id || '::' || author FROM databasechangelog"
             + " ORDER BY orderexecuted DESC LIMIT 1")) {
      return rs.next() ? rs.getString(1) : "empty";
    }
  }

  private static DatabaseMigration tlsMigration(String ns, String name, String db,
      String address, String caConfigMap) {
    DatabaseMigration dbm = new DatabaseMigration();
    dbm.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setImage(Migrations.BUILD_1);
    spec.setWorkingDir("/app/bootstrap");
    DatabaseSpec database = new DatabaseSpec();
    CredentialsSecret secret = new CredentialsSecret();
    secret.setName(db + "-db");
    database.setCredentialsSecret(secret);
    database.setHost(address);
    spec.setDatabase(database);
    dbm.setSpec(spec);
    DatabaseTls tls = new DatabaseTls();
    tls.setCa(CaBundleSource.configMap(caConfigMap, "ca.crt"));
    dbm.getSpec().getDatabase().setTls(tls);
    return dbm;
  }

  private static String tlsRevision(String ip, String database, String password)
      throws Exception {
    Properties properties = new Properties();
    properties.setProperty("user", database);
    properties.setProperty("password", password);
    properties.setProperty("sslmode", "require");
    properties.setProperty("connectTimeout", "5");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + ip + ":5432/"
        + database, properties); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT string_agg(version_num, ',') FROM alembic_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String env(Job job, String name) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst().orElse(null);
  }

  private static String revision(DatabaseMigrationStatus status) {
    return status.getRevision() == null ? null : status.getRevision().getCurrent();
  }

  private static void record(String scenario, String expected, String observed, long started) {
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    System.out.println("EnginesE2E: " + scenario + ": " + seconds + " s");
    ScenarioTable.E2E.row(scenario + " (" + seconds + " s)", expected, observed);
  }
}
