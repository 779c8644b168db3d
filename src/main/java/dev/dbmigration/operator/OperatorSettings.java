package dev.dbmigration.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the operator process, from flags or the environment (flags win):
 * {@code --namespaces=a,b} / {@code WATCH_NAMESPACES} (empty: all namespaces),
 * {@code --health-port=N} / {@code HEALTH_PORT} (default 8081, 0 picks a free port),
 * {@code --database-check=required|best-effort} / {@code DATABASE_CHECK} (default required, see
 * {@link DatabaseCheckMode}) and {@code --backoff-seconds=N} / {@code BACKOFF_SECONDS} (default
 * 10: the first delay of a retry after a leader change and of a database recheck; it doubles).
 */
public record OperatorSettings(Set<String> namespaces, int healthPort,
    DatabaseCheckMode databaseCheck, Duration backoff) {

  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    if (backoff.isNegative() || backoff.isZero()) {
      throw new IllegalArgumentException("backoff must be positive, got " + backoff);
    }
  }

  /** The defaults for everything but the namespaces and the health port. */
  public OperatorSettings(Set<String> namespaces, int healthPort) {
    this(namespaces, healthPort, DatabaseCheckMode.REQUIRED, DEFAULT_BACKOFF);
  }

  public OperatorSettings withDatabaseCheck(DatabaseCheckMode mode) {
    return new OperatorSettings(namespaces, healthPort, mode, backoff);
  }

  public OperatorSettings withBackoff(Duration base) {
    return new OperatorSettings(namespaces, healthPort, databaseCheck, base);
  }

  public static OperatorSettings parse(String[] args, Map<String, String> env) {
    String namespaces = env.getOrDefault("WATCH_NAMESPACES", "");
    String healthPort = env.getOrDefault("HEALTH_PORT", "8081");
    String databaseCheck = env.getOrDefault("DATABASE_CHECK", "required");
    String backoff = env.getOrDefault("BACKOFF_SECONDS",
        Long.toString(DEFAULT_BACKOFF.toSeconds()));
    for (String arg : args) {
      if (arg.startsWith("--namespaces=")) {
        namespaces = arg.substring("--namespaces=".length());
      } else if (arg.startsWith("--health-port=")) {
        healthPort = arg.substring("--health-port=".length());
      } else if (arg.startsWith("--database-check=")) {
        databaseCheck = arg.substring("--database-check=".length());
      } else if (arg.startsWith("--backoff-seconds=")) {
        backoff = arg.substring("--backoff-seconds=".length());
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg
            + " (expected --namespaces=a,b, --health-port=N, --database-check=required|"
            + "best-effort or --backoff-seconds=N)");
      }
    }
    Set<String> watched = Arrays.stream(namespaces.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    int port = number(healthPort, "health port");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("health port out of range: " + port);
    }
    int backoffSeconds = number(backoff, "backoff seconds");
    if (backoffSeconds < 1) {
      throw new IllegalArgumentException("backoff seconds must be at least 1: " + backoffSeconds);
    }
    return new OperatorSettings(watched, port, DatabaseCheckMode.parse(databaseCheck),
        Duration.ofSeconds(backoffSeconds));
  }

  private static int number(String text, String what) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " is not a number: " + text);
    }
  }

  public boolean watchesAllNamespaces() {
    return namespaces.isEmpty();
  }
}
