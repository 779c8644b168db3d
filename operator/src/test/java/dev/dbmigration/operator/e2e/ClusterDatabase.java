package dev.dbmigration.operator.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A PostgreSQL in pods of the real cluster, as a PR environment has it: a plain one labelled the
 * way Patroni labels a leader, or a real Patroni cluster that elects and labels its own. The test
 * reaches it from the host by pod IP (the host routes to the pod network), as the app's login:
 * the revision alembic left, the rows a migration wrote, an advisory lock to hold a run at.
 */
public final class ClusterDatabase {

  static final Duration START = Duration.ofMinutes(3);

  private final RealCluster cluster;
  private final String namespace;
  private final String name;
  private final String database;
  private final String user;
  private final String password;

  private ClusterDatabase(RealCluster cluster, String namespace, String name, String database,
      String user, String password) {
    this.cluster = cluster;
    this.namespace = namespace;
    this.name = name;
    this.database = database;
    this.user = user;
    this.password = password;
  }

  /** One PostgreSQL pod {@code NAME-0} labelled cluster-name=NAME, role=master; Secret NAME-db. */
  public static ClusterDatabase plain(RealCluster cluster, String namespace, String name) {
    ClusterDatabase db = create(cluster, namespace, name);
    cluster.apply(namespace, "postgres-plain.yaml", db.values());
    cluster.awaitReadyPod(namespace, name + "-0", START);
    return db;
  }

  /**
   * A Patroni 3.0.2 cluster of two members on the Kubernetes DCS (StatefulSet NAME), returned
   * once Patroni has labelled a leader and the app's login works on it.
   */
  public static ClusterDatabase patroni(RealCluster cluster, String namespace, String name) {
    ClusterDatabase db = create(cluster, namespace, name);
    cluster.apply(namespace, "patroni-cluster.yaml", db.values());
    db.awaitLeader(START, null);
    return db;
  }

  /**
   * Only the Secret of a Patroni cluster, as a PR environment's database chart may create it
   * before the cluster: {@link #startPatroni} makes the rest.
   */
  public static ClusterDatabase patroniSecret(RealCluster cluster, String namespace,
      String name) {
    ClusterDatabase db = create(cluster, namespace, name);
    cluster.apply(namespace, "patroni-cluster.yaml", db.values(),
        o -> o instanceof io.fabric8.kubernetes.api.model.Secret);
    return db;
  }

  /** The rest of the Patroni cluster whose Secret {@link #patroniSecret} made; its leader. */
  public Pod startPatroni() {
    cluster.apply(namespace, "patroni-cluster.yaml", values(),
        o -> !(o instanceof io.fabric8.kubernetes.api.model.Secret));
    return awaitLeader(START, null);
  }

  private static ClusterDatabase create(RealCluster cluster, String namespace, String name) {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    return new ClusterDatabase(cluster, namespace, name, "app_" + suffix, "app_" + suffix,
        "pw-" + UUID.randomUUID());
  }

  private Map<String, String> values() {
    return Map.of("NAME", name, "DB_NAME", database, "DB_USER", user, "DB_PASSWORD", password,
        "SUPERUSER_PASSWORD", "su-" + UUID.randomUUID(),
        "REPLICATION_PASSWORD", "rep-" + UUID.randomUUID());
  }

  public String name() {
    return name;
  }

  public String secretName() {
    return name + "-db";
  }

  /** The database's name (the Secret's app-db-name). */
  public String database() {
    return database;
  }

  /**
   * The sessions that hold or wait for the advisory lock {@code key} (a bigint lock: pg_locks
   * splits it into classid, the high 32 bits, and objid, the low ones, with objsubid 1), as
   * "application_name granted|waiting", holders first.
   */
  public List<String> advisoryLock(long key) throws SQLException {
    try (Connection c = connect(); java.sql.PreparedStatement s = c.prepareStatement(
        "SELECT coalesce(nullif(a.application_name, ''), 'app') || ' '"
            + " || CASE WHEN l.granted THEN 'granted' ELSE 'waiting' END"
            + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.classid = ?::bigint::oid"
            + " AND l.objid = ?::bigint::oid AND l.objsubid = 1"
            + " ORDER BY l.granted DESC, a.backend_start")) {
      s.setLong(1, key >>> 32);
      s.setLong(2, key & 0xffffffffL);
      List<String> rows = new java.util.ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    }
  }

  /** The app's password, for scanning what the operator wrote for it. */
  public String password() {
    return password;
  }

  /** The selector a DatabaseMigration finds this database's pods by. */
  public Map<String, String> selector() {
    return Map.of("cluster-name", name);
  }

  /** The pod labelled leader now, if exactly one is. */
  public Optional<Pod> leader() {
    List<Pod> leaders = cluster.client().pods().inNamespace(namespace)
        .withLabel("cluster-name", name).withLabel("role", "master").list().getItems();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  /**
   * Waits for a Ready leader (other than {@code not}, when given) whose PostgreSQL takes the
   * app's login and is writable; its pod.
   */
  public Pod awaitLeader(Duration atMost, String not) {
    return await("a writable leader of " + name + (not == null ? "" : " other than " + not))
        .atMost(atMost).pollInterval(Duration.ofMillis(250))
        .until(() -> leader().filter(RealCluster::isReady)
            .filter(p -> !p.getMetadata().getName().equals(not))
            .filter(p -> writable(p.getStatus().getPodIP())).orElse(null), p -> p != null);
  }

  // False while the login or the query fails: a starting or restarting PostgreSQL.
  private boolean writable(String ip) {
    try (Connection c = connect(ip); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT NOT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException e) {
      return false;
    }
  }

  /** A session of the app's login on the current leader. */
  public Connection connect() throws SQLException {
    return connect(leader().orElseThrow(() -> new SQLException("no single leader of " + name))
        .getStatus().getPodIP());
  }

  Connection connect(String ip) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + ip + ":5432/" + database
        + "?connectTimeout=5&socketTimeout=30", user, password);
  }

  /** What alembic_version holds: the heads comma-separated, "base" when empty or absent. */
  public String revision() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      try (ResultSet exists = s.executeQuery("SELECT to_regclass('alembic_version') IS NOT NULL")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return "base";
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT coalesce(string_agg(version_num, ',' ORDER BY"
          + " version_num), 'base') FROM alembic_version")) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /**
   * Holds advisory lock 4242 on the leader, which the revision of /app/gated waits for first
   * (src/test/resources/alembic-gated): a run stays mid-migration until the gate opens or the
   * session goes.
   */
  public Gate closeGate() throws SQLException {
    Connection holder = connect();
    try (Statement s = holder.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + Gate.LOCK + ")");
    }
    return new Gate(holder);
  }

  /** The held gate. */
  public final class Gate implements AutoCloseable {
    static final int LOCK = 4242;
    private final Connection holder;

    private Gate(Connection holder) {
      this.holder = holder;
    }

    /** Waits until a migration's session waits for the gate. */
    public void awaitMigrationWaiting(Duration atMost) {
      await("a migration waits at the gate").atMost(atMost).pollInterval(Duration.ofMillis(250))
          .until(() -> waiting() > 0);
    }

    /** Sessions of this database waiting for the gate. */
    public int waiting() throws SQLException {
      try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
              + " WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objid = " + LOCK
              + " AND a.datname = current_database()")) {
        rs.next();
        return rs.getInt(1);
      }
    }

    /** Lets the waiting migration go on. */
    @Override
    public void close() throws SQLException {
      holder.close();
    }
  }

  /** The value of one SQL query's first column (null when there is no row). */
  public String query(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
