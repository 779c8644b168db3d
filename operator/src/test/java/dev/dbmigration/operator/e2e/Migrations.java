package dev.dbmigration.operator.e2e;

import dev.dbmigration.operator.api.v1alpha1.ConditionTypes;
import dev.dbmigration.operator.api.v1alpha1.CredentialsSecret;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** DatabaseMigrations of the real-cluster scenarios: made, changed, and followed to an end. */
public final class Migrations {

  /** The seed-like app image: examples/alembic in /app/bootstrap (hack/images/build.sh). */
  public static final String BUILD_1 = "localhost/wps-api:build-1";
  /** build-1 plus one revision on top of its head, in /app/bootstrap. */
  public static final String BUILD_2 = "localhost/wps-api:build-2";
  /** build-1 without a USER: it runs as root, which runAsNonRoot refuses. */
  public static final String ROOT_IMAGE = "localhost/wps-api:root";
  /** build-1 with alembic 1.13 from PyPI in front of Debian's 1.8.1: alembic check. */
  public static final String DRIFT_IMAGE = "localhost/wps-api:drift";
  public static final String HEAD = "8192a3b4c5d6";
  static final Duration RUN = Duration.ofMinutes(3);

  private final RealCluster cluster;

  public Migrations(RealCluster cluster) {
    this.cluster = cluster;
  }

  /** Upgrade to head of {@code workingDir} in {@code image}, against {@code db}'s leader. */
  public static DatabaseMigration of(String namespace, String name, ClusterDatabase db,
      String image, String workingDir) {
    DatabaseMigration dbm = new DatabaseMigration();
    dbm.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setImage(image);
    spec.setWorkingDir(workingDir);
    DatabaseSpec database = new DatabaseSpec();
    CredentialsSecret secret = new CredentialsSecret();
    secret.setName(db.secretName());
    database.setCredentialsSecret(secret);
    LeaderDiscovery leader = new LeaderDiscovery();
    leader.setSelector(db.selector());
    database.setLeader(leader);
    spec.setDatabase(database);
    dbm.setSpec(spec);
    return dbm;
  }

  public DatabaseMigration create(DatabaseMigration dbm) {
    return cluster.client().resource(dbm).create();
  }

  public Resource<DatabaseMigration> resource(String namespace, String name) {
    return cluster.client().resources(DatabaseMigration.class).inNamespace(namespace)
        .withName(name);
  }

  /** Edits the spec (a new generation); the generation it now has. */
  public long edit(String namespace, String name, Consumer<DatabaseMigrationSpec> change) {
    return resource(namespace, name).edit(d -> {
      change.accept(d.getSpec());
      return d;
    }).getMetadata().getGeneration();
  }

  public DatabaseMigrationStatus status(String namespace, String name) {
    DatabaseMigration dbm = resource(namespace, name).get();
    return dbm == null ? null : dbm.getStatus();
  }

  public DatabaseMigrationStatus await(String namespace, String name, String what,
      Duration atMost, Predicate<DatabaseMigrationStatus> until) {
    return org.awaitility.Awaitility.await(namespace + "/" + name + ": " + what).atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> status(namespace, name), s -> s != null && s.getPhase() != null
            && until.test(s));
  }

  /** The run of {@code generation} has ended (Succeeded or Failed). */
  public DatabaseMigrationStatus awaitFinished(String namespace, String name, long generation) {
    return await(namespace, name, "generation " + generation + " finished", RUN,
        s -> s.getObservedGeneration() != null && s.getObservedGeneration() == generation
            && (s.getPhase().name().equals("Succeeded") || s.getPhase().name().equals("Failed")));
  }

  public static String readyReason(DatabaseMigrationStatus status) {
    return condition(status, ConditionTypes.READY).getReason();
  }

  public static Condition condition(DatabaseMigrationStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }

  /** The Jobs of {@code component} (migration, plan, drift-check) in the namespace. */
  public List<Job> jobs(String namespace, String component) {
    return cluster.client().batch().v1().jobs().inNamespace(namespace)
        .withLabel("app.kubernetes.io/component", component).list().getItems();
  }

  public List<Job> jobs(String namespace) {
    return cluster.client().batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  /** The pods the Job controller made for {@code job}. */
  public List<Pod> podsOf(String namespace, String job) {
    return cluster.client().pods().inNamespace(namespace)
        .withLabel("batch.kubernetes.io/job-name", job).list().getItems();
  }

  /**
   * The resource's Events once one has {@code reason}: the operator posts an Event after the
   * status write it announces, so a test that saw the status may be a moment early.
   */
  public List<Event> eventsOnce(String namespace, String name, String reason) {
    return org.awaitility.Awaitility.await("a " + reason + " Event of " + namespace + "/" + name)
        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> events(namespace, name),
            l -> l.stream().anyMatch(e -> reason.equals(e.getReason())));
  }

  public List<Event> events(String namespace, String name) {
    return cluster.client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())
            && "DatabaseMigration".equals(e.getInvolvedObject().getKind()))
        .toList();
  }
}
