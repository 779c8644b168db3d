package dev.dbmigration.operator.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the operator process, from flags or the environment (flags win):
 * <ul>
 * <li>{@code --namespaces=a,b} / {@code WATCH_NAMESPACES} (empty: all namespaces);
 * <li>{@code --health-port=N} / {@code HEALTH_PORT} (default 8081) for /healthz and /readyz;
 * <li>{@code --metrics-port=N} / {@code METRICS_PORT} (default 8080) for /metrics;
 * <li>{@code --leader-election} / {@code LEADER_ELECTION=true} with {@code LEADER_ELECTION_LEASE}
 *     (default database-migration-operator), the Lease's namespace from
 *     {@code LEADER_ELECTION_NAMESPACE} or {@code POD_NAMESPACE} (else the client's), the
 *     identity from {@code POD_NAME} or {@code HOSTNAME};
 * <li>{@code --database-check=required|best-effort} / {@code DATABASE_CHECK} (default required,
 *     see {@link DatabaseCheckMode});
 * <li>{@code --backoff-seconds=N} / {@code BACKOFF_SECONDS} (default 10: the first delay of a
 *     retry after a leader change and of a database recheck; it doubles);
 * <li>{@code --operator-image=IMAGE} / {@code OPERATOR_IMAGE} (default {@value #DEFAULT_OPERATOR_IMAGE}):
 *     the operator's own image, which migration pods run as the sidecar that holds the
 *     database lock (deploy/, the chart and the OLM bundle set it to the image they run);
 * <li>{@code LOG_FORMAT} ({@code text} or {@code json}), which log4j2.xml reads; checked here so
 *     that a typo stops the process instead of quietly logging text.
 * </ul>
 * A port of 0 picks a free one. {@code leaderElection} is null when it is off.
 */
public record OperatorSettings(Set<String> namespaces, int healthPort, int metricsPort,
    LeaderElectionSettings leaderElection, DatabaseCheckMode databaseCheck, Duration backoff,
    String operatorImage) {

  public static final int DEFAULT_METRICS_PORT = 8080;
  public static final String DEFAULT_OPERATOR_IMAGE =
      "ghcr.io/dbmigration/database-migration-operator:0.1.0";
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    if (backoff.isNegative() || backoff.isZero()) {
      throw new IllegalArgumentException("backoff must be positive, got " + backoff);
    }
  }

  /** Without leader election, metrics on the default port, the defaults for the rest. */
  public OperatorSettings(Set<String> namespaces, int healthPort) {
    this(namespaces, healthPort, DEFAULT_METRICS_PORT, null, DatabaseCheckMode.REQUIRED,
        DEFAULT_BACKOFF, DEFAULT_OPERATOR_IMAGE);
  }

  public OperatorSettings withDatabaseCheck(DatabaseCheckMode mode) {
    return new OperatorSettings(namespaces, healthPort, metricsPort, leaderElection, mode, backoff,
        operatorImage);
  }

  public OperatorSettings withBackoff(Duration base) {
    return new OperatorSettings(namespaces, healthPort, metricsPort, leaderElection, databaseCheck,
        base, operatorImage);
  }

  public OperatorSettings withLeaderElection(LeaderElectionSettings election) {
    return new OperatorSettings(namespaces, healthPort, metricsPort, election, databaseCheck,
        backoff, operatorImage);
  }

  public OperatorSettings withOperatorImage(String image) {
    return new OperatorSettings(namespaces, healthPort, metricsPort, leaderElection, databaseCheck,
        backoff, image);
  }

  public static OperatorSettings parse(String[] args, Map<String, String> env) {
    String namespaces = env.getOrDefault("WATCH_NAMESPACES", "");
    String healthPort = env.getOrDefault("HEALTH_PORT", "8081");
    String metricsPort = env.getOrDefault("METRICS_PORT", String.valueOf(DEFAULT_METRICS_PORT));
    String leaderElection = env.getOrDefault("LEADER_ELECTION", "false");
    String databaseCheck = env.getOrDefault("DATABASE_CHECK", "required");
    String backoff = env.getOrDefault("BACKOFF_SECONDS",
        Long.toString(DEFAULT_BACKOFF.toSeconds()));
    String operatorImage = env.getOrDefault("OPERATOR_IMAGE", DEFAULT_OPERATOR_IMAGE);
    for (String arg : args) {
      if (arg.startsWith("--namespaces=")) {
        namespaces = arg.substring("--namespaces=".length());
      } else if (arg.startsWith("--health-port=")) {
        healthPort = arg.substring("--health-port=".length());
      } else if (arg.startsWith("--metrics-port=")) {
        metricsPort = arg.substring("--metrics-port=".length());
      } else if (arg.equals("--leader-election")) {
        leaderElection = "true";
      } else if (arg.startsWith("--database-check=")) {
        databaseCheck = arg.substring("--database-check=".length());
      } else if (arg.startsWith("--backoff-seconds=")) {
        backoff = arg.substring("--backoff-seconds=".length());
      } else if (arg.startsWith("--operator-image=")) {
        operatorImage = arg.substring("--operator-image=".length());
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg + " (expected"
            + " --namespaces=a,b, --health-port=N, --metrics-port=N, --leader-election,"
            + " --database-check=required|best-effort, --backoff-seconds=N or"
            + " --operator-image=IMAGE)");
      }
    }
    Set<String> watched = Arrays.stream(namespaces.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    int health = port("health", healthPort);
    int metrics = port("metrics", metricsPort);
    if (health == metrics && health != 0) {
      throw new IllegalArgumentException("health and metrics ports are both " + health);
    }
    checkLogFormat(env.getOrDefault("LOG_FORMAT", "text"));
    LeaderElectionSettings election = flag("LEADER_ELECTION", leaderElection)
        ? LeaderElectionSettings.of(
            env.getOrDefault("LEADER_ELECTION_LEASE", LeaderElectionSettings.DEFAULT_LEASE),
            firstSet(env, "LEADER_ELECTION_NAMESPACE", "POD_NAMESPACE"),
            firstSet(env, "POD_NAME", "HOSTNAME")).withOwnerPod(env.get("POD_UID"))
        : null;
    int backoffSeconds = number(backoff, "backoff seconds");
    if (backoffSeconds < 1) {
      throw new IllegalArgumentException("backoff seconds must be at least 1: " + backoffSeconds);
    }
    if (operatorImage.isBlank()) {
      throw new IllegalArgumentException("OPERATOR_IMAGE is empty: it names the operator's image,"
          + " which holds each migration's database lock");
    }
    return new OperatorSettings(watched, health, metrics, election,
        DatabaseCheckMode.parse(databaseCheck), Duration.ofSeconds(backoffSeconds),
        operatorImage.trim());
  }

  public boolean watchesAllNamespaces() {
    return namespaces.isEmpty();
  }

  private static int port(String what, String value) {
    int port = number(value, what + " port");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " port out of range: " + port);
    }
    return port;
  }

  private static int number(String text, String what) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " is not a number: " + text);
    }
  }

  private static boolean flag(String name, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false", "" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false: " + value);
    };
  }

  private static void checkLogFormat(String value) {
    if (!value.isEmpty() && !value.equals("text") && !value.equals("json")) {
      throw new IllegalArgumentException("LOG_FORMAT must be text or json: " + value);
    }
  }

  private static String firstSet(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }
}
