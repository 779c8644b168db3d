package dev.dbmigration.operator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL streaming standby of the test server: {@code pg_basebackup -R} from it into
 * a temporary directory, started on its own loopback port, in recovery until {@link #promote}.
 * What a Patroni replica with a stale leader label looks like to the operator. Uses the server
 * binaries of the machine's PostgreSQL (the version of the test server), as the postgres user
 * when run as root (PostgreSQL refuses to run as root).
 */
public final class TestStandby implements AutoCloseable {

  private static final Path BIN_ROOT = Path.of("/usr/lib/postgresql");

  private final TestPostgres primary;
  private final Path bin;
  private final Path dir;
  private final int port;

  private TestStandby(TestPostgres primary, Path bin, Path dir, int port) {
    this.primary = primary;
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** Copies the primary and starts the copy as its standby; returns once it accepts logins. */
  public static TestStandby of(TestPostgres primary) throws Exception {
    Path bin = serverBinaries();
    Path dir = Files.createTempDirectory("dbm-test-standby");
    if (isRoot()) {
      run(List.of("chown", "postgres", dir.toString()), Map.of());
    }
    int port = freePort();
    TestStandby standby = new TestStandby(primary, bin, dir, port);
    try {
      standby.asOwner(List.of(bin.resolve("pg_basebackup").toString(), "-D",
          dir.resolve("data").toString(), "-R", "-X", "stream", "-c", "fast",
          "-h", primary.host(), "-p", Integer.toString(primary.port()),
          "-U", primary.adminUser()), Map.of("PGPASSWORD", primary.adminPassword()));
      standby.asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D",
          dir.resolve("data").toString(), "-w", "-t", "60", "-l", dir.resolve("log").toString(),
          "-o", "-p " + port + " -k " + dir + " -c listen_addresses=" + primary.host()
              // A standby refuses to start with fewer connections than its primary allows.
              + " -c max_connections=" + maxConnections(primary) + " -c hot_standby=on",
          "start"), Map.of());
    } catch (Exception e) {
      String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
      standby.close();
      throw new IOException("the standby did not start: " + e.getMessage() + "\n" + log, e);
    }
    return standby;
  }

  private static String maxConnections(TestPostgres primary) throws SQLException {
    try (Connection c = primary.connectAsAdmin(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW max_connections")) {
      rs.next();
      return rs.getString(1);
    }
  }

  public String host() {
    return primary.host();
  }

  public int port() {
    return port;
  }

  /** Ends recovery: the standby becomes a primary of its own. */
  public void promote() throws IOException, InterruptedException {
    asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
        "-w", "-t", "60", "promote"), Map.of());
  }

  public boolean inRecovery() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port
        + "/postgres", primary.adminUser(), primary.adminPassword());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** A login of {@code db} on this server instead of the primary. */
  public Connection connect(TestPostgres.Credentials db) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port + "/"
        + db.database(), db.username(), db.password());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (Files.exists(dir.resolve("data"))) {
      try {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
            "-m", "immediate", "-w", "stop"), Map.of());
      } catch (IOException e) {
        // not running (it failed to start): nothing to stop
      }
    }
    run(List.of("rm", "-rf", dir.toString()), Map.of());
  }

  private void asOwner(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full, env);
  }

  private static void run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish: " + output);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + process.exitValue()
          + ": " + output);
    }
  }

  private static Path serverBinaries() throws IOException {
    if (!Files.isDirectory(BIN_ROOT)) {
      Prerequisites.missing("PostgreSQL server binaries under " + BIN_ROOT + " for a standby");
    }
    try (var versions = Files.list(BIN_ROOT)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_basebackup")))
          .max((a, b) -> Integer.compare(major(a), major(b)))
          .orElseGet(() -> {
            Prerequisites.missing("pg_basebackup under " + BIN_ROOT);
            return null;
          });
    }
  }

  private static int major(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
