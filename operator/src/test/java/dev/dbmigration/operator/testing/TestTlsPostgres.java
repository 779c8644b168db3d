package dev.dbmigration.operator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL that accepts logins over TLS only (hostssl rules, no plain host rule), with a
 * server certificate a {@link TestCertificates} authority signed for 127.0.0.1: what a Spilo or
 * a verify-full shop runs. Its own cluster from the machine's server binaries, in a temporary
 * directory, as the postgres user when run as root (PostgreSQL refuses root).
 */
public final class TestTlsPostgres implements AutoCloseable {

  public static final String HOST = "127.0.0.1";
  private static final Path BIN_ROOT = Path.of("/usr/lib/postgresql");

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String adminPassword;

  private TestTlsPostgres(Path bin, Path dir, int port, String adminPassword) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.adminPassword = adminPassword;
  }

  /** Starts the server with a certificate of {@code ca} naming {@code names}. */
  public static TestTlsPostgres start(TestCertificates ca, List<String> names) throws Exception {
    Path bin = serverBinaries();
    Path dir = Files.createTempDirectory("dbm-test-tls-postgres");
    String password = "admin-" + UUID.randomUUID();
    TestTlsPostgres server = new TestTlsPostgres(bin, dir, freePort(), password);
    try {
      server.initialise(ca.server(names));
    } catch (Exception e) {
      Path log = dir.resolve("log");
      String text = Files.exists(log) ? Files.readString(log) : "";
      server.close();
      throw new IOException("the TLS PostgreSQL did not start: " + e.getMessage() + "\n" + text,
          e);
    }
    return server;
  }

  private void initialise(TestCertificates.Server certificate) throws Exception {
    Path data = dir.resolve("data");
    Files.writeString(dir.resolve("pwfile"), adminPassword + "\n");
    Files.writeString(dir.resolve("server.crt"), certificate.certificatePem());
    Files.writeString(dir.resolve("server.key"), certificate.keyPem());
    if (isRoot()) {
      run(List.of("chown", "-R", "postgres", dir.toString()), Map.of());
    }
    run(List.of("chmod", "0600", dir.resolve("server.key").toString()), Map.of());
    asOwner(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
        "--pwfile=" + dir.resolve("pwfile"), "-A", "scram-sha-256", "--no-sync"));
    // Only TLS over TCP: a client without it meets "no pg_hba.conf entry ... no encryption".
    asOwner(List.of("sh", "-c", "printf '%s\\n' 'local all all trust' "
        + "'hostssl all all 127.0.0.1/32 scram-sha-256' 'hostssl all all ::1/128 scram-sha-256' "
        + "> " + data.resolve("pg_hba.conf")));
    asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
        "-l", dir.resolve("log").toString(), "-o", "-p " + port + " -k " + dir
            + " -c listen_addresses=" + HOST + " -c fsync=off -c ssl=on"
            + " -c ssl_cert_file=" + dir.resolve("server.crt")
            + " -c ssl_key_file=" + dir.resolve("server.key"), "start"));
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** A fresh database owned by a fresh login role (a password without quotes). */
  public TestPostgres.Credentials createDatabase(String prefix) throws SQLException {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TestPostgres.Credentials db = new TestPostgres.Credentials(prefix + "_" + suffix,
        prefix + "_" + suffix, "pw-" + UUID.randomUUID());
    try (Connection admin = admin(); Statement s = admin.createStatement()) {
      s.execute("CREATE ROLE " + db.username() + " LOGIN PASSWORD '" + db.password() + "'");
      s.execute("CREATE DATABASE " + db.database() + " OWNER " + db.username());
    }
    return db;
  }

  /** The superuser over TLS (not verified: the tests verify, not this helper). */
  public Connection admin() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("password", adminPassword);
    properties.setProperty("sslmode", "require");
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + port + "/postgres",
        properties);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (Files.exists(dir.resolve("data/postmaster.pid"))) {
      asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
          "-m", "immediate", "-w", "stop"));
    }
    run(List.of("rm", "-rf", dir.toString()), Map.of());
  }

  private void asOwner(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full, Map.of());
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
      Prerequisites.missing("PostgreSQL server binaries under " + BIN_ROOT
          + " for a TLS-only server");
    }
    try (var versions = Files.list(BIN_ROOT)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max((a, b) -> a.getParent().getFileName().toString()
              .compareTo(b.getParent().getFileName().toString()))
          .orElseGet(() -> {
            Prerequisites.missing("initdb under " + BIN_ROOT);
            return null;
          });
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
